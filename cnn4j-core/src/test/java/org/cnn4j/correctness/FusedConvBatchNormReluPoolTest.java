package org.cnn4j.correctness;

import org.cnn4j.kernels.NormKernels;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sequential runs Conv2d -> BatchNorm2d (training) -> ReLU -> MaxPool2d(2) on an input without gradient (a first
 * layer: FashionCNN's layer1) as one op whose backward gets the convolution's weight gradient from the pooled
 * gradient and the input's Gram matrix, never forming the gradient of the convolution's output. It must equal
 * the four layers run apart: forward and running statistics bit for bit, gradients up to rounding.
 */
class FusedConvBatchNormReluPoolTest {
    private static final String FUSED = "Conv2dBatchNormReLUMaxPoolTrain";

    private static Sequential net(long seed, Conv2d.Builder conv, int channels) {
        Rng.manualSeed(seed);
        return new Sequential(conv.build(), new BatchNorm2d(channels), new ReLU(), new MaxPool2d(2));
    }

    @Test
    void fusedEqualsSeparateLayers() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        // {in channels, H, W, kernel, stride, padding, input offset}: FashionCNN's shape, odd output sizes (a row
        // and a column no window covers), RGB 3x3 (K = 27), stride 2 with a 5x5 kernel (K = 25), valid padding,
        // and inputs far from zero (the Gram terms then cancel against the mean)
        double[][] cases = {{1, 28, 28, 3, 1, 1, 0}, {1, 9, 11, 3, 1, 1, 0}, {3, 10, 12, 3, 1, 1, 0},
                {1, 14, 18, 5, 2, 2, 0}, {1, 10, 13, 3, 1, 0, 0}, {1, 12, 12, 3, 1, 1, 20}};
        for (double[] c : cases) {
            int cin = (int) c[0], h = (int) c[1], w = (int) c[2], k = (int) c[3], s = (int) c[4], p = (int) c[5];
            String where = String.format("C=%d %dx%d k%d s%d p%d offset %.0f", cin, h, w, k, s, p, c[6]);
            Sequential fused = net(3, Conv2d.builder(cin, 8, k).stride(s).padding(p), 8);
            Sequential separate = net(3, Conv2d.builder(cin, 8, k).stride(s).padding(p), 8);
            separate.get(3).addForwardHook((m, in, out) -> { }); // makes Sequential call the layers one by one
            Tensor x = uniform(4, -1, 1, 5, cin, h, w).add((float) c[6]).detach();
            Tensor r = null;
            for (int step = 0; step < 2; step++) { // the second backward adds to the first one's gradients
                Tensor y1 = fused.call(x), y2 = separate.call(x);
                assertEquals(FUSED, y1.gradFn().name(), where);
                assertArrayEquals(y2.shape(), y1.shape(), where);
                assertArrayEquals(y2.data(), y1.data(), 0f, "forward, " + where);
                if (r == null) r = uniform(9, -1, 1, y1.shape());
                y1.mul(r).sum().backward();
                y2.mul(r).sum().backward();
            }
            for (String name : List.of("0.weight", "1.weight", "1.bias"))
                assertClose(name + ", " + where, separate.namedParameters().get(name).grad().data(),
                        fused.namedParameters().get(name).grad().data(), 2e-5);
            // the conv bias's true gradient is 0 (batch norm subtracts the mean): both sides are rounding residue
            float[] weightGrad = separate.namedParameters().get("0.weight").grad().data();
            double scale = 0;
            for (float v : weightGrad) scale = Math.max(scale, Math.abs(v));
            for (float v : fused.namedParameters().get("0.bias").grad().data())
                assertTrue(Math.abs(v) <= 1e-4 * scale, "bias gradient " + v + ", " + where);
            BatchNorm2d a = (BatchNorm2d) separate.get(1), b = (BatchNorm2d) fused.get(1);
            assertArrayEquals(a.runningMean().data(), b.runningMean().data(), 0f, where);
            assertArrayEquals(a.runningVar().data(), b.runningVar().data(), 0f, where);
        }
    }

    @Test
    void fusedGradientMatchesFiniteDifferences() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        Sequential fused = net(7, Conv2d.builder(1, 3, 3).padding(1), 3);
        Conv2d conv = (Conv2d) fused.get(0);
        BatchNorm2d bn = (BatchNorm2d) fused.get(1);
        TestTensors.fill(bn.weight(), 9, 0.5, 1.5);
        TestTensors.fill(bn.bias(), 10, -0.5, 0.5);
        Tensor x = TestTensors.distinct(8, 0.1, 3, 1, 6, 8).detach();
        assertEquals(FUSED, fused.call(x).gradFn().name());
        // a small step: a weight moves every window's values at once, so a wide one flips winners and ReLU signs;
        // the conv bias is left out: its true gradient is 0 (fusedEqualsSeparateLayers bounds the residue)
        GradCheck.of("fused conv+bn+relu+maxpool (train)").eps(1e-4).check(() -> fused.call(x), conv.weight(),
                bn.weight(), bn.bias());
    }

    @Test
    void runsApartWhereTheFusionDoesNotApply() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        Sequential net = net(5, Conv2d.builder(1, 4, 3).padding(1), 4);
        Tensor x = uniform(1, -1, 1, 2, 1, 8, 8).detach();
        // an input that needs a gradient (e.g. a saliency map)
        assertEquals("BatchNormReLUMaxPoolTrain", net.call(x.copy().requiresGrad(true)).gradFn().name());
        // a patch too large for the Gram matrix (16 channels x 3 x 3 = 144 > 27)
        Sequential wide = net(5, Conv2d.builder(16, 4, 3).padding(1), 4);
        assertEquals("BatchNormReLUMaxPoolTrain", wide.call(uniform(2, -1, 1, 2, 16, 8, 8).detach()).gradFn().name());
        // evaluation mode: running statistics, nothing to fuse beyond the batch norm's own ops
        net.eval();
        assertEquals("BatchNormReLUMaxPoolEval", net.call(x).gradFn().name());
        net.train(true);
        // a hook on the convolution still sees its output
        net.get(0).addForwardHook((m, in, out) -> { });
        assertEquals("BatchNormReLUMaxPoolTrain", net.call(x).gradFn().name());
    }

    private static void assertClose(String what, float[] expected, float[] actual, double rtol) {
        TestTensors.assertCloseToScale(what, expected, actual, rtol, 1e-3);
    }
}
