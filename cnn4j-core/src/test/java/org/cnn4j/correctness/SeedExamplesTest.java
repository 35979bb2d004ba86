package org.cnn4j.correctness;

import org.cnn4j.models.FashionCNN;
import org.cnn4j.models.FashionDNN;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.ConvArithmetic;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Padding;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worked examples of SEEDS.md ("Worked examples as test vectors") through the public layer API. */
class SeedExamplesTest {
    private static final float[] INPUT_6X6 = {
        1, 0, 0, 0, 0, 1,
        0, 1, 0, 0, 1, 0,
        0, 0, 1, 1, 0, 0,
        1, 0, 0, 0, 1, 0,
        0, 1, 0, 0, 1, 0,
        0, 0, 1, 0, 1, 0};

    private static Tensor conv6x6(float[] filter) {
        Conv2d conv = Conv2d.builder(1, 1, 3).bias(false).build();
        assertEquals(9, conv.parameterCount());
        System.arraycopy(filter, 0, conv.weight().data(), 0, 9);
        return conv.call(Tensor.of(INPUT_6X6.clone(), 1, 1, 6, 6));
    }

    @Test
    void convolutionWithTheXFilter() {
        Tensor y = conv6x6(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1});
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
        assertArrayEquals(new float[] {3, 1, 1, 3, 1, 2, 3, 0, 1, 2, 2, 2, 3, 0, 3, 1}, y.data());
    }

    @Test
    void convolutionWithTheDiagonalFilter() {
        Tensor y = conv6x6(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        assertArrayEquals(new float[] {3, 1, 0, 1, 0, 2, 2, 0, 0, 0, 2, 2, 3, 0, 1, 1}, y.data());
    }

    @Test
    void conv1dLikeAverage() {
        // 1D conv [1,1,1,1,1] * [0.25,0.25,0.25] as a 1xN 2-D conv: 3 outputs, each 0.75
        Conv2d conv = Conv2d.builder(1, 1, 1).kernel(1, 3).bias(false).build();
        java.util.Arrays.fill(conv.weight().data(), 0.25f);
        Tensor y = conv.call(Tensor.ones(1, 1, 1, 5));
        assertArrayEquals(new float[] {0.75f, 0.75f, 0.75f}, y.data());
    }

    @Test
    void poolingExample4x4() {
        Tensor x = Tensor.of(new float[] {3, -1, 12, -1, -3, 1, 0, 1, 2, -3, 0, 1, 3, -2, 4, -1}, 1, 1, 4, 4);
        assertArrayEquals(new float[] {3, 12, 3, 4}, new MaxPool2d(2).call(x).data());
        assertArrayEquals(new float[] {0, 3, 0, 1}, new AvgPool2d(2).call(x).data());
        assertArrayEquals(new float[] {3, 12, 3, 4}, new MaxPool2d(2, 2).call(x).data());
    }

    @Test
    void poolingExample6x6() {
        Tensor x = Tensor.of(new float[] {
            1, 2, 0, 1, 3, 2,
            3, 1, 2, 1, 0, 1,
            0, 4, 1, 0, 2, 5,
            1, 3, 2, 4, 2, 1,
            1, 2, 1, 4, 1, 2,
            0, 2, 5, 4, 3, 1}, 1, 1, 6, 6);
        Tensor max = new MaxPool2d(2).call(x), avg = new AvgPool2d(2).call(x);
        assertArrayEquals(new int[] {1, 1, 3, 3}, max.shape());
        assertArrayEquals(new float[] {3, 2, 3, 4, 4, 5, 2, 5, 3}, max.data());
        assertArrayEquals(new float[] {1.75f, 1, 1.5f, 2, 1.75f, 2.5f, 1.25f, 3.5f, 1.75f}, avg.data(), 1e-6f);
    }

    @Test
    void outputSizeCases() {
        assertEquals(4, ConvArithmetic.outputSize(4, 3, 1, 1));
        assertEquals(2, ConvArithmetic.outputSize(4, 3, 1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.outputSize(4, 3, 1, 2));
        assertTrue(e.getMessage().contains("(I - F + 2P) / S + 1"), e.getMessage());
        assertTrue(e.getMessage().contains("2.5"), e.getMessage());
        // the same cases through the layer (PyTorch's floor semantics there): S=1 -> 4, S=3 -> 2
        Tensor x = Tensor.ones(1, 1, 4, 4);
        assertArrayEquals(new int[] {1, 1, 4, 4}, new Conv2d(1, 1, 3, 1, 1).call(x).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, new Conv2d(1, 1, 3, 3, 1).call(x).shape());
        // keras "same": output = input at stride 1
        assertArrayEquals(new int[] {1, 1, 4, 4}, Conv2d.builder(1, 1, 3).padding(Padding.SAME).build().call(x).shape());
        // a kernel larger than the padded input is rejected with the formula
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 1, 7).call(x));
        assertTrue(big.getMessage().contains("(I - F + 2P) / S + 1"), big.getMessage());
    }

    @Test
    void kerasConvParameterCount() {
        assertEquals(18_496, new Conv2d(32, 64, 3).parameterCount());
        assertEquals(320, Conv2d.builder(1, 32, 3).padding(Padding.SAME).build().parameterCount());
    }

    @Test
    void fashionModelParameterCounts() {
        assertEquals(1_475_338, new FashionCNN().parameterCount());
        assertEquals(235_146, new FashionDNN().parameterCount());
    }

    @Test
    void stateDictKeysArePyTorchs() {
        // the exact lists printed by PyTorch 1.13 for the seed's models (also stored in the parity fixtures'
        // metadata and compared there; see tools/fixtures/make_fashion_cnn_fixture.py)
        assertEquals(List.of("layer1.0.weight", "layer1.0.bias", "layer1.1.weight", "layer1.1.bias", "layer1.1.running_mean",
                "layer1.1.running_var", "layer1.1.num_batches_tracked", "layer2.0.weight", "layer2.0.bias", "layer2.1.weight",
                "layer2.1.bias", "layer2.1.running_mean", "layer2.1.running_var", "layer2.1.num_batches_tracked", "fc1.weight",
                "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(new FashionCNN().stateDict().keySet()));
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"),
                List.copyOf(new FashionDNN().stateDict().keySet()));
    }
}
