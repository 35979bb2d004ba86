package org.cnn4j.correctness;

import org.cnn4j.autograd.ops.CrossEntropyOp;
import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.autograd.ops.Elementwise;
import org.cnn4j.autograd.ops.MatMul;
import org.cnn4j.autograd.ops.Reduce;
import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.autograd.ops.View;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.cnn4j.correctness.TestTensors.awayFromZero;
import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Finite-difference gradient checks of every autograd op (org.cnn4j.autograd.ops), through the Tensor API. */
class OpGradientTest {
    @AfterAll
    static void report() {
        System.out.println(GradCheck.summary());
    }


    // ------------------------------------------------------------ elementwise, same shape and broadcast

    @Test
    void addSubMulDivSameShape() {
        Tensor a = uniform(1, -1, 1, 2, 3), b = uniform(2, 0.5, 2, 2, 3);
        GradCheck.of("add").check(() -> a.add(b), a, b);
        GradCheck.of("sub").check(() -> a.sub(b), a, b);
        GradCheck.of("mul").check(() -> a.mul(b), a, b);
        GradCheck.of("div").check(() -> a.div(b), a, b);
    }

    @Test
    void broadcastRowVector() { // [2,3] (op) [3]
        Tensor a = uniform(3, -1, 1, 2, 3), b = uniform(4, 0.5, 2, 3);
        GradCheck.of("add [2,3]+[3]").check(() -> a.add(b), a, b);
        GradCheck.of("sub [2,3]-[3]").check(() -> a.sub(b), a, b);
        GradCheck.of("mul [2,3]*[3]").check(() -> a.mul(b), a, b);
        GradCheck.of("div [2,3]/[3]").check(() -> a.div(b), a, b);
        GradCheck.of("sub [3]-[2,3]").check(() -> b.sub(a), b, a);
        assertArrayEquals(new int[] {2, 3}, a.add(b).shape());
    }

    @Test
    void broadcastBothSides() { // [2,1,4] (op) [3,1] -> [2,3,4]
        Tensor a = uniform(5, -1, 1, 2, 1, 4), b = uniform(6, 0.5, 2, 3, 1);
        assertArrayEquals(new int[] {2, 3, 4}, a.mul(b).shape());
        GradCheck.of("add [2,1,4]+[3,1]").check(() -> a.add(b), a, b);
        GradCheck.of("sub [2,1,4]-[3,1]").check(() -> a.sub(b), a, b);
        GradCheck.of("mul [2,1,4]*[3,1]").check(() -> a.mul(b), a, b);
        GradCheck.of("div [2,1,4]/[3,1]").check(() -> a.div(b), a, b);
        GradCheck.of("div [3,1]/[2,1,4]").check(() -> b.div(a.add(3f)), b, a);
    }

    @Test
    void broadcastScalarTensorAndSameInputTwice() {
        Tensor a = uniform(7, -1, 1, 3, 2), s = uniform(8, 0.5, 1.5, 1);
        GradCheck.of("mul by [1]").check(() -> a.mul(s), a, s);
        // the same tensor on both sides: gradients of both uses must accumulate (d(x*x) = 2x)
        GradCheck.of("x*x").check(() -> a.mul(a), a);
        GradCheck.of("x/x + x").check(() -> a.div(a.add(5f)).add(a), a);
        // an intermediate on both sides of a same-shape add/sub: the first takes the output gradient's buffer over,
        // the second must still add into it
        GradCheck.of("e + e, e = exp(x)").check(() -> { Tensor e = a.exp(); return e.add(e).mul(a); }, a);
        GradCheck.of("e - e + x").check(() -> { Tensor e = a.exp(); return e.sub(e).add(a.square()); }, a);
        GradCheck.of("(e + x) * e").check(() -> { Tensor e = a.exp(); return e.add(a).mul(e); }, a);
    }

