package org.cnn4j.correctness;

import org.cnn4j.nn.AdaptiveAvgPool1d;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AdaptiveAvgPool3d;
import org.cnn4j.nn.AdaptiveMaxPool1d;
import org.cnn4j.nn.AdaptiveMaxPool2d;
import org.cnn4j.nn.AdaptiveMaxPool3d;
import org.cnn4j.nn.AvgPool1d;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.AvgPool3d;
import org.cnn4j.nn.GlobalAvgPool1d;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.GlobalAvgPool3d;
import org.cnn4j.nn.GlobalMaxPool1d;
import org.cnn4j.nn.GlobalMaxPool2d;
import org.cnn4j.nn.GlobalMaxPool3d;
import org.cnn4j.nn.LPPool1d;
import org.cnn4j.nn.LPPool2d;
import org.cnn4j.nn.MaxPool1d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.MaxPool3d;
import org.cnn4j.nn.MinPool1d;
import org.cnn4j.nn.MinPool2d;
import org.cnn4j.nn.MinPool3d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.cnn4j.correctness.TestTensors.distinct;
import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finite-difference gradient checks of the pooling family, one per family and option that changes the
 * code path (padding, dilation, ceil-mode overhang, count_include_pad, divisor_override, 1/2/3-D), plus
 * the behaviours a gradient check cannot see (padding never wins, tie-breaking, output shapes).
 * Max and min pooling get inputs without ties (distinct values 0.05 apart, eps 1e-3).
 */
class PoolFamilyGradientTest {
    @AfterAll
    static void report() {
        System.out.println(GradCheck.summary());
    }

    private static void check(String label, Module m, Tensor x, int... expectedShape) {
        assertArrayEquals(expectedShape, m.call(x).shape(), label + " output shape");
        GradCheck.of(label).check(() -> m.call(x), x);
    }

    @Test
    void maxPool1d2d3d() {
        check("maxpool1d k3 s2 p1", new MaxPool1d(3, 2, 1), distinct(1, 0.05, 2, 3, 11), 2, 3, 6);
        check("maxpool1d k4 s3 p2 d2 ceil", MaxPool1d.builder(4).stride(3).padding(2).dilation(2).ceilMode(true).build(),
                distinct(2, 0.05, 2, 2, 13), 2, 2, 5);
        check("maxpool2d k3 s2 p1 d2", MaxPool2d.builder(3).stride(2).padding(1).dilation(2).build(),
                distinct(3, 0.05, 1, 2, 9, 8), 1, 2, 4, 3);
        check("maxpool2d k3x2 s2x3 p1 ceil", MaxPool2d.builder(3, 2).stride(2, 3).padding(1).ceilMode(true).build(),
                distinct(4, 0.05, 1, 2, 8, 10), 1, 2, 5, 4);
        check("maxpool3d k3 s2 p1", new MaxPool3d(3, 2, 1), distinct(5, 0.05, 1, 2, 5, 6, 5), 1, 2, 3, 3, 3);
        check("maxpool3d k2x3x3 s2 p1 d1x2x2 ceil",
                MaxPool3d.builder(2, 3, 3).stride(2).padding(1).dilation(1, 2, 2).ceilMode(true).build(),
                distinct(6, 0.05, 1, 1, 6, 7, 7), 1, 1, 4, 3, 3);
    }

    @Test
    void minPool1d2d3d() {
        check("minpool1d k3 s2 p1 ceil", MinPool1d.builder(3).stride(2).padding(1).ceilMode(true).build(),
                distinct(7, 0.05, 2, 3, 10), 2, 3, 6);
        check("minpool1d k3 s3 d2", MinPool1d.builder(3).stride(3).dilation(2).build(), distinct(8, 0.05, 1, 2, 17), 1, 2, 5);
        check("minpool2d k2", new MinPool2d(2), distinct(9, 0.05, 2, 2, 6, 7), 2, 2, 3, 3);
        check("minpool2d k3 s2 p1", new MinPool2d(3, 2, 1), distinct(10, 0.05, 1, 2, 7, 9), 1, 2, 4, 5);
        check("minpool3d k3 s2 p1 ceil", MinPool3d.builder(3).stride(2).padding(1).ceilMode(true).build(),
                distinct(11, 0.05, 1, 2, 6, 5, 4), 1, 2, 4, 3, 3);
        check("minpool3d k2 d2", MinPool3d.builder(2).dilation(2).build(), distinct(12, 0.05, 1, 1, 5, 6, 7), 1, 1, 2, 2, 3);
    }

