package org.cnn4j.graph;

import org.cnn4j.nn.Add;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {

    /** Seed 003's Keras CNN: Conv2D(32,3,same,relu) Conv2D(64,3,valid,relu) MaxPooling2D(2) Flatten Dense(100,relu) Dropout(0.4) Dense(10,softmax). */
    static Model kerasCnn() {
        SymbolicTensor in = Input.of(1, 28, 28);
        SymbolicTensor x = Layers.conv2d(32, 3).padding("same").activation("relu").apply(in);
        x = Layers.conv2d(64, 3).activation("relu").apply(x);
        x = Layers.maxPooling2d(2).apply(x);
        x = Layers.flatten().apply(x);
        x = Layers.dense(100).activation("relu").apply(x);
        x = Layers.dropout(0.4f).apply(x);
        return new Model(in, Layers.dense(10).activation("softmax").apply(x));
    }

    @Test
    void seedKerasCnnHasTheSeedsParameterCountsAndShapes() {
        Rng.manualSeed(1);
        Model m = kerasCnn();
        assertEquals(1_101_526, m.parameterCount());
        assertEquals(List.of("conv2d", "re_lu", "conv2d_1", "re_lu_1", "max_pool2d", "flatten", "linear", "re_lu_2",
                "dropout", "linear_1", "softmax"), List.copyOf(m.children().keySet()));
        assertEquals(320, m.children().get("conv2d").parameterCount());
        assertEquals(18_496, m.children().get("conv2d_1").parameterCount());
        assertEquals(1_081_700, m.children().get("linear").parameterCount());
        Tensor y = m.eval().call(Tensor.zeros(3, 1, 28, 28));
        assertArrayEquals(new int[]{3, 10}, y.shape());
        float sum = 0;
        for (int j = 0; j < 10; j++) sum += y.data()[j];
        assertEquals(1f, sum, 1e-5f, "softmax output sums to one");
        // Keras initialisers: biases start at zero.
        for (float b : m.stateDict().get("linear.bias").data()) assertEquals(0f, b);
    }

    @Test
    void residualGraphAddsAndBackpropagatesIntoBothBranches() {
        Rng.manualSeed(2);
        SymbolicTensor in = Input.of(2, 5, 5);
        Layer conv = Layers.conv2d(2, 3).padding("same").name("branch");
        SymbolicTensor branch = conv.apply(in);
        SymbolicTensor sum = Layer.of(new Add()).apply(in, branch);
        Model m = new Model(in, sum);
        assertArrayEquals(new int[]{2, 5, 5}, sum.shape());

        Tensor x = Tensor.uniform(Rng.global(), -1, 1, 1, 2, 5, 5).requiresGrad(true);
        Tensor y = m.call(x);
        Conv2d c = (Conv2d) conv.module();
        Tensor expected = x.add(c.call(x));
        assertArrayEquals(expected.data(), y.data(), 1e-6f);
        y.sum().backward();
        // d(sum)/dx = 1 (identity branch) + the conv's input gradient, which is not all zero.
        assertNotNull(x.grad());
        assertNotNull(c.weight().grad());
        boolean anyDifferent = false;
        for (float g : x.grad().data()) anyDifferent |= Math.abs(g - 1f) > 1e-6f;
        assertTrue(anyDifferent, "gradient flowed through the conv branch as well as the skip");
    }

    @Test
    void kerasRegularizersLandOnTheirParametersAndInTheLoss() {
        SymbolicTensor in = Input.of(1, 6, 6);
        SymbolicTensor x = Layers.conv2d(2, 3).kernelRegularizer(org.cnn4j.nn.Regularizer.l1(0.5)).apply(in);
        x = Layers.dense(3).kernelRegularizer(org.cnn4j.nn.Regularizer.l2(0.25)).biasRegularizer(org.cnn4j.nn.Regularizer.l2(1))
                .apply(Layers.flatten().apply(x));
        Model m = new Model(in, x);
        var p = m.namedParameters();
        double expected = 0;
        for (float w : p.get("conv2d.weight").data()) expected += 0.5 * Math.abs(w);
        for (float w : p.get("linear.weight").data()) expected += 0.25 * w * w;
        // the dense bias starts at zero, so its l2 term is 0; the conv bias has no regularizer
        assertEquals(expected, m.regularizationLoss().item(), 1e-4 * expected);
        assertEquals(null, p.get("conv2d.bias").regularizer());
    }

    @Test
    void aLayerAppliedTwiceSharesItsWeights() {
        SymbolicTensor in = Input.of(4);
        Layer shared = Layers.dense(4);
        SymbolicTensor out = shared.apply(shared.apply(in));
        Model m = new Model(in, out);
        assertEquals(1, m.children().size());
        assertEquals(20, m.parameterCount());
        Tensor x = Tensor.ones(1, 4);
        Module d = shared.module();
        assertArrayEquals(d.call(d.call(x)).data(), m.call(x).data(), 0f);
    }

    @Test
    void batchNormThenReluRunsFusedWithTheSameResultAsApart() {
        Rng.manualSeed(3);
        SymbolicTensor in = Input.of(3, 6, 6);
        BatchNorm2d bn = new BatchNorm2d(3);
        ReLU relu = new ReLU();
        Model m = new Model(in, Layer.of(relu).apply(Layer.of(bn).apply(in)));
        Tensor x = Tensor.uniform(Rng.global(), -2, 2, 4, 3, 6, 6);
        float[] fused = m.call(x).data().clone();
        float[] mean = bn.runningMean().data().clone();
        // A hook forces the unfused path; reset the running stats so both see the same state.
        java.util.Arrays.fill(bn.runningMean().data(), 0f);
        java.util.Arrays.fill(bn.runningVar().data(), 1f);
        relu.addForwardHook((mod, i, o) -> { });
        assertArrayEquals(fused, m.call(x).data(), 0f);
        assertArrayEquals(mean, bn.runningMean().data(), 0f);
    }

    @Test
    void shapeErrorsSurfaceAtApplyNamingTheLayer() {
        SymbolicTensor in = Input.of(1, 28, 28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.dense(10).apply(in));
        assertTrue(e.getMessage().contains("Dense(10)") && e.getMessage().contains("[None, 1, 28, 28]"), e.getMessage());
        SymbolicTensor small = Input.of(1, 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(4, 3).apply(small));
        assertTrue(e.getMessage().contains("Conv2d") && e.getMessage().contains("[None, 1, 2, 2]"), e.getMessage());
    }

    @Test
    void outputsThatDependOnAnUndeclaredInputAreRejected() {
        SymbolicTensor a = Input.named("a", 3);
        SymbolicTensor b = Input.named("b", 3);
        SymbolicTensor out = Layer.of(new Add()).apply(a, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Model(a, out));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        Model two = new Model(List.of(a, b), List.of(out));
        Tensor y = two.forward(List.of(Tensor.ones(2, 3), Tensor.full(2f, 2, 3))).get(0);
        assertArrayEquals(new float[]{3, 3, 3, 3, 3, 3}, y.data());
        assertSame(a, two.inputs().get(0));
    }

    @Test
    void wrongInputShapeAtCallTimeIsExplained() {
        Model m = kerasCnn();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call(Tensor.zeros(2, 3, 28, 28)));
        assertTrue(e.getMessage().contains("[N, 1, 28, 28]") && e.getMessage().contains("[2, 3, 28, 28]"), e.getMessage());
    }

}
