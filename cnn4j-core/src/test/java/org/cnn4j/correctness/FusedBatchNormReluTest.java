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
