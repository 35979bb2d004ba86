package org.cnn4j.correctness;

import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Dropout2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.LogSoftmax;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Softmax;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.cnn4j.correctness.TestTensors.distinct;
import static org.cnn4j.correctness.TestTensors.fill;
import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference gradient checks of every layer in org.cnn4j.nn, through the public Module API. */
class LayerGradientTest {
    @AfterAll
    static void report() {
        System.out.println(GradCheck.summary());
    }


    @Test
    void linear() {
        Rng.manualSeed(1);
        Linear fc = new Linear(5, 3);
        Tensor x = uniform(1, -1, 1, 4, 5);
        GradCheck.of("Linear x, W, b").check(() -> fc.call(x), x, fc.weight(), fc.bias());
        Linear noBias = new Linear(5, 3, false, org.cnn4j.nn.Init.GLOROT_UNIFORM);
        GradCheck.of("Linear no bias").check(() -> noBias.call(x), x, noBias.weight());
    }

    // ------------------------------------------------------------ convolution

    private static void checkConv(String label, Conv2d conv, int n, int h, int w, int[] expectedOut) {
        Tensor x = uniform(label.hashCode(), -1, 1, n, conv.inChannels(), h, w);
        assertArrayEquals(expectedOut, conv.call(x).shape(), label + " output shape");
        if (conv.bias() != null)
            GradCheck.of(label).check(() -> conv.call(x), x, conv.weight(), conv.bias());
        else
            GradCheck.of(label).check(() -> conv.call(x), x, conv.weight());
    }

    @Test
    void conv2dStride1NoPadding() {
        Rng.manualSeed(2);
        checkConv("conv s1 p0 3x3 C2 O3", new Conv2d(2, 3, 3), 2, 5, 6, new int[] {2, 3, 3, 4});
    }

    @Test
    void conv2dStride1Padding1() {
        Rng.manualSeed(3);
        checkConv("conv s1 p1", new Conv2d(2, 3, 3, 1, 1), 2, 4, 5, new int[] {2, 3, 4, 5});
    }

    @Test
    void conv2dStride2Padding1NonSquareKernel() {
        Rng.manualSeed(4);
        Conv2d conv = Conv2d.builder(3, 2, 3).kernel(3, 2).stride(2).padding(1).build();
        // H: (7 - 3 + 2)/2 + 1 = 4; W: (6 - 2 + 2)/2 + 1 = 4
        checkConv("conv s2 p1 k3x2", conv, 2, 7, 6, new int[] {2, 2, 4, 4});
    }

    @Test
    void conv2dStride3AndMixedStridesAndPadding() {
        Rng.manualSeed(5);
        // H: (8 - 3 + 2)/3 + 1 = 3 (floored), W: (7 - 3 + 2)/3 + 1 = 3: some input rows are never used
        checkConv("conv s3 p1", new Conv2d(2, 2, 3, 3, 1), 1, 8, 7, new int[] {1, 2, 3, 3});
        Conv2d mixed = Conv2d.builder(2, 3, 2).kernel(2, 3).stride(2, 1).padding(Padding.of(0, 2)).build();
        // H: (5 - 2)/2 + 1 = 2, W: (4 - 3 + 4)/1 + 1 = 6
        checkConv("conv s(2,1) p(0,2) k2x3", mixed, 2, 5, 4, new int[] {2, 3, 2, 6});
    }

    @Test
    void conv2dSamePaddingEvenKernelIsAsymmetric() {
        Rng.manualSeed(6);
        // even kernel: total padding 1 per axis, split 0 before / 1 after (TensorFlow's rule)
        Conv2d same = Conv2d.builder(2, 2, 2).padding(Padding.SAME).build();
        checkConv("conv SAME k2 s1", same, 2, 5, 4, new int[] {2, 2, 5, 4});
        Conv2d same4 = Conv2d.builder(1, 2, 4).kernel(4, 2).padding(Padding.SAME).stride(2).build();
        // ceil(7/2) = 4, ceil(6/2) = 3
        checkConv("conv SAME k4x2 s2", same4, 2, 7, 6, new int[] {2, 2, 4, 3});
        // asymmetric split checked on the forward values: a 2x2 all-ones kernel at the bottom-right
        // corner sums only the corner pixel (padding after), at the top-left it sums a full 2x2 block
        Conv2d ones = Conv2d.builder(1, 1, 2).padding(Padding.SAME).bias(false).build();
        java.util.Arrays.fill(ones.weight().data(), 1f);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor y = ones.call(x);
        assertArrayEquals(new float[] {12, 16, 9, 24, 28, 15, 15, 17, 9}, y.data());
        Conv2d valid = Conv2d.builder(2, 2, 3).padding(Padding.VALID).build();
        checkConv("conv VALID", valid, 1, 5, 5, new int[] {1, 2, 3, 3});
    }

