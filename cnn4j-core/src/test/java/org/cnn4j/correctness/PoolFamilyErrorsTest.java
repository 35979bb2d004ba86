package org.cnn4j.correctness;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AdaptiveMaxPool3d;
import org.cnn4j.nn.AvgPool1d;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.LPPool2d;
import org.cnn4j.nn.MaxPool1d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.MaxPool3d;
import org.cnn4j.nn.MinPool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid pooling hyper-parameters fail at construction, bad inputs at forward, with messages that say why. */
class PoolFamilyErrorsTest {
    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void contains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
    }

    @Test
    void outputSizeBelowOneShowsTheFormulaWithNumbers() {
        String m = message(() -> new MaxPool1d(3).call(Tensor.zeros(1, 1, 2)));
        contains(m, "MaxPool1d k3, s3", "output size below 1 along L", "[1, 1, 2]",
                "floor((I + 2P - D*(F-1) - 1) / S) + 1 = floor((2 + 2*0 - 1*(3-1) - 1) / 3) + 1 = 0");
        String d = message(() -> MaxPool2d.builder(3).dilation(3).build().call(Tensor.zeros(1, 1, 9, 6)));
        contains(d, "along W", "floor((6 + 2*0 - 3*(3-1) - 1) / 3) + 1 = 0");
        String c = message(() -> AvgPool1d.builder(4).stride(1).ceilMode(true).build().call(Tensor.zeros(2, 3, 2)));
        contains(c, "ceil((2 + 2*0 - 1*(4-1) - 1) / 1) + 1", "= -1");
    }

    @Test
    void paddingAboveHalfTheKernelIsRejectedAtConstruction() {
        contains(message(() -> new MaxPool2d(2, 2, 2)), "MaxPool2d", "padding must be between 0 and half the kernel size",
                "padding 2 > kernel 2 / 2 = 1", "padding=(2,)");
        contains(message(() -> AvgPool2d.builder(3, 4).padding(2, 2).build()), "padding 2 > kernel 3 / 2 = 1");
        contains(message(() -> MaxPool3d.builder(3).padding(-1).build()), "padding -1");
    }

    @Test
    void wrongInputRankNamesTheLayerAndTheExpectedLayout() {
        Sequential net = new Sequential(new GlobalAvgPool2d(true), new MaxPool3d(2));
        String m = message(() -> net.call(Tensor.zeros(1, 2, 4, 4)));
        contains(m, "1 (MaxPool3d k2, s2): expected input [N, C, D, H, W] (rank 5), got [1, 2, 1, 1] (rank 4)");
        contains(message(() -> new MaxPool1d(2).call(Tensor.zeros(3, 8))), "MaxPool1d", "[N, C, L]", "got [3, 8]");
        contains(message(() -> new AdaptiveMaxPool3d(2).call(Tensor.zeros(1, 1, 4, 4))), "AdaptiveMaxPool3d 2", "[N, C, D, H, W]");
        contains(message(() -> new GlobalAvgPool2d().call(Tensor.zeros(1, 1, 4))), "GlobalAvgPool2d", "[N, C, H, W]");
    }

    @Test
    void optionsThatAPoolDoesNotHaveAreRejected() {
        contains(message(() -> AvgPool2d.builder(3).dilation(2).build()), "AvgPool2d", "dilation is only supported by max and min pooling");
        contains(message(() -> MinPool2d.builder(3).countIncludePad(false).build()), "MinPool2d", "average pooling only");
        contains(message(() -> MaxPool2d.builder(3).divisorOverride(4).build()), "MaxPool2d", "average pooling only");
        contains(message(() -> AvgPool2d.builder(3).divisorOverride(0)), "divisor_override must be non-zero");
        contains(message(() -> LPPool2d.builder(2, 3).padding(1).build()), "LPPool2d", "no padding");
        contains(message(() -> new LPPool2d(0, 3)), "norm_type must be positive and finite");
        contains(message(() -> new LPPool2d(Double.POSITIVE_INFINITY, 3)), "norm_type");
    }

    @Test
    void nonPositiveSizesAndWrongArityAreRejected() {
        contains(message(() -> new MaxPool2d(0)), "kernel_size must be positive", "kernel_size=(0,)");
        contains(message(() -> new AvgPool1d(2, 0)), "stride must be positive");
        contains(message(() -> MaxPool1d.builder(2).dilation(0).build()), "dilation must be positive");
        contains(message(() -> MaxPool2d.builder(2, 2, 2).build()), "kernel_size needs 1 or 2 values", "kernel_size=(2, 2, 2)");
        contains(message(() -> new AdaptiveAvgPool2d(0)), "AdaptiveAvgPool2d: output size must be positive");
        contains(message(() -> new AdaptiveMaxPool3d(2, 0, 2)), "output size must be positive");
    }

    @Test
    void describeShowsTheOptions() {
        assertEquals("MaxPool2d k3, s2, p1", new MaxPool2d(3, 2, 1).describe());
        assertEquals("MaxPool3d k2x3x3, s2, p1, d1x2x2, ceil",
                MaxPool3d.builder(2, 3, 3).stride(2).padding(1).dilation(1, 2, 2).ceilMode(true).build().describe());
        assertEquals("AvgPool1d k4, s3, p2, exclude pad", AvgPool1d.builder(4).stride(3).padding(2).countIncludePad(false).build().describe());
        assertEquals("AvgPool2d k3, s2, divisor 5", AvgPool2d.builder(3).stride(2).divisorOverride(5).build().describe());
        assertEquals("LPPool2d p2, k3, s3", new LPPool2d(2, 3).describe());
        assertEquals("AdaptiveAvgPool2d 3x4", new AdaptiveAvgPool2d(3, 4).describe());
        assertEquals("GlobalAvgPool2d keepdims", new GlobalAvgPool2d(true).describe());
    }
}
