package org.cnn4j.correctness;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.nn.Activations;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.AlphaDropout;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.BatchNorm3d;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Dropout1d;
import org.cnn4j.nn.Dropout2d;
import org.cnn4j.nn.Dropout3d;
import org.cnn4j.nn.ELU;
import org.cnn4j.nn.FeatureAlphaDropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.GaussianDropout;
import org.cnn4j.nn.GaussianNoise;
import org.cnn4j.nn.GroupNorm;
import org.cnn4j.nn.Hardsigmoid;
import org.cnn4j.nn.Identity;
import org.cnn4j.nn.LayerNorm;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.PReLU;
import org.cnn4j.nn.Permute;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.Reshape;
import org.cnn4j.nn.SELU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Swish;
import org.cnn4j.nn.Unflatten;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.cnn4j.correctness.TestTensors.fill;
import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semantics of the normalisation, dropout, activation and shape layers beyond their gradients: running
 * statistics and state-dict entries, dropout statistics and masks, hooks of multi-input modules, and
 * the errors for invalid hyper-parameters and shapes.
 */
class LayersFamilyBehaviourTest {

    private static void assertMessage(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments)
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should contain '" + f + "'");
    }

    private static Tensor gaussian(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return t;
    }

    // ------------------------------------------------------------ batch norm

    @Test
    void cumulativeMovingAverageWhenMomentumIsNull() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5f, null, true, true);
        double[] sumMean = new double[2], sumVar = new double[2];
        for (int step = 1; step <= 4; step++) {
            Tensor x = uniform(step, -1, 3, 5, 2);
            bn.call(x);
            for (int c = 0; c < 2; c++) {
                double m = 0, v = 0;
                for (int n = 0; n < 5; n++) m += x.get(n, c) / 5.0;
                for (int n = 0; n < 5; n++) v += Math.pow(x.get(n, c) - m, 2) / 4.0; // unbiased
                sumMean[c] += m;
                sumVar[c] += v;
            }
            assertEquals(step, bn.numBatchesTracked().item());
            // CMA from the initial (0, 1): after k steps, running = mean of the k batch statistics
            for (int c = 0; c < 2; c++) {
                assertEquals(sumMean[c] / step, bn.runningMean().data()[c], 1e-5, "running mean, step " + step);
                assertEquals(sumVar[c] / step, bn.runningVar().data()[c], 1e-5, "running var, step " + step);
            }
        }
        assertTrue(bn.describe().contains("momentum None"), bn.describe());
        bn.resetRunningStats();
        assertEquals(0f, bn.numBatchesTracked().item());
        assertArrayEquals(new float[] {1, 1}, bn.runningVar().data());
    }

    @Test
    void stateDictEntriesFollowTheOptions() {
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(new BatchNorm2d(3).stateDict().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(new BatchNorm2d(3, 1e-5f, 0.1f, false, true).stateDict().keySet()));
        BatchNorm3d noTrack = new BatchNorm3d(3, 1e-5f, 0.1f, true, false);
        assertEquals(List.of("weight", "bias"), new ArrayList<>(noTrack.stateDict().keySet()));
        assertNull(noTrack.runningMean());
        assertEquals(0, new BatchNorm1d(3, 1e-5f, 0.1f, false, false).stateDict().size());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(new LayerNorm(4, 5).stateDict().keySet()));
        assertArrayEquals(new int[] {4, 5}, new LayerNorm(4, 5).weight().shape());
        assertEquals(0, new LayerNorm(new int[] {4}, 1e-5f, false).stateDict().size());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(new GroupNorm(2, 4).stateDict().keySet()));
        assertEquals(List.of("weight"), new ArrayList<>(new PReLU(3).stateDict().keySet()));
        assertEquals(0.25f, new PReLU(3).weight().data()[2]);
        // a state dict round trip carries num_batches_tracked
        BatchNorm2d a = new BatchNorm2d(2), b = new BatchNorm2d(2);
        a.call(uniform(1, -1, 1, 2, 2, 3, 3));
        b.loadStateDict(a.stateDict(), true);
        assertEquals(1f, b.numBatchesTracked().item());
        assertArrayEquals(a.runningMean().data(), b.runningMean().data());
    }

    @Test
    void withoutRunningStatisticsEvaluationUsesTheBatch() {
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5f, 0.1f, false, false);
        bn.eval();
        Tensor x = uniform(3, 5, 9, 2, 2, 3, 3);
        Tensor y = bn.call(x);
        for (int c = 0; c < 2; c++) {
            double m = 0, v = 0;
            for (int n = 0; n < 2; n++) for (int i = 0; i < 9; i++) m += y.data()[(n * 2 + c) * 9 + i] / 18.0;
            for (int n = 0; n < 2; n++) for (int i = 0; i < 9; i++) v += Math.pow(y.data()[(n * 2 + c) * 9 + i] - m, 2) / 18.0;
            assertEquals(0, m, 1e-5, "normalised with the batch mean");
            assertEquals(1, v, 1e-3, "and the batch variance");
        }
    }

    @Test
    void fusedReluStaysBitIdenticalWithTheNewOptions() {
        for (boolean training : new boolean[] {true, false}) {
            Sequential fused = new Sequential(new BatchNorm2d(3, 1e-5f, null, false, true), new ReLU());
            Sequential separate = new Sequential(new BatchNorm2d(3, 1e-5f, null, false, true), new ReLU());
            separate.get(1).addForwardHook((m, in, out) -> {});
            fused.train(training);
            separate.train(training);
            Tensor x1 = uniform(9, -1, 1, 2, 3, 4, 4), x2 = x1.copy().requiresGrad(true);
            Tensor y1 = fused.call(x1), y2 = separate.call(x2);
            if (training) assertTrue(y1.gradFn().name().startsWith("BatchNormReLU"), y1.gradFn().name());
            assertArrayEquals(y2.data(), y1.data(), 0f);
            y1.sum().backward();
            y2.sum().backward();
            assertArrayEquals(x2.grad().data(), x1.grad().data(), 0f);
            assertArrayEquals(((BatchNorm) separate.get(0)).runningMean().data(), ((BatchNorm) fused.get(0)).runningMean().data(), 0f);
        }
    }

    @Test
    void normErrorsNameTheLayerAndShapes() {
        assertMessage(() -> new BatchNorm2d(0), "num_features", "Received: num_features=0");
        assertMessage(() -> new BatchNorm2d(3, 1e-5f, 1.5f, true, true), "momentum", "1.5");
        assertMessage(() -> new BatchNorm3d(3, -1f, 0.1f), "eps");
        assertMessage(() -> new BatchNorm3d(3).call(Tensor.zeros(2, 3, 4, 4)), "BatchNorm3d 3", "[2, 3, 4, 4]", "[N, 3, D, H, W]");
        assertMessage(() -> new BatchNorm1d(3).call(Tensor.zeros(1, 3)), "more than 1 value per channel");
        Sequential net = new Sequential(new Flatten(), new LayerNorm(4));
        assertMessage(() -> net.call(Tensor.zeros(2, 3, 2)), "1 (LayerNorm [4])", "[2, 6]", "normalized_shape [4]", "[*, 4]");
        assertMessage(() -> new LayerNorm(3, 0), "normalized_shape", "[3, 0]");
        assertMessage(() -> new GroupNorm(3, 8), "num_channels must be divisible by num_groups", "num_channels=8", "num_groups=3");
        assertMessage(() -> new GroupNorm(0, 8), "num_groups", "0");
        assertMessage(() -> new GroupNorm(2, 4).call(Tensor.zeros(2, 6, 3)), "GroupNorm 2, 4", "[2, 6, 3]", "[N, 4, *]");
    }

    // ------------------------------------------------------------ dropout family

    @Test
    void dropoutHyperParameterAndRankErrors() {
        for (float p : new float[] {-0.1f, 1f, Float.NaN}) {
            assertMessage(() -> new Dropout1d(p), "Dropout1d", "p must be in [0, 1)");
            assertMessage(() -> new Dropout3d(p), "Dropout3d", "p must be in [0, 1)");
            assertMessage(() -> new AlphaDropout(p), "AlphaDropout", "p must be in [0, 1)");
            assertMessage(() -> new GaussianDropout(p), "GaussianDropout", "rate must be in [0, 1)");
        }
        assertMessage(() -> new GaussianNoise(-1f), "GaussianNoise", "stddev", "-1.0");
        Dropout1d d1 = new Dropout1d(0.5f);
        d1.eval(); // as PyTorch, the rank is checked in evaluation too
        assertMessage(() -> d1.call(Tensor.zeros(2, 3, 4, 5)), "Dropout1d", "[2, 3, 4, 5]", "[N, C, L] or [C, L]");
        assertMessage(() -> new Dropout3d(0.5f).call(Tensor.zeros(2, 3, 4)), "Dropout3d", "[N, C, D, H, W]");
        assertMessage(() -> new Dropout2d(0.5f).call(Tensor.zeros(4)), "Dropout2d", "[4]");
    }

    @Test
    void dropoutsAreIdentityInEvaluationAndReproducibleWithASeed() {
        Tensor x = uniform(1, -1, 1, 2, 3, 4, 5);
        for (Module m : new Module[] {new Dropout(0.5f), new Dropout2d(0.5f), new Dropout3d(0.5f), new AlphaDropout(0.5f),
                new FeatureAlphaDropout(0.5f), new GaussianNoise(1f), new GaussianDropout(0.5f)}) {
            Rng.manualSeed(3);
            Tensor a = m.call(x);
            Rng.manualSeed(3);
            Tensor b = m.call(x);
            assertArrayEquals(a.data(), b.data(), 0f, m.describe() + " same seed, same result");
            assertTrue(!java.util.Arrays.equals(a.data(), x.data()), m.describe() + " changes the input in training");
            m.eval();
            assertSame(x, m.call(x), m.describe() + " identity in evaluation");
        }
    }

    @Test
    void channelWiseDropoutsShareOneDecisionPerChannel() {
        Rng.manualSeed(5);
        Tensor x = Tensor.ones(4, 8, 3);
        float[] y = new Dropout1d(0.5f).call(x).data();
        checkPlanes(y, 32, 3, 2f, "Dropout1d");
        y = new Dropout3d(0.5f).call(Tensor.ones(2, 8, 2, 2, 3)).data();
        checkPlanes(y, 16, 12, 2f, "Dropout3d");
        y = new Dropout3d(0.5f).call(Tensor.ones(8, 2, 2, 3)).data(); // unbatched [C, D, H, W]
        checkPlanes(y, 8, 12, 2f, "Dropout3d unbatched");
        y = new FeatureAlphaDropout(0.5f).call(Tensor.zeros(4, 8, 3, 3)).data();
        for (int plane = 0; plane < 32; plane++)
            for (int i = 1; i < 9; i++) assertEquals(y[plane * 9], y[plane * 9 + i], "FeatureAlphaDropout: one decision per plane");
    }

    private static void checkPlanes(float[] y, int planes, int size, float keptValue, String what) {
        int kept = 0;
        for (int p = 0; p < planes; p++) {
            float first = y[p * size];
            assertTrue(first == 0f || first == keptValue, what + ": 0 or 1/(1-p)");
            for (int i = 1; i < size; i++) assertEquals(first, y[p * size + i], what + ": one decision per channel");
            if (first != 0f) kept++;
        }
        assertTrue(kept > 0 && kept < planes, what + ": some kept, some dropped (" + kept + " of " + planes + ")");
    }

    @Test
    void dropoutStatistics() {
        int n = 200_000;
        Tensor ones = Tensor.ones(n);
        Rng.manualSeed(7);
        float[] y = new Dropout(0.3f).call(ones).data();
        double mean = 0, zeros = 0;
        for (float v : y) {
            mean += v / n;
            if (v == 0f) zeros++;
        }
        assertEquals(1, mean, 0.01, "E[dropout(x)] = x");
        assertEquals(0.3, zeros / n, 0.005, "fraction dropped");

        // AlphaDropout keeps zero mean and unit variance of a standard normal input (its purpose with SELU)
        Tensor g = gaussian(8, n);
        float[] a = new AlphaDropout(0.2f).call(g).data();
        double m = 0, v = 0;
        for (float t : a) m += t / n;
        for (float t : a) v += (t - m) * (t - m) / n;
        assertEquals(0, m, 0.01, "alpha dropout mean");
        assertEquals(1, v, 0.02, "alpha dropout variance");
        // a SELU network's activations stay normalised through SELU -> AlphaDropout
        float[] s = new Sequential(new SELU(), new AlphaDropout(0.1f)).call(g).data();
        m = 0;
        v = 0;
        for (float t : s) m += t / n;
        for (float t : s) v += (t - m) * (t - m) / n;
        assertEquals(0, m, 0.02, "SELU + alpha dropout mean");
        assertEquals(1, v, 0.03, "SELU + alpha dropout variance");

        // GaussianNoise: y - x ~ N(0, 0.5^2)
        Tensor x = uniform(9, -1, 1, n);
        float[] noisy = new GaussianNoise(0.5f).call(x).data();
        m = 0;
        v = 0;
        for (int i = 0; i < n; i++) m += (noisy[i] - x.data()[i]) / n;
        for (int i = 0; i < n; i++) v += Math.pow(noisy[i] - x.data()[i] - m, 2) / n;
        assertEquals(0, m, 0.01);
        assertEquals(0.25, v, 0.01);
        // GaussianDropout: y / x ~ N(1, rate / (1 - rate)) = N(1, 0.25) for rate 0.2
        float[] mult = new GaussianDropout(0.2f).call(ones).data();
        m = 0;
        v = 0;
        for (float t : mult) m += t / n;
        for (float t : mult) v += (t - m) * (t - m) / n;
        assertEquals(1, m, 0.01);
        assertEquals(0.25, v, 0.01);
    }

    @Test
    void alphaDropoutValues() {
        // kept: a x + alpha' a p; dropped: -alpha' a (1 - p), a = 1 / sqrt((alpha'^2 p + 1)(1 - p))
        float p = 0.25f;
        double alpha = 1.7580993408473766, a = 1 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
        Tensor x = Tensor.of(new float[] {0.5f, -2f, 3f}, 3).requiresGrad(true);
        Tensor y = DropoutOp.alphaDropout(x, p, 1, new boolean[] {true, false, true});
        assertEquals(a * 0.5 + alpha * a * p, y.data()[0], 1e-6);
        assertEquals(-alpha * a * (1 - p), y.data()[1], 1e-6);
        assertEquals(a * 3 + alpha * a * p, y.data()[2], 1e-6);
        y.sum().backward();
        assertArrayEquals(new float[] {(float) a, 0f, (float) a}, x.grad().data(), 1e-6f);
    }

    // ------------------------------------------------------------ activations

    @Test
    void activationErrorsAndNames() {
        assertMessage(() -> new LeakyReLU(Float.NaN), "LeakyReLU", "negative_slope");
        assertMessage(() -> new ELU(Float.POSITIVE_INFINITY), "ELU", "alpha");
        assertMessage(() -> new GELU("fast"), "GELU", "'none' or 'tanh'", "fast");
        assertMessage(() -> new PReLU(0), "PReLU", "num_parameters=0");
        Sequential net = new Sequential(new PReLU(3));
        assertMessage(() -> net.call(Tensor.zeros(2, 4, 5)), "0 (PReLU num_parameters=3)", "[2, 4, 5]", "3 channels");
        assertMessage(() -> new Softmax(2).call(Tensor.zeros(2, 3)), "Softmax dim=2", "[2, 3]", "-2 to 1");
        assertEquals(ReLU6.class, Activations.named("relu6").getClass());
        assertEquals(Swish.class, Activations.named("SWISH").getClass());
        assertEquals(Hardsigmoid.class, Activations.named("hard_sigmoid").getClass());
        assertEquals(Identity.class, Activations.named("linear").getClass());
        assertEquals("GELU approximate=tanh", Activations.named("gelu_tanh").describe());
        assertMessage(() -> Activations.named("mish"), "unknown activation 'mish'", "relu", "selu");
        // spot values at the kinks, PyTorch's conventions
        Tensor x = Tensor.of(new float[] {-3, 0, 3, 6}, 4).requiresGrad(true);
        Tensor y = new ReLU6().call(x);
        assertArrayEquals(new float[] {0, 0, 3, 6}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 0}, x.grad().data(), "ReLU6' is 0 at 0 and at 6");
        x.zeroGrad();
        Tensor h = new org.cnn4j.nn.Hardswish().call(x);
        assertArrayEquals(new float[] {0, 0, 3, 6}, h.data(), 0f); // -3 * 0 / 6 is -0, as in PyTorch
        h.sum().backward();
        assertArrayEquals(new float[] {-0.5f, 0.5f, 1.5f, 1}, x.grad().data(), 1e-7f, "Hardswish' at -3, 0, 3, 6");
    }

    // ------------------------------------------------------------ shape ops and multi-input modules

    @Test
    void multiInputModules() {
        Concatenate cat = new Concatenate();
        List<String> seen = new ArrayList<>();
        cat.addForwardHook((m, in, out) -> seen.add(java.util.Arrays.toString(in.shape()) + "->" + java.util.Arrays.toString(out.shape())));
        Tensor a = uniform(1, -1, 1, 2, 3, 4, 4), b = uniform(2, -1, 1, 2, 5, 4, 4);
        Tensor y = cat.call(a, b);
        assertArrayEquals(new int[] {2, 8, 4, 4}, y.shape());
        assertEquals(List.of("[2, 3, 4, 4]->[2, 8, 4, 4]"), seen, "hooks run once, with the first input");
        assertEquals(a.get(1, 2, 3, 0), y.get(1, 2, 3, 0));
        assertEquals(b.get(1, 4, 0, 2), y.get(1, 7, 0, 2));
        assertArrayEquals(a.data(), cat.call(a).data(), "one input: its copy");
        assertArrayEquals(y.data(), cat.call(List.of(a, b)).data());
        Sequential inNet = new Sequential(new Identity(), new Concatenate());
        assertArrayEquals(a.shape(), inNet.call(a).shape(), "in a Sequential it takes the single input");
        Sequential named = new Sequential(new Concatenate(1));
        assertMessage(() -> ((Concatenate) named.get(0)).call(a, uniform(3, -1, 1, 2, 3, 5, 4)),
                "0 (Concatenate dim=1)", "[2, 3, 4, 4], [2, 3, 5, 4]", "equal sizes in every other dimension");
        assertMessage(() -> cat.call(new Tensor[0]), "Concatenate", "at least one input");
        Add add = new Add();
        Tensor s = add.call(a, a, a);
        for (int i = 0; i < s.numel(); i++) assertEquals(a.data()[i] * 3, s.data()[i], 1e-6);
        assertMessage(() -> add.call(a, b), "Add", "[2, 3, 4, 4], [2, 5, 4, 4]", "no broadcasting");
        assertNotSame(a, add.call(a));
    }

    @Test
    void shapeModuleResultsAndErrors() {
        Tensor x = Tensor.of(new float[24], 2, 3, 4);
        for (int i = 0; i < 24; i++) x.data()[i] = i;
        assertArrayEquals(new int[] {6, 4}, new Flatten(0, 1).call(x).shape());
        assertArrayEquals(new int[] {2, 12}, new Flatten().call(x).shape());
        assertArrayEquals(new int[] {2, 3, 2, 2}, new Unflatten(-1, 2, 2).call(x).shape());
        assertArrayEquals(new int[] {4, 6}, new Reshape(4, -1).call(x).shape());
        assertArrayEquals(new int[] {2, 4, 3}, Reshape.perSample(4, -1).call(x).shape());
        Tensor p = new Permute(2, 0, 1).call(x);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertEquals(x.get(0, 1, 2), p.get(2, 0, 1));
        assertMessage(() -> new Permute(0, 0, 1), "Permute", "permutation", "[0, 0, 1]");
        assertMessage(() -> new Permute(0, 1).call(x), "Permute [0, 1]", "[2, 3, 4]", "rank 3");
        assertMessage(() -> new Reshape(-1, -1), "Reshape", "at most one size may be -1");
        assertMessage(() -> new Reshape(5, -1).call(x), "Reshape [5, -1]", "[2, 3, 4]", "24 elements");
        assertMessage(() -> new Unflatten(1, 2, 2).call(x), "Unflatten", "[2, 3, 4]", "product");
        assertMessage(() -> new Flatten(2, 1), "Flatten", "start_dim=2", "end_dim=1");
        assertMessage(() -> new Flatten(-1, 0).call(x), "Flatten", "[2, 3, 4]");
    }

    @Test
    void groupNormIsInstanceNormWithOneChannelPerGroupAndLayerNormWithOneGroup() {
        Tensor x = uniform(11, -2, 3, 2, 4, 3, 3);
        GroupNorm instance = new GroupNorm(4, 4);
        float[] y = instance.call(x).data();
        for (int plane = 0; plane < 8; plane++) {
            double m = 0;
            for (int i = 0; i < 9; i++) m += y[plane * 9 + i] / 9;
            assertEquals(0, m, 1e-5, "each channel of each sample normalised");
        }
        GroupNorm one = new GroupNorm(1, 4, 1e-5f, false);
        LayerNorm ln = new LayerNorm(new int[] {4, 3, 3}, 1e-5f, false);
        assertArrayEquals(ln.call(x).data(), one.call(x).data(), 1e-5f);
        fill(instance.weight(), 12, 0.5, 1.5);
        assertTrue(instance.describe().equals("GroupNorm 4, 4"));
    }
}