    @Test
    void scalarOps() {
        Tensor a = uniform(9, -1, 1, 2, 5);
        GradCheck.of("addScalar").check(() -> Elementwise.addScalar(a, 0.7f), a);
        GradCheck.of("mulScalar").check(() -> Elementwise.mulScalar(a, -1.7f), a);
        GradCheck.of("neg").check(a::neg, a);
        GradCheck.of("square").check(a::square, a);
    }

    @Test
    void unary() {
        Tensor a = uniform(10, -1.5, 1.5, 3, 4);
        GradCheck.of("exp").check(a::exp, a);
        Tensor pos = uniform(11, 0.5, 2, 3, 4);
        GradCheck.of("log").check(pos::log, pos);
        Tensor k = awayFromZero(12, 0.05, 4, 5);
        GradCheck.of("relu").check(k::relu, k);
        // relu's gradient is exactly the mask x > 0
        k.zeroGrad();
        k.relu().sum().backward();
        for (int i = 0; i < k.numel(); i++) assertEquals(k.data()[i] > 0 ? 1f : 0f, k.grad().data()[i], "relu mask at " + i);
    }

    @Test
    void composite() {
        Tensor a = uniform(13, -1, 1, 2, 3), b = uniform(14, -1, 1, 3);
        GradCheck.of("exp(a*b) - log(a^2+1)").check(() -> a.mul(b).exp().sub(a.square().add(1f).log()), a, b);
    }

    // ------------------------------------------------------------ matmul, reductions, views

    @Test
    void matmul() {
        Tensor a = uniform(20, -1, 1, 3, 4), b = uniform(21, -1, 1, 4, 5);
        GradCheck.of("matmul").check(() -> MatMul.apply(a, b), a, b);
        Tensor v = uniform(22, -1, 1, 1, 4), w = uniform(23, -1, 1, 4, 1);
        GradCheck.of("matmul [1,4]x[4,1]").check(() -> v.matmul(w), v, w);
        GradCheck.of("matmul a x a^T").check(() -> a.matmul(a.t()), a);
    }

    @Test
    void reductions() {
        Tensor a = uniform(30, -1, 1, 2, 3, 4);
        GradCheck.of("sumAll").check(() -> Reduce.sumAll(a).mul(a.sum()), a); // non-constant dL/dsum
        GradCheck.of("mean").check(() -> a.mean().mul(a.mean()), a);
        for (int d = 0; d < 3; d++) {
            int dim = d;
            GradCheck.of("sum(dim " + d + ")").check(() -> a.sum(dim, false), a);
            GradCheck.of("sum(dim " + d + ", keepDim)").check(() -> a.sum(dim, true), a);
            GradCheck.of("mean(dim " + d + ")").check(() -> a.mean(dim, false), a);
        }
        GradCheck.of("sum(dim -1)").check(() -> a.sum(-1, false), a);
        // keepDim result broadcasts back: x - mean(x, dim)
        GradCheck.of("x - mean(x, 1, keep)").check(() -> a.sub(a.mean(1, true)), a);
    }

    @Test
    void maxAndArgmaxForward() {
        Tensor a = Tensor.of(new float[] {1, 5, 3, 7, 2, 0}, 2, 3);
        assertArrayEquals(new float[] {5, 7}, a.max(1).data());
        assertArrayEquals(new int[] {1, 0}, a.argmax(1));
        assertArrayEquals(new float[] {7, 5, 3}, a.max(0).data());
        assertArrayEquals(new int[] {1, 0, 0}, a.argmax(0));
    }

    @Test
    void views() {
        Tensor a = uniform(40, -1, 1, 2, 3, 4);
        GradCheck.of("reshape").check(() -> View.reshape(a, 4, -1).mul(uniform(41, -1, 1, 4, 6)), a);
        GradCheck.of("flatten").check(() -> a.flatten(1), a);
        Tensor m = uniform(42, -1, 1, 3, 5);
        GradCheck.of("transpose").check(() -> View.transpose2d(m), m);
        GradCheck.of("transpose then matmul").check(() -> m.t().matmul(uniform(43, -1, 1, 3, 2)), m);
    }

    // ------------------------------------------------------------ softmax, cross-entropy, dropout

