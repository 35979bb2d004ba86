package org.cnn4j.correctness;

import org.cnn4j.autograd.ops.RegularizationOp;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Regularizer;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the L1/L2 penalty, alone and added to a model's loss. */
class RegularizerGradientTest {
    @Test
    void penaltyOpGradient() {
        Tensor a = TestTensors.awayFromZero(1, 0.05, 3, 4), b = TestTensors.awayFromZero(2, 0.05, 5);
        GradCheck.of("L1L2 penalty").check(() -> RegularizationOp.l1l2(new Tensor[] {a, b}, new float[] {0.3f, 0.1f},
                new float[] {0.2f, 0.5f}), a, b);
    }

    @Test
    void modelLossPlusRegularizationGradient() {
        Rng.manualSeed(5);
        Conv2d conv = Conv2d.builder(2, 3, 3).padding(1).build();
        Linear fc = new Linear(3 * 4 * 4, 3);
        Sequential model = new Sequential(conv, new Flatten(), fc);
        Regularizer.applyTo(model, Regularizer.l1L2(0.01, 0.02), Regularizer.l2(0.05));
        // kernels away from zero so no |w| kink lies within a finite-difference step
        TestTensors.fill(conv.weight(), 3, 0.05, 0.5);
        TestTensors.fill(fc.weight(), 4, -0.5, -0.05);
        Tensor x = TestTensors.uniform(6, -1, 1, 2, 2, 4, 4).requiresGrad(false);
        int[] labels = {0, 2};
        CrossEntropyLoss ce = new CrossEntropyLoss();
        GradCheck.of("cross-entropy + L1L2 kernels + L2 biases")
                .check(() -> ce.apply(model.call(x), labels).add(model.regularizationLoss()), conv.weight(), conv.bias(),
                        fc.weight(), fc.bias());
    }
}
