package org.cnn4j.nn;

import org.cnn4j.models.FashionCNN;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    @Test
    void shapeErrorsNameTheLayerPathAndBothShapes() {
        FashionCNN model = new FashionCNN();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.call(Tensor.zeros(2, 3, 28, 28)));
        assertEquals("layer1.0 (Conv2d 1->32, k3, s1, p1): input [2, 3, 28, 28] has 3 channels, expected 1", e.getMessage());

        Sequential net = new Sequential(new Flatten(), new Linear(10, 2));
        e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(4, 3, 2, 2)));
        assertTrue(e.getMessage().startsWith("1 (Linear 10->2): input [4, 12] does not match [N, 10]"), e.getMessage());
    }

    @Test
    void kernelLargerThanPaddedInputIsRejectedWithTheFormula() {
        Conv2d conv = new Conv2d(1, 1, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("kernel 5x5 is larger than the padded input 3x3"), e.getMessage());
        assertTrue(e.getMessage().contains("(I - F + 2P) / S + 1"), e.getMessage());
    }

    @Test
    void invalidHyperParametersFailAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 3, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(8, 0f, 0.1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Padding.parse("sometimes"));
        assertTrue(e.getMessage().contains("'sometimes'"));
    }

    @Test
    void stateDictRoundTripsAndMismatchesAreNamed() {
        FashionCNN a = new FashionCNN(), b = new FashionCNN();
        b.loadStateDict(a.stateDict(), true);
        for (var e : a.stateDict().entrySet())
            assertArrayEquals(e.getValue().data(), b.stateDict().get(e.getKey()).data(), e.getKey());

        Map<String, Tensor> partial = new HashMap<>(a.stateDict());
        partial.remove("fc3.bias");
        partial.put("fc4.weight", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(partial, true));
        assertTrue(e.getMessage().contains("missing keys [fc3.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [fc4.weight]"), e.getMessage());

        Map<String, Tensor> wrongShape = new HashMap<>(a.stateDict());
        wrongShape.put("fc3.bias", Tensor.zeros(11));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrongShape, true));
        assertTrue(e.getMessage().contains("'fc3.bias' has shape [11], the model expects [10]"), e.getMessage());
    }

    @Test
    void trainEvalAndFreezingReachEveryChild() {
        FashionCNN model = new FashionCNN();
        model.eval();
        for (Module m : model.namedModules().values()) assertFalse(m.isTraining());
        model.children().get("layer1").requiresGrad(false);
        long frozen = model.parameterCount() - model.trainableParameterCount();
        assertEquals(32 * 9 + 32 + 32 + 32, frozen);
    }

    @Test
    void sameSeedGivesSameInitialWeights() {
        org.cnn4j.tensor.Rng.manualSeed(9);
        List<Parameter> a = new FashionCNN().parameters();
        org.cnn4j.tensor.Rng.manualSeed(9);
        List<Parameter> b = new FashionCNN().parameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data());
    }

    @Test
    void defaultInitMatchesPyTorchBounds() {
        Conv2d conv = new Conv2d(32, 64, 3);
        float bound = (float) (1 / Math.sqrt(32 * 9));
        float max = 0;
        for (float v : conv.weight().data()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound && max > 0.9f * bound, "max |w| " + max + " vs bound " + bound);
    }
}
