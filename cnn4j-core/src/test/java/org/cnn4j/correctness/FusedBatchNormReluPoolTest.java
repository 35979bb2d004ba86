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

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sequential runs BatchNorm2d -> ReLU -> MaxPool2d as one op that never writes the full-size activation: with a
 * 2x2 stride-2 pool (FashionCNN's block tail) and with overlapping windows (ResNet's stem pool, 3x3 stride 2
 * padding 1). It must equal the three layers run apart: forward bit for bit, gradients up to the order of the
 * channel sums, running statistics exactly.
 */
class FusedBatchNormReluPoolTest {
    /** The pools checked: 2x2 stride 2, ResNet's stem pool, 3x3 stride 2 without padding, 2x2 stride 2 padded. */
    private static final List<Supplier<MaxPool2d>> POOLS = List.of(() -> new MaxPool2d(2), () -> new MaxPool2d(3, 2, 1),
            () -> new MaxPool2d(3, 2, 0), () -> new MaxPool2d(2, 2, 1));

    private static Sequential net(long seed, int channels, MaxPool2d pool) {
        Rng.manualSeed(seed);
        return new Sequential(new Conv2d(2, channels, 3, 1, 1), new BatchNorm2d(channels), new ReLU(), pool);
    }

    private static Sequential net(long seed, int channels) {
        return net(seed, channels, new MaxPool2d(2));
    }

    /**
     * Two copies of {@code net(seed, 3, pool)} in the given mode, the fused one and one whose layers run apart (a
     * hook on the pool), with batch-norm scales -0.7, 0 and 1.3: the window's smallest input wins, the plane is
     * mapped before pooling, the largest wins.
     */
    private static Sequential[] pairWithMixedScales(long seed, Supplier<MaxPool2d> pool, boolean training) {
        Sequential fused = net(seed, 3, pool.get()), separate = net(seed, 3, pool.get());
        for (Sequential s : List.of(fused, separate)) {
            BatchNorm2d bn = (BatchNorm2d) s.get(1);
            System.arraycopy(new float[] {-0.7f, 0f, 1.3f}, 0, bn.weight().data(), 0, 3);
            System.arraycopy(new float[] {0.2f, 0.3f, -0.1f}, 0, bn.bias().data(), 0, 3);
            s.train(training);
        }
        separate.get(3).addForwardHook((m, in, out) -> { }); // makes Sequential call them one by one
        return new Sequential[] {fused, separate};
    }