    @Test
    void avgPool1d2d3d() {
        check("avgpool1d k3 s2 p1 ceil", AvgPool1d.builder(3).stride(2).padding(1).ceilMode(true).build(),
                uniform(13, -1, 1, 2, 2, 10), 2, 2, 6);
        check("avgpool1d k4 s3 p2 ceil exclude pad",
                AvgPool1d.builder(4).stride(3).padding(2).ceilMode(true).countIncludePad(false).build(),
                uniform(14, -1, 1, 2, 2, 14), 2, 2, 6); // floor gives 5; the 6th window [13, 17) overhangs I + P = 16
        check("avgpool2d k3 s2 p1 ceil exclude pad (generic path)",
                AvgPool2d.builder(3).stride(2).padding(1).ceilMode(true).countIncludePad(false).build(),
                uniform(15, -1, 1, 1, 2, 8, 9), 1, 2, 5, 5);
        check("avgpool2d k3 s2 p1 divisor 5", AvgPool2d.builder(3).stride(2).padding(1).divisorOverride(5).build(),
                uniform(16, -1, 1, 1, 2, 7, 7), 1, 2, 4, 4);
        check("avgpool3d k3 s2 p1 ceil", AvgPool3d.builder(3).stride(2).padding(1).ceilMode(true).build(),
                uniform(17, -1, 1, 1, 2, 6, 5, 4), 1, 2, 4, 3, 3);
        check("avgpool3d k2x3x2 s2 p1 exclude pad", AvgPool3d.builder(2, 3, 2).stride(2).padding(1).countIncludePad(false).build(),
                uniform(18, -1, 1, 1, 1, 5, 6, 5), 1, 1, 3, 3, 3);
        check("avgpool3d k2 divisor 3", AvgPool3d.builder(2).divisorOverride(3).build(), uniform(19, -1, 1, 1, 2, 4, 4, 5), 1, 2, 2, 2, 2);
    }

    @Test
    void lpPool1d2d() {
        check("lppool1d p2 k3 s2 ceil", LPPool1d.builder(2, 3).stride(2).ceilMode(true).build(), uniform(20, 0.2, 1, 2, 2, 10), 2, 2, 5);
        check("lppool2d p3 k2x3 s2 ceil", LPPool2d.builder(3, 2, 3).stride(2).ceilMode(true).build(),
                uniform(21, 0.2, 1, 1, 2, 7, 9), 1, 2, 4, 4);
        check("lppool2d p1.5 k3 s2", new LPPool2d(1.5, 3, 2), uniform(22, 0.2, 1, 1, 2, 7, 8), 1, 2, 3, 3);
    }

    @Test
    void adaptivePools() {
        check("adaptive avg1d 11->4", new AdaptiveAvgPool1d(4), uniform(23, -1, 1, 2, 3, 11), 2, 3, 4);
        check("adaptive max1d 11->4", new AdaptiveMaxPool1d(4), distinct(24, 0.05, 2, 3, 11), 2, 3, 4);
        check("adaptive max1d 3->5 (windows repeat cells)", new AdaptiveMaxPool1d(5), distinct(25, 0.05, 1, 2, 3), 1, 2, 5);
        check("adaptive avg2d 7x9->3x4", new AdaptiveAvgPool2d(3, 4), uniform(26, -1, 1, 1, 2, 7, 9), 1, 2, 3, 4);
        check("adaptive max2d 7x9->4x5", new AdaptiveMaxPool2d(4, 5), distinct(27, 0.05, 1, 2, 7, 9), 1, 2, 4, 5);
        check("adaptive avg3d 5x7x6->2x3x4", new AdaptiveAvgPool3d(2, 3, 4), uniform(28, -1, 1, 1, 2, 5, 7, 6), 1, 2, 2, 3, 4);
        check("adaptive max3d 5x6x7->3x4x3", new AdaptiveMaxPool3d(3, 4, 3), distinct(29, 0.05, 1, 2, 5, 6, 7), 1, 2, 3, 4, 3);
    }