    @Test
    void conv2dNoBias() {
        Rng.manualSeed(7);
        Conv2d conv = Conv2d.builder(3, 4, 3).stride(2).padding(1).bias(false).build();
        assertEquals(null, conv.bias());
        assertEquals(1, conv.stateDict().size());
        checkConv("conv no bias s2 p1", conv, 2, 6, 6, new int[] {2, 4, 3, 3});
    }

    // ------------------------------------------------------------ pooling

    @Test
    void maxPool2d() {
        Tensor x = distinct(10, 0.05, 2, 2, 6, 6); // distinct values: no ties within eps
        MaxPool2d p2 = new MaxPool2d(2);
        assertArrayEquals(new int[] {2, 2, 3, 3}, p2.call(x).shape());
        GradCheck.of("maxpool k2").check(() -> p2.call(x), x);
        MaxPool2d overlap = new MaxPool2d(3, 2); // stride != kernel, overlapping windows
        assertArrayEquals(new int[] {2, 2, 2, 2}, overlap.call(x).shape());
        GradCheck.of("maxpool k3 s2").check(() -> overlap.call(x), x);
        MaxPool2d stride1 = new MaxPool2d(2, 1);
        GradCheck.of("maxpool k2 s1").check(() -> stride1.call(x), x);
        MaxPool2d padded = new MaxPool2d(3, 2, 1);
        Tensor x7 = distinct(11, 0.05, 1, 2, 7, 7);
        assertArrayEquals(new int[] {1, 2, 4, 4}, padded.call(x7).shape());
        GradCheck.of("maxpool k3 s2 p1").check(() -> padded.call(x7), x7);
    }