    @Test
    void overlappingPoolsFuseAndEqualSeparateLayers() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        // ResNet-18's stem at 32x32 (16x16 maps), odd sizes, and a negative, a zero and a positive scale
        int[][] sizes = {{16, 16}, {7, 9}, {5, 4}};
        for (Supplier<MaxPool2d> pool : POOLS.subList(1, POOLS.size())) {
            for (int[] hw : sizes) {
                for (boolean training : new boolean[] {true, false}) {
                    String where = pool.get().describe() + ", " + hw[0] + "x" + hw[1] + ", training=" + training;
                    Sequential[] pair = pairWithMixedScales(21, pool, training);
                    Sequential fused = pair[0], separate = pair[1];
                    Tensor x1 = uniform(22, -1, 1, 4, 2, hw[0], hw[1]).requiresGrad(true), x2 = x1.copy().requiresGrad(true);
                    Tensor y1 = fused.call(x1), y2 = separate.call(x2);
                    assertTrue(y1.gradFn().name().startsWith("BatchNormReLUMaxPool"), where + ": " + y1.gradFn().name());
                    assertArrayEquals(y2.shape(), y1.shape(), where);
                    assertArrayEquals(y2.data(), y1.data(), 0f, "forward, " + where);
                    Tensor r = uniform(23, -1, 1, y1.shape());
                    y1.mul(r).sum().add(x1.mul(0.5f).sum()).backward();
                    y2.mul(r).sum().add(x2.mul(0.5f).sum()).backward();
                    assertClose("dx, " + where, x2.grad().data(), x1.grad().data(), 1e-5);
                    // with batch statistics the conv bias's true gradient is 0: rounding noise on both sides
                    for (String p : training ? List.of("0.weight", "1.weight", "1.bias")
                            : List.of("0.weight", "0.bias", "1.weight", "1.bias"))
                        assertClose(p + ", " + where, separate.namedParameters().get(p).grad().data(),
                                fused.namedParameters().get(p).grad().data(), 1e-5);
                    BatchNorm2d a = (BatchNorm2d) separate.get(1), b = (BatchNorm2d) fused.get(1);
                    assertArrayEquals(a.runningMean().data(), b.runningMean().data(), 0f, where);
                    assertArrayEquals(a.runningVar().data(), b.runningVar().data(), 0f, where);
                }
            }
        }
    }

    @Test
    void fusedEqualsSeparateLayers() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        // odd sizes (a row and a column no window covers), a ragged vector tail, and whole vectors per row
        int[][] sizes = {{7, 9}, {6, 40}, {4, 64}, {2, 2}};
        for (int[] hw : sizes) {
            for (boolean training : new boolean[] {true, false}) {
                String where = hw[0] + "x" + hw[1] + ", training=" + training;
                Sequential fused = net(5, 3), separate = net(5, 3);
                fused.train(training);
                separate.train(training);
                List<String> seen = new ArrayList<>();
                separate.get(3).addForwardHook((m, in, out) -> seen.add(m.describe())); // makes Sequential call them one by one
                Tensor x1 = uniform(6, -1, 1, 3, 2, hw[0], hw[1]).requiresGrad(true), x2 = x1.copy().requiresGrad(true);
                Tensor y1 = fused.call(x1), y2 = separate.call(x2);
                assertEquals(1, seen.size());
                assertTrue(y1.gradFn().name().startsWith("BatchNormReLUMaxPool"), y1.gradFn().name());
                assertArrayEquals(y2.shape(), y1.shape(), where);
                assertArrayEquals(y2.data(), y1.data(), 0f, "forward, " + where);
                // a non-uniform output gradient, and x also used elsewhere so that its gradient accumulates
                Tensor r = uniform(9, -1, 1, y1.shape());
                y1.mul(r).sum().add(x1.mul(0.5f).sum()).backward();
                y2.mul(r).sum().add(x2.mul(0.5f).sum()).backward();
                assertClose("dx, " + where, x2.grad().data(), x1.grad().data(), 1e-5);
                for (String p : List.of("0.weight", "0.bias", "1.weight", "1.bias"))
                    assertClose(p + ", " + where, separate.namedParameters().get(p).grad().data(),
                            fused.namedParameters().get(p).grad().data(), 1e-5);
                BatchNorm2d a = (BatchNorm2d) separate.get(1), b = (BatchNorm2d) fused.get(1);
                assertArrayEquals(a.runningMean().data(), b.runningMean().data(), 0f, where);
                assertArrayEquals(a.runningVar().data(), b.runningVar().data(), 0f, where);
            }
        }
    }

    /**
     * The kernel pools x before the per-channel affine map where it can: it must also match the separate layers
     * for a negative scale (the window's smallest x wins), fall back for a zero scale, and fall back for planes
     * holding a NaN or an infinity (NaN propagates, first NaN wins).
     */
    @Test
    void fusedEqualsSeparateLayersForNegativeZeroScalesAndNonFiniteInputs() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        for (boolean training : new boolean[] {true, false}) {
            for (boolean nonFinite : new boolean[] {false, true}) {
                String where = "training=" + training + ", non-finite input=" + nonFinite;
                Sequential[] pair = pairWithMixedScales(11, POOLS.get(0), training);
                Sequential fused = pair[0], separate = pair[1];
                Tensor x1 = uniform(12, -1, 1, 4, 2, 10, 36);
                if (nonFinite) { // image 1 gets a NaN, image 2 an infinity (spread by the conv to all its channels)
                    x1.data()[2 * 10 * 36 + 5] = Float.NaN;
                    x1.data()[2 * 2 * 10 * 36 + 10 * 36 + 17] = Float.NEGATIVE_INFINITY;
                }
                Tensor x2 = x1.copy().requiresGrad(true);
                x1.requiresGrad(true);
                Tensor y1 = fused.call(x1), y2 = separate.call(x2);
                assertTrue(y1.gradFn() == null || y1.gradFn().name().startsWith("BatchNormReLUMaxPool"));
                assertArrayEquals(y2.data(), y1.data(), 0f, "forward, " + where);
                if (nonFinite) {
                    continue; // the gradients are NaN
                }
                Tensor r = uniform(13, -1, 1, y1.shape());
                y1.mul(r).sum().backward();
                y2.mul(r).sum().backward();
                assertClose("dx, " + where, x2.grad().data(), x1.grad().data(), 1e-5);
                // with batch statistics the conv bias's true gradient is 0 (batch norm subtracts the mean), so
                // both sides are rounding noise of the channel sums' order: compared in evaluation mode only
                for (String p : training ? List.of("0.weight", "1.weight", "1.bias")
                        : List.of("0.weight", "0.bias", "1.weight", "1.bias"))
                    assertClose(p + ", " + where, separate.namedParameters().get(p).grad().data(),
                            fused.namedParameters().get(p).grad().data(), 1e-5);
            }
        }
    }

    @Test
    void fusedGradientMatchesFiniteDifferences() {
        assumeTrue(NormKernels.supportsReluMaxPool2x2(), "needs the vector kernels");
        for (Supplier<MaxPool2d> pool : POOLS) {
            Rng.manualSeed(7);
            BatchNorm2d bn = new BatchNorm2d(2);
            Sequential fused = new Sequential(bn, new ReLU(), pool.get());
            String what = "fused bn+relu+" + fused.get(2).describe();
            // distinct inputs: batch norm is monotone per channel, so every window keeps a unique winner under the probes
            Tensor x = TestTensors.distinct(8, 0.1, 2, 2, 5, 6).add(0.05f).detach().requiresGrad(true);
            TestTensors.fill(bn.weight(), 9, 0.5, 1.5);
            bn.weight().data()[1] = -bn.weight().data()[1]; // a negative scale: the window's smallest input wins
            TestTensors.fill(bn.bias(), 10, -0.5, 0.5);
            assertTrue(fused.call(x).gradFn().name().startsWith("BatchNormReLUMaxPool"), what);
            GradCheck.of(what + " (train)").check(() -> fused.call(x), x, bn.weight(), bn.bias());
            fused.eval();
            GradCheck.of(what + " (eval)").check(() -> fused.call(x), x, bn.weight(), bn.bias());
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, double rtol) {
        TestTensors.assertCloseToScale(what, expected, actual, rtol, 1);
    }
}