    @Test
    void globalPools() {
        check("global avg1d", new GlobalAvgPool1d(), uniform(30, -1, 1, 2, 3, 11), 2, 3);
        check("global max1d keepdims", new GlobalMaxPool1d(true), distinct(31, 0.05, 2, 3, 11), 2, 3, 1);
        check("global avg2d keepdims", new GlobalAvgPool2d(true), uniform(32, -1, 1, 2, 3, 5, 4), 2, 3, 1, 1);
        check("global max2d", new GlobalMaxPool2d(), distinct(33, 0.05, 2, 3, 5, 4), 2, 3);
        check("global avg3d", new GlobalAvgPool3d(), uniform(34, -1, 1, 2, 2, 3, 4, 3), 2, 2);
        check("global max3d keepdims", new GlobalMaxPool3d(true), distinct(35, 0.05, 2, 2, 3, 4, 3), 2, 2, 1, 1, 1);
    }

    @Test
    void minPoolPaddingNeverWins() {
        // all-positive input: a zero-padded min would return 0 at the borders; +inf padding must not
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new float[] {1, 1, 2, 1, 1, 2, 3, 3, 4}, new MinPool2d(2, 1, 1).call(x).data());
        Tensor x1 = Tensor.of(new float[] {5, 6, 7}, 1, 1, 3);
        // windows [pad, 5], [5, 6], [6, 7], [7, pad]
        assertArrayEquals(new float[] {5, 5, 6, 7}, new MinPool1d(2, 1, 1).call(x1).data());
    }

    @Test
    void tiesGoToTheFirstOccurrence() {
        // one window holding 2, 1, 1, 2 (min) and 1, 2, 2, 1 (max): the gradient goes to the first 1 / first 2
        Tensor a = Tensor.of(new float[] {2, 1, 1, 2}, 1, 1, 4).requiresGrad(true);
        Tensor min = new MinPool1d(4).call(a);
        assertEquals(1f, min.data()[0]);
        min.backward(new float[] {1});
        assertArrayEquals(new float[] {0, 1, 0, 0}, a.grad().data());
        Tensor b = Tensor.of(new float[] {1, 2, 2, 1}, 1, 1, 4).requiresGrad(true);
        Tensor max = new MaxPool1d(4).call(b);
        max.backward(new float[] {1});
        assertArrayEquals(new float[] {0, 1, 0, 0}, b.grad().data());
        // 3-D: the first in (d, h, w) row-major order
        Tensor c = Tensor.of(new float[] {0, 3, 3, 0, 3, 0, 0, 3}, 1, 1, 2, 2, 2).requiresGrad(true);
        new MaxPool3d(2).call(c).backward(new float[] {1});
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0}, c.grad().data());
        Tensor d = Tensor.of(new float[] {0, 3, 3, 0, 3, 0, 0, 3}, 1, 1, 2, 2, 2).requiresGrad(true);
        new MinPool3d(2).call(d).backward(new float[] {1});
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, d.grad().data());
    }

    @Test
    void overlappingWindowsAddTheirGradients() {
        // k3 s1: the maximum 9 wins all three windows that contain it
        Tensor x = Tensor.of(new float[] {1, 2, 9, 3, 4}, 1, 1, 5).requiresGrad(true);
        Tensor y = new MaxPool1d(3, 1).call(x);
        assertArrayEquals(new float[] {9, 9, 9}, y.data());
        y.backward(new float[] {1, 10, 100});
        assertArrayEquals(new float[] {0, 0, 111, 0, 0}, x.grad().data());
    }

    @Test
    void aDilatedWindowThatMissesTheInputIsMinusInfinityAndPassesNoGradient() {
        // I=1, k2, p1, d2: the only window covers positions -1 and 1, both outside (PyTorch also gives -inf)
        Tensor x = Tensor.of(new float[] {7}, 1, 1, 1).requiresGrad(true);
        Tensor y = MaxPool1d.builder(2).stride(1).padding(1).dilation(2).build().call(x);
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY}, y.data());
        y.backward(new float[] {1});
        assertArrayEquals(new float[] {0}, x.grad().data());
    }

    @Test
    void globalPoolValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, -1, -2}, 1, 2, 2, 2);
        assertArrayEquals(new float[] {2.5f, 2f}, new GlobalAvgPool2d().call(x).data());
        assertArrayEquals(new float[] {4, 6}, new GlobalMaxPool2d().call(x).data());
        assertArrayEquals(new float[] {4, 6}, new AdaptiveMaxPool2d(1).call(x).data());
        assertArrayEquals(new int[] {1, 2, 1, 1}, new GlobalMaxPool2d(true).call(x).shape());
    }
}