    @Test
    void softmaxAndLogSoftmax() {
        Tensor a = uniform(50, -2, 2, 3, 5);
        GradCheck.of("softmax dim 1").check(() -> SoftmaxOp.softmax(a, 1), a);
        GradCheck.of("logSoftmax dim 1").check(() -> SoftmaxOp.logSoftmax(a, 1), a);
        Tensor b = uniform(51, -2, 2, 2, 3, 4);
        for (int d = 0; d < 3; d++) {
            int dim = d;
            GradCheck.of("softmax [2,3,4] dim " + d).check(() -> SoftmaxOp.softmax(b, dim), b);
            GradCheck.of("logSoftmax [2,3,4] dim " + d).check(() -> SoftmaxOp.logSoftmax(b, dim), b);
        }
        // forward: probabilities along the dim sum to 1
        Tensor p = SoftmaxOp.softmax(b, 1);
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int c = 0; c < 3; c++) s += p.get(n, c, i);
                assertEquals(1.0, s, 1e-6);
            }
    }

    @Test
    void crossEntropy() {
        Tensor logits = uniform(60, -2, 2, 4, 5);
        int[] targets = {0, 3, 4, 3};
        GradCheck.of("cross-entropy op").check(() -> CrossEntropyOp.apply(logits, targets), logits);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        GradCheck.of("CrossEntropyLoss").check(() -> loss.apply(logits, targets), logits);
        // loss of the op equals -mean(logSoftmax[n, t_n]) computed independently in double
        double expected = 0;
        float[] z = logits.data();
        for (int n = 0; n < 4; n++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int c = 0; c < 5; c++) max = Math.max(max, z[n * 5 + c]);
            for (int c = 0; c < 5; c++) s += Math.exp(z[n * 5 + c] - max);
            expected += Math.log(s) + max - z[n * 5 + targets[n]];
        }
        assertEquals(expected / 4, loss.apply(logits, targets).item(), 1e-6);
        // composed through the loss: logits = x W
        Tensor x = uniform(61, -1, 1, 4, 3), w = uniform(62, -1, 1, 3, 5);
        GradCheck.of("CE(x W)").check(() -> loss.apply(x.matmul(w), targets), x, w);
    }

    @Test
    void dropoutOpWithFixedMask() {
        Tensor x = uniform(70, -1, 1, 4, 6);
        for (float p : new float[] {0.25f, 0.5f}) {
            GradCheck.of("dropout p=" + p).check(() -> DropoutOp.apply(x, p, 1, new SplittableRandom(7)), x);
            GradCheck.of("dropout groups of 3, p=" + p).check(() -> DropoutOp.apply(x, p, 3, new SplittableRandom(8)), x);
        }
        // dx = dy * mask / (1 - p), and y = x * mask / (1 - p)
        x.zeroGrad();
        Tensor y = DropoutOp.apply(x, 0.5f, 1, new SplittableRandom(9));
        y.sum().backward();
        int dropped = 0;
        for (int i = 0; i < x.numel(); i++) {
            float g = x.grad().data()[i];
            if (g == 0f) {
                dropped++;
                assertEquals(0f, y.data()[i], 0f);
            } else {
                assertEquals(2f, g);
                assertEquals(2f * x.data()[i], y.data()[i], 1e-6);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(dropped > 0 && dropped < x.numel(), "mask is neither empty nor full");
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsAndBranches() {
        Tensor x = uniform(80, -1, 1, 2, 3), w = uniform(81, -1, 1, 3, 2);
        x.matmul(w).sum().backward();
        float[] once = x.grad().data().clone();
        x.matmul(w).sum().backward(); // PyTorch semantics: .grad accumulates until zeroed
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], x.grad().data()[i], 1e-6);
        x.zeroGrad();
        for (float g : x.grad().data()) assertEquals(0f, g, 0f);
        // two branches of one graph meeting again: d/dx (exp(x) * relu-free x + sum(x)) summed correctly
        GradCheck.of("diamond").check(() -> x.exp().mul(x).add(x.sum(1, true)).sub(x.mul(w.t())), x, w);
    }
}
