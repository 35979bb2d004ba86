package org.cnn4j.correctness;

import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Conv3d;
import org.cnn4j.nn.ConvArithmetic;
import org.cnn4j.nn.ConvTranspose2d;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.PaddingMode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.functional.Functional;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TensorFlow's "same" rule against its formula, output sizes, PyTorch's default initialisation bounds, hand-made
 * filters through the functional form, and the error messages for invalid hyper-parameters and shapes.
 */
class ConvFamilyShapeTest {

    /** pad_total = max((ceil(I/S) - 1)*S + (F-1)*D + 1 - I, 0), before = total/2, extra pixel at the end. */
    private static int[] formula(int i, int s, int f, int d) {
        int out = (i + s - 1) / s;
        int total = Math.max((out - 1) * s + (f - 1) * d + 1 - i, 0);
        return new int[] {total / 2, total - total / 2};
    }

    @Test
    void tensorflowSameRule() {
        // the worked cases: I=7, S=2, F=4 -> out 4, total 3 = (1, 2); I=6, S=2, F=3 -> out 3, total 1 = (0, 1)
        assertArrayEquals(new int[] {1, 2}, ConvArithmetic.samePadding(7, 4, 2, 1));
        assertArrayEquals(new int[] {0, 1}, ConvArithmetic.samePadding(6, 2 + 1, 2, 1));
        assertArrayEquals(new int[] {0, 1}, ConvArithmetic.samePadding(5, 2, 1, 1)); // even kernel, stride 1
        assertArrayEquals(new int[] {1, 2}, ConvArithmetic.samePadding(8, 4, 1, 1));
        assertArrayEquals(new int[] {0, 0}, ConvArithmetic.samePadding(8, 2, 2, 1)); // windows tile the input
        assertArrayEquals(new int[] {0, 0}, ConvArithmetic.samePadding(9, 1, 3, 1));
        assertArrayEquals(new int[] {3, 3}, ConvArithmetic.samePadding(9, 4, 1, 2)); // dilated extent 7
        for (int i = 1; i <= 12; i++)
            for (int s = 1; s <= 4; s++)
                for (int f = 1; f <= 6; f++)
                    for (int d = 1; d <= 3; d++) {
                        int[] p = ConvArithmetic.samePadding(i, f, s, d);
                        assertArrayEquals(formula(i, s, f, d), p, "I=" + i + " S=" + s + " F=" + f + " D=" + d);
                        // and the layer's output is ceil(I / S) along every axis
                        int out = ConvArithmetic.outputSizeFloor(i, f, p[0], p[1], s, d);
                        assertEquals((i + s - 1) / s, out, "ceil(I/S) for I=" + i + " S=" + s + " F=" + f + " D=" + d);
                    }
    }

    @Test
    void sameLayersKeepCeilOfInputOverStride() {
        Rng.manualSeed(40);
        Tensor x = Tensor.zeros(1, 2, 7, 6);
        assertArrayEquals(new int[] {1, 3, 4, 3}, Conv2d.builder(2, 3, 4).stride(2).padding(Padding.SAME).build().call(x).shape());
        assertArrayEquals(new int[] {1, 3, 7, 6}, Conv2d.builder(2, 3, 2).padding(Padding.SAME).build().call(x).shape());
        assertArrayEquals(new int[] {1, 1, 3}, Conv1d.builder(1, 1, 4).stride(3).padding("same").build()
                .call(Tensor.zeros(1, 1, 7)).shape());
        assertArrayEquals(new int[] {1, 1, 2, 3, 4}, Conv3d.builder(1, 1, 2).stride(3, 2, 2).padding(Padding.SAME).build()
                .call(Tensor.zeros(1, 1, 5, 5, 7)).shape());
        // "valid" drops the partial window: (7 - 4)/2 + 1 = 2
        assertArrayEquals(new int[] {1, 3, 2, 2}, Conv2d.builder(2, 3, 4).stride(2).padding(Padding.VALID).build().call(x).shape());
    }