    @Test
    void maxPool2dPaddingIsMinusInfinity() {
        // all-negative input: a zero-padded max would return 0 at the borders; -inf padding must not
        Tensor x = Tensor.of(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2);
        Tensor y = new MaxPool2d(2, 1, 1).call(x);
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, y.data());
    }

    @Test
    void avgPool2d() {
        Tensor x = uniform(12, -1, 1, 2, 2, 6, 6);
        AvgPool2d p2 = new AvgPool2d(2);
        GradCheck.of("avgpool k2").check(() -> p2.call(x), x);
        AvgPool2d overlap = new AvgPool2d(3, 2);
        GradCheck.of("avgpool k3 s2").check(() -> overlap.call(x), x);
        AvgPool2d padded = new AvgPool2d(3, 2, 1);
        Tensor x5 = uniform(13, -1, 1, 1, 2, 5, 5);
        assertArrayEquals(new int[] {1, 2, 3, 3}, padded.call(x5).shape());
        GradCheck.of("avgpool k3 s2 p1").check(() -> padded.call(x5), x5);
        // count_include_pad: the corner window of ones covers 4 real cells of 9
        Tensor ones = Tensor.ones(1, 1, 5, 5);
        assertEquals(4f / 9f, padded.call(ones).data()[0], 1e-6);
    }

    @Test
    void adaptiveAvgPool2d() {
        // 5x7 -> 3x2: PyTorch's windows overlap ([0,2), [1,4), [3,5) along H; [0,4), [3,7) along W)
        Tensor x = uniform(14, -1, 1, 2, 3, 5, 7);
        org.cnn4j.nn.AdaptiveAvgPool2d pool = new org.cnn4j.nn.AdaptiveAvgPool2d(3, 2);
        assertArrayEquals(new int[] {2, 3, 3, 2}, pool.call(x).shape());
        GradCheck.of("adaptive avgpool 5x7->3x2").check(() -> pool.call(x), x);
        float[] d = x.data();
        double expected = 0;
        for (int r = 1; r < 4; r++) for (int c = 0; c < 4; c++) expected += d[r * 7 + c];
        assertEquals(expected / 12, pool.call(x).data()[2], 1e-6, "cell (1, 0) averages rows 1-3, columns 0-3");
        org.cnn4j.nn.AdaptiveAvgPool2d global = new org.cnn4j.nn.AdaptiveAvgPool2d(1);
        GradCheck.of("global avgpool").check(() -> global.call(x), x);
    }

    @Test
    void residualBlocks() {
        Rng.manualSeed(80);
        org.cnn4j.models.ResNet.BasicBlock block = new org.cnn4j.models.ResNet.BasicBlock(2, 3, 2); // with downsample
        Tensor x = uniform(81, -1, 1, 2, 2, 6, 6);
        assertArrayEquals(new int[] {2, 3, 3, 3}, block.call(x).shape());
        GradCheck.of("basic block with downsample").tolerance(1e-2, 5e-4).check(() -> block.call(x), x);
        org.cnn4j.models.ResNet.BasicBlock identity = new org.cnn4j.models.ResNet.BasicBlock(2, 2, 1);
        GradCheck.of("basic block with identity shortcut").tolerance(1e-2, 5e-4).check(() -> identity.call(x), x);
        // In training mode batch norm couples a whole channel, so with three ReLUs some switch flips inside
        // [x - eps, x + eps] for almost every element; in evaluation mode each kink stays local.
        org.cnn4j.models.ResNet.Bottleneck bottleneck = new org.cnn4j.models.ResNet.Bottleneck(2, 2, 2);
        bottleneck.eval();
        GradCheck.of("bottleneck (batch norm in eval mode)").tolerance(1e-2, 5e-4).check(() -> bottleneck.call(x), x);
    }

    // ------------------------------------------------------------ batch norm

    private static void randomizeAffine(BatchNorm bn, long seed) {
        fill(bn.weight(), seed, 0.5, 1.5);
        fill(bn.bias(), seed + 1, -0.5, 0.5);
    }

    @Test
    void batchNorm2dTraining() {
        BatchNorm2d bn = new BatchNorm2d(3);
        randomizeAffine(bn, 20);
        Tensor x = uniform(21, -1, 2, 2, 3, 3, 4);
        GradCheck.of("BatchNorm2d train").check(() -> bn.call(x), x, bn.weight(), bn.bias());
        assertTrue(bn.isTraining());
    }

    @Test
    void batchNorm1dTraining() {
        BatchNorm1d bn = new BatchNorm1d(4);
        randomizeAffine(bn, 22);
        Tensor x = uniform(23, -1, 2, 5, 4);
        GradCheck.of("BatchNorm1d train [N,C]").check(() -> bn.call(x), x, bn.weight(), bn.bias());
        Tensor x3 = uniform(24, -1, 2, 2, 4, 3);
        GradCheck.of("BatchNorm1d train [N,C,L]").check(() -> bn.call(x3), x3, bn.weight(), bn.bias());
    }

    @Test
    void batchNormEval() {
        BatchNorm2d bn = new BatchNorm2d(3);
        randomizeAffine(bn, 25);
        fill(bn.runningMean(), 26, -0.5, 0.5);
        fill(bn.runningVar(), 27, 0.5, 2);
        bn.eval();
        Tensor x = uniform(28, -1, 2, 2, 3, 2, 3);
        GradCheck.of("BatchNorm2d eval").check(() -> bn.call(x), x, bn.weight(), bn.bias());
        // forward: gamma * (x - running_mean) / sqrt(running_var + eps) + beta
        Tensor y = bn.call(x);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 6; i++) {
                    int at = (n * 3 + c) * 6 + i;
                    double e = bn.weight().data()[c] * (x.data()[at] - bn.runningMean().data()[c])
                            / Math.sqrt(bn.runningVar().data()[c] + 1e-5) + bn.bias().data()[c];
                    assertEquals(e, y.data()[at], 1e-5);
                }
        BatchNorm1d bn1 = new BatchNorm1d(4);
        randomizeAffine(bn1, 29);
        fill(bn1.runningMean(), 30, -0.5, 0.5);
        fill(bn1.runningVar(), 31, 0.5, 2);
        bn1.eval();
        Tensor x1 = uniform(32, -1, 2, 3, 4);
        GradCheck.of("BatchNorm1d eval").check(() -> bn1.call(x1), x1, bn1.weight(), bn1.bias());
    }

    @Test
    void batchNormTrainingForwardAndRunningStats() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[] {1, 10, 2, 20, 3, 30, 6, 60}, 4, 2);
        Tensor y = bn.call(x);
        // channel 0: mean 3, biased var 3.5, unbiased var 14/3
        double is = 1 / Math.sqrt(3.5 + 1e-5);
        assertEquals((1 - 3) * is, y.get(0, 0), 1e-5);
        assertEquals((6 - 3) * is, y.get(3, 0), 1e-5);
        assertEquals(0.1 * 3, bn.runningMean().data()[0], 1e-6);
        assertEquals(0.9 + 0.1 * 14.0 / 3, bn.runningVar().data()[0], 1e-5);
        assertEquals(0.9 + 0.1 * 1400.0 / 3, bn.runningVar().data()[1], 1e-3);
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").item());
    }

    // ------------------------------------------------------------ dropout, softmax modules

    @Test
    void dropoutWithFixedMask() {
        Dropout drop = new Dropout(0.3f);
        Tensor x = uniform(40, -1, 1, 4, 5);
        GradCheck.of("Dropout p=0.3").beforeEachForward(() -> Rng.manualSeed(99)).check(() -> drop.call(x), x);
        Dropout2d drop2d = new Dropout2d(0.5f);
        Tensor x4 = uniform(41, -1, 1, 3, 4, 2, 2);
        GradCheck.of("Dropout2d p=0.5").beforeEachForward(() -> Rng.manualSeed(98)).check(() -> drop2d.call(x4), x4);
        // Dropout2d drops whole channel planes, Dropout single elements; dx = dy * mask / (1 - p)
        x4.zeroGrad();
        Rng.manualSeed(98);
        drop2d.call(x4).sum().backward();
        float[] g = x4.grad().data();
        int kept = 0;
        for (int plane = 0; plane < 12; plane++) {
            float first = g[plane * 4];
            assertTrue(first == 0f || first == 2f, "dx is 0 or 1/(1-p)");
            for (int i = 1; i < 4; i++) assertEquals(first, g[plane * 4 + i], "one decision per plane");
            if (first != 0f) kept++;
        }
        assertTrue(kept > 0 && kept < 12, "some planes kept, some dropped: " + kept);
        drop.eval();
        assertArrayEquals(x.data(), drop.call(x).data(), "identity in eval");
    }

    @Test
    void softmaxModules() {
        Tensor x = uniform(50, -2, 2, 3, 4);
        GradCheck.of("Softmax()").check(() -> new Softmax().call(x), x);
        GradCheck.of("LogSoftmax()").check(() -> new LogSoftmax().call(x), x);
        Tensor x4 = uniform(51, -2, 2, 2, 3, 2, 2);
        GradCheck.of("Softmax(1) on NCHW").check(() -> new Softmax(1).call(x4), x4);
        GradCheck.of("LogSoftmax(1) on NCHW").check(() -> new LogSoftmax(1).call(x4), x4);
        GradCheck.of("LogSoftmax(2) on NCHW").check(() -> new LogSoftmax(2).call(x4), x4);
    }

    @Test
    void flattenAndRelu() {
        Tensor x = TestTensors.awayFromZero(60, 0.05, 2, 2, 2, 3);
        Sequential s = new Sequential(new ReLU(), new Flatten());
        assertArrayEquals(new int[] {2, 12}, s.call(x).shape());
        GradCheck.of("ReLU, Flatten").check(() -> s.call(x), x);
    }

    // ------------------------------------------------------------ a whole network, end to end

    @Test
    void smallNetworkEndToEnd() {
        Rng.manualSeed(70);
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(3);
        randomizeAffine(bn, 71);
        Linear fc = new Linear(3 * 3 * 3, 4);
        Module net = new Sequential(conv, bn, new ReLU(), new MaxPool2d(2), new Flatten(), fc);
        Tensor x = uniform(72, -1, 1, 3, 2, 6, 6);
        int[] targets = {1, 3, 0};
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor[] inputs = {x, conv.weight(), conv.bias(), bn.weight(), bn.bias(), fc.weight(), fc.bias()};
        // the conv bias is followed by batch norm, which cancels it: its gradient is ~0 and it is checked
        // against ~0 here (allowZeroGradient only lifts the non-triviality requirement)
        // The loss (~1.3) is a float: one ulp (1.2e-7) over the 2e-3 step is 6e-5 of slope, and batch norm
        // couples every element of a channel, so the element-wise floor is 5e-4; the norm check stays at 1e-2.
        GradCheck.of("conv-bn-relu-pool-flatten-linear-CE").tolerance(1e-2, 5e-4).allowZeroGradient()
                .check(() -> ce.apply(net.call(x), targets), inputs);
        for (Tensor t : new Tensor[] {x, conv.weight(), bn.weight(), bn.bias(), fc.weight(), fc.bias()})
            assertTrue(norm(t.grad().data()) > 1e-3, "non-trivial gradient");
        assertTrue(norm(conv.bias().grad().data()) < 1e-5, "batch norm cancels the conv bias");
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return Math.sqrt(s);
    }
}
