package org.cnn4j.correctness;

import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sequential runs BatchNorm followed by ReLU as one fused op; it must equal the two layers run apart. */
class FusedBatchNormReluTest {
    private static Sequential net(long seed) {
        Rng.manualSeed(seed);
        return new Sequential(new Conv2d(2, 3, 3, 1, 1), new BatchNorm2d(3), new ReLU());
    }

    @Test
    void fusedEqualsSeparateLayersInTrainingAndEvaluation() {
        for (boolean training : new boolean[] {true, false}) {
            Sequential fused = net(5), separate = net(5);
            fused.train(training);
            separate.train(training);
            List<String> seen = new ArrayList<>();
            // a hook on the ReLU makes Sequential call the layers one by one (summaries rely on this)
            separate.get(2).addForwardHook((m, in, out) -> seen.add(m.describe()));
            Tensor x1 = uniform(6, -1, 1, 2, 2, 5, 5).requiresGrad(true), x2 = x1.copy().requiresGrad(true);
            Tensor y1 = fused.call(x1), y2 = separate.call(x2);
            assertEquals(List.of("ReLU"), seen);
            assertArrayEquals(y2.data(), y1.data(), 0f, "forward, training=" + training);
            y1.sum().backward();
            y2.sum().backward();
            assertArrayEquals(x2.grad().data(), x1.grad().data(), 0f, "dx, training=" + training);
            for (String p : List.of("0.weight", "1.weight", "1.bias"))
                assertArrayEquals(separate.namedParameters().get(p).grad().data(), fused.namedParameters().get(p).grad().data(), 0f, p);
            assertArrayEquals(((BatchNorm2d) separate.get(1)).runningVar().data(), ((BatchNorm2d) fused.get(1)).runningVar().data(), 0f);
        }
    }

    /**
     * A residual join, {@code relu(bn(conv(x)) + r)} (ResNet's blocks), as one op: equal to the three ops one after
     * the other, with r's gradient accumulated where r is used twice (ResNet's identity is also conv1's input).
     */
    @Test
    void fusedResidualJoinEqualsSeparateOps() {
        for (boolean training : new boolean[] {true, false}) {
            String where = "training=" + training;
            Sequential a = net(9), b = net(9);
            a.train(training);
            b.train(training);
            Conv2d convA = (Conv2d) a.get(0), convB = (Conv2d) b.get(0);
            BatchNorm2d bnA = (BatchNorm2d) a.get(1), bnB = (BatchNorm2d) b.get(1);
            ReLU relu = new ReLU();
            Tensor x1 = uniform(10, -1, 1, 2, 2, 5, 5).requiresGrad(true), x2 = x1.copy().requiresGrad(true);
            Tensor r1 = uniform(11, -1, 1, 2, 3, 5, 5).requiresGrad(true), r2 = r1.copy().requiresGrad(true);
            Tensor y1 = bnA.callWithAddAndRelu(convA.call(x1), r1, relu);
            Tensor y2 = relu.call(bnB.call(convB.call(x2)).add(r2));
            assertEquals(training ? "BatchNormAddReLUTrain" : "BatchNormAddReLUEval", y1.gradFn().name());
            assertArrayEquals(y2.data(), y1.data(), 0f, "forward, " + where);
            Tensor w = uniform(12, -1, 1, y1.shape());
            y1.mul(w).sum().add(r1.mul(0.5f).sum()).backward();
            y2.mul(w).sum().add(r2.mul(0.5f).sum()).backward();
            assertArrayEquals(r2.grad().data(), r1.grad().data(), 0f, "residual's gradient, " + where);
            assertArrayEquals(x2.grad().data(), x1.grad().data(), 0f, "dx, " + where);
            for (String p : List.of("0.weight", "1.weight", "1.bias"))
                assertArrayEquals(b.namedParameters().get(p).grad().data(), a.namedParameters().get(p).grad().data(), 0f, p);
            assertArrayEquals(bnB.runningVar().data(), bnA.runningVar().data(), 0f, where);
            // a hook on the batch norm: the plain calls
            bnA.addForwardHook((m, in, out) -> { });
            assertEquals("ReLU", bnA.callWithAddAndRelu(convA.call(x1), r1, relu).gradFn().name());
        }
        Rng.manualSeed(13);
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor z = uniform(14, -1, 1, 2, 3, 4, 4), r = uniform(15, -1, 1, 2, 3, 4, 4);
        GradCheck.of("fused bn+add+relu (train)").check(() -> bn.callWithAddAndRelu(z, r, new ReLU()), z, r, bn.weight(), bn.bias());
        bn.eval();
        GradCheck.of("fused bn+add+relu (eval)").check(() -> bn.callWithAddAndRelu(z, r, new ReLU()), z, r, bn.weight(), bn.bias());
    }

    @Test
    void fusedGradientMatchesFiniteDifferences() {
        Module fused = net(7);
        Tensor x = uniform(8, -1, 1, 2, 2, 5, 5);
        Conv2d conv = (Conv2d) ((Sequential) fused).get(0);
        BatchNorm2d bn = (BatchNorm2d) ((Sequential) fused).get(1);
        GradCheck.of("fused bn+relu (train)").check(() -> fused.call(x), x, conv.weight(), bn.weight(), bn.bias());
        fused.eval();
        GradCheck.of("fused bn+relu (eval)").check(() -> fused.call(x), x, conv.weight(), bn.weight(), bn.bias());
        assertTrue(fused.call(x).gradFn() == null || fused.call(x).gradFn().name().startsWith("BatchNormReLU"));
    }
}
