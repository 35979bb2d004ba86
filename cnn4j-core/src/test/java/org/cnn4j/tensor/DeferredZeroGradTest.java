package org.cnn4j.tensor;

import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Parameter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** zeroGrad() defers its fill: readers see zeros, overwriting backwards skip it, accumulation still adds. */
class DeferredZeroGradTest {

    private static float[] weightGradAfterBackward(Linear layer, Tensor x) {
        layer.call(x).sum().backward();
        return layer.weight().gradIfPresent().clone();
    }

    @Test
    void readersSeeZerosAfterZeroGrad() {
        Rng.manualSeed(3);
        Linear layer = new Linear(5, 3);
        Tensor x = Tensor.normal(Rng.global(), 0f, 1f, 4, 5);
        weightGradAfterBackward(layer, x);
        Parameter w = layer.weight();
        w.zeroGrad();
        assertFalse(w.hasGrad());
        assertArrayEquals(new float[15], w.grad().data());
        assertArrayEquals(new float[15], w.gradIfPresent());
        assertArrayEquals(new float[15], w.gradBuffer());
    }

    @Test
    void backwardAfterZeroGradOverwritesAndWithoutItAccumulates() {
        Rng.manualSeed(4);
        Linear layer = new Linear(6, 4);
        Tensor x = Tensor.normal(Rng.global(), 0f, 1f, 3, 6);
        float[] first = weightGradAfterBackward(layer, x);
        float[] twice = weightGradAfterBackward(layer, x); // no zeroGrad: the second gradient is added
        for (int i = 0; i < first.length; i++) {
            assertEquals(2 * first[i], twice[i], 1e-5f * Math.max(1f, Math.abs(first[i])));
        }
        layer.zeroGrad();
        float[] again = weightGradAfterBackward(layer, x); // written fresh into the stale buffer
        assertArrayEquals(first, again, 1e-6f);
        assertTrue(layer.weight().hasGrad());
        float[] bias = layer.bias().gradIfPresent();
        for (float b : bias) {
            assertEquals(3f, b, 1e-6f); // d(sum)/db = batch size, after zeroGrad too
        }
    }
}