    @Test
    void sameWithEvenKernelPadsAfter() {
        // a 2-tap [1, 1] filter at stride 2 over 1..5: out 3, total 1, padding (0, 1): 1+2, 3+4, 5+0
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 1, 5);
        Tensor w = Tensor.of(new float[] {1, 1}, 1, 1, 2);
        Tensor y = Functional.conv1d(x, w, null, ConvOptions.DEFAULT.stride(2).padding(Padding.SAME));
        assertArrayEquals(new float[] {3, 7, 5}, y.data());
    }

    @Test
    void seedsMovingAverageAndLineFilters() {
        // seeds 000: [1,1,1,1,1] * [0.25,0.25,0.25] has 3 outputs of 0.75
        Tensor y = Functional.conv1d(Tensor.ones(1, 1, 5), Tensor.full(0.25f, 1, 1, 3), null, ConvOptions.DEFAULT);
        assertArrayEquals(new float[] {0.75f, 0.75f, 0.75f}, y.data());
        // 7x7 vertical and horizontal line filters with SAME padding on an image holding one vertical line
        float[] img = new float[9 * 9];
        for (int r = 0; r < 9; r++) img[r * 9 + 4] = 1f;
        float[] bank = new float[2 * 49];
        for (int i = 0; i < 7; i++) {
            bank[i * 7 + 3] = 1f;        // filter 0: vertical line
            bank[49 + 3 * 7 + i] = 1f;   // filter 1: horizontal line
        }
        Tensor maps = Functional.conv2d(Tensor.of(img, 1, 1, 9, 9), Tensor.of(bank, 2, 1, 7, 7), null,
                ConvOptions.DEFAULT.padding(Padding.SAME));
        assertArrayEquals(new int[] {1, 2, 9, 9}, maps.shape());
        assertEquals(7f, maps.get(0, 0, 4, 4));  // the whole vertical filter on the line
        assertEquals(4f, maps.get(0, 0, 0, 4));  // at the top edge only 4 taps see the image
        assertEquals(0f, maps.get(0, 0, 4, 1));  // off the line
        assertEquals(1f, maps.get(0, 1, 4, 4));  // the horizontal filter crosses it once
        assertEquals(1f, maps.get(0, 1, 4, 1));
    }

    @Test
    void pytorchDefaultInitBounds() {
        Rng.manualSeed(41);
        // fan_in = weight.shape[1] * kernel volume: groups divide it; a transposed weight is [in, out/groups, k]
        assertBound(Conv2d.builder(8, 16, 3).groups(4).build().weight(), 2 * 9);
        assertBound(Conv1d.builder(3, 5, 7).build().weight(), 3 * 7);
        assertBound(Conv3d.builder(2, 4, 3).kernel(2, 3, 3).build().weight(), 2 * 18);
        ConvTranspose2d t = ConvTranspose2d.builder(6, 4, 3).groups(2).build();
        assertArrayEquals(new int[] {6, 2, 3, 3}, t.weight().shape());
        assertBound(t.weight(), 2 * 9);
        assertBound(t.bias(), 2 * 9);
    }

    private static void assertBound(Tensor t, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn), max = 0;
        for (float v : t.data()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound, "values within 1/sqrt(" + fanIn + ")");
        assertTrue(max > 0.7 * bound, "values fill U(-1/sqrt(fan_in), 1/sqrt(fan_in)): max " + max + " vs " + bound);
    }

    // ---------------------------------------------------------------- errors

    private static String error(Supplier<Object> f) {
        return assertThrows(IllegalArgumentException.class, f::get).getMessage();
    }

    private static void contains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' in: " + message);
    }

    @Test
    void hyperParametersFailAtConstruction() {
        contains(error(() -> Conv2d.builder(6, 4, 3).groups(4).build()), "Conv2d", "in_channels must be divisible by groups",
                "6 % 4 = 2", "groups=4");
        contains(error(() -> Conv2d.builder(4, 6, 3).groups(4).build()), "out_channels must be divisible by groups");
        contains(error(() -> Conv1d.builder(4, 4, 3).dilation(0).build()), "Conv1d", "dilation must be positive");
        contains(error(() -> Conv3d.builder(4, 4, 3).kernel(3, 3).build()), "Conv3d", "kernel_size takes 1 or 3 values");
        contains(error(() -> Conv2d.builder(4, 4, 3).padding(1, 2, 3).build()), "padding for a 2-D convolution takes 1, 2 or 4");
        contains(error(() -> ConvTranspose2d.builder(4, 4, 3).stride(2).outputPadding(2).build()),
                "output_padding must be smaller than either stride or dilation");
        contains(error(() -> ConvTranspose2d.builder(4, 4, 3).padding(Padding.SAME).build()), "'same' is not supported");
        contains(error(() -> ConvTranspose2d.builder(4, 4, 3).paddingMode(PaddingMode.REFLECT).build()), "'zeros'");
        contains(error(() -> Conv2d.builder(4, 4, 3).paddingMode("mirror").build()), "padding_mode", "'mirror'");
        contains(error(() -> ConvOptions.DEFAULT.stride(0)), "stride must be positive");
        contains(error(() -> ConvOptions.DEFAULT.groups(0)), "groups must be a positive integer");
    }

    @Test
    void shapeErrorsNameTheLayerAndTheFormula() {
        Rng.manualSeed(42);
        Sequential net = new Sequential(Conv2d.builder(4, 4, 3).groups(2).build());
        contains(error(() -> net.call(Tensor.zeros(1, 6, 8, 8))), "0 (Conv2d 4->4, k3, s1, p0, groups 2)",
                "input [1, 6, 8, 8] has 6 channels, expected 4", "groups = 2");
        contains(error(() -> net.call(Tensor.zeros(6, 8, 8))), "expected input [N, C, H, W], got [6, 8, 8]");
        Conv2d dilated = Conv2d.builder(1, 1, 3).dilation(3).build();
        contains(error(() -> dilated.call(Tensor.zeros(1, 1, 6, 9))), "kernel 3x3 dilated to 7x7",
                "larger than the padded input 6x9", "floor((6 + 0 + 0 - 3*2 - 1) / 1) + 1");
        Conv1d reflect = Conv1d.builder(1, 1, 3).padding(3).paddingMode(PaddingMode.REFLECT).build();
        contains(error(() -> reflect.call(Tensor.zeros(1, 1, 3))), "reflect padding (3, 3) along L",
                "smaller than the input size 3");
        ConvTranspose2d t = ConvTranspose2d.builder(1, 1, 2).padding(2).build();
        contains(error(() -> t.call(Tensor.zeros(1, 1, 1, 4))), "output size below 1 along H",
                "(1 - 1)*1 - 2 - 2 + 1*1 + 0 + 1 = -2");
        contains(error(() -> Functional.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), ConvOptions.DEFAULT)),
                "conv2d: bias must be [4]");
        contains(error(() -> Functional.conv3d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 3, 3, 3, 3), null, ConvOptions.DEFAULT)),
                "conv3d: expected input [N, C, D, H, W], got [1, 3, 5, 5]");
        contains(error(() -> Functional.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(6, 2, 3, 3), null, ConvOptions.DEFAULT.groups(4))),
                "out_channels 6", "not divisible by groups 4");
    }
}
