package org.cnn4j.correctness;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.AlphaDropout;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.BatchNorm3d;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.Dropout1d;
import org.cnn4j.nn.Dropout3d;
import org.cnn4j.nn.ELU;
import org.cnn4j.nn.FeatureAlphaDropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.GaussianDropout;
import org.cnn4j.nn.GaussianNoise;
import org.cnn4j.nn.GroupNorm;
import org.cnn4j.nn.Hardsigmoid;
import org.cnn4j.nn.Hardswish;
import org.cnn4j.nn.Identity;
import org.cnn4j.nn.LayerNorm;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.LogSoftmax;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.PReLU;
import org.cnn4j.nn.Permute;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.Reshape;
import org.cnn4j.nn.SELU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.SiLU;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Swish;
import org.cnn4j.nn.Tanh;
import org.cnn4j.nn.Unflatten;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.cnn4j.correctness.TestTensors.fill;
import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Finite-difference gradient checks of the normalisation, activation, dropout and shape-op layers,
 * through the public Module API (inputs and every parameter).
 */
class LayersFamilyGradientTest {
    @AfterAll
    static void report() {
        System.out.println(GradCheck.summary());
    }

    /** Uniform in [low, high) but at least {@code gap} away from every kink (no switch within a finite-difference step). */
    static Tensor avoiding(long seed, double low, double high, double gap, double[] kinks, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) {
            double v;
            boolean near;
            do {
                v = low + (high - low) * r.nextDouble();
                near = false;
                for (double k : kinks) near |= Math.abs(v - k) < gap;
            } while (near);
            d[i] = (float) v;
        }
        return Tensor.of(d, shape).requiresGrad(true);
    }

    private static void checkActivation(String label, Module m, double low, double high, double... kinks) {
        Tensor x = avoiding(label.hashCode(), low, high, 0.05, kinks, 2, 3, 4);
        GradCheck.of(label).check(() -> m.call(x), x);
    }

    // ------------------------------------------------------------ activations

    @Test
    void activations() {
        checkActivation("ReLU", new ReLU(), -2, 2, 0);
        checkActivation("ReLU6", new ReLU6(), -2, 8, 0, 6);
        checkActivation("LeakyReLU 0.2", new LeakyReLU(0.2f), -2, 2, 0);
        checkActivation("ELU", new ELU(), -3, 2, 0);
        checkActivation("ELU alpha 0.7", new ELU(0.7f), -3, 2, 0);
        checkActivation("SELU", new SELU(), -3, 2, 0);
        checkActivation("GELU", new GELU(), -4, 4);
        checkActivation("GELU tanh", new GELU("tanh"), -4, 4);
        checkActivation("SiLU", new SiLU(), -5, 5);
        checkActivation("Swish", new Swish(), -5, 5);
        checkActivation("Sigmoid", new Sigmoid(), -5, 5);
        checkActivation("Tanh", new Tanh(), -3, 3);
        checkActivation("Hardswish", new Hardswish(), -5, 5, -3, 3);
        checkActivation("Hardsigmoid", new Hardsigmoid(), -5, 5, -3, 3);
        checkActivation("Identity", new Identity(), -1, 1);
    }

    @Test
    void prelu() {
        PReLU shared = new PReLU();
        Tensor x = avoiding(1, -2, 2, 0.05, new double[] {0}, 2, 3, 2, 2);
        GradCheck.of("PReLU shared").check(() -> shared.call(x), x, shared.weight());
        PReLU perChannel = new PReLU(3);
        fill(perChannel.weight(), 2, -0.5, 0.5);
        GradCheck.of("PReLU per channel [N,C,H,W]").check(() -> perChannel.call(x), x, perChannel.weight());
        Tensor x2 = avoiding(3, -2, 2, 0.05, new double[] {0}, 4, 3);
        GradCheck.of("PReLU per channel [N,C]").check(() -> perChannel.call(x2), x2, perChannel.weight());
        Tensor x1 = avoiding(4, -2, 2, 0.05, new double[] {0}, 7);
        GradCheck.of("PReLU shared on 1-D").check(() -> shared.call(x1), x1, shared.weight());
    }

    @Test
    void softmaxNegativeDims() {
        Tensor x = uniform(5, -2, 2, 2, 3, 4);
        GradCheck.of("Softmax(-1)").check(() -> new Softmax(-1).call(x), x);
        GradCheck.of("LogSoftmax(-3)").check(() -> new LogSoftmax(-3).call(x), x);
    }

    // ------------------------------------------------------------ normalisation

    private static void randomizeAffine(BatchNorm bn, long seed) {
        if (bn.weight() == null) return;
        fill(bn.weight(), seed, 0.5, 1.5);
        fill(bn.bias(), seed + 1, -0.5, 0.5);
    }

    private static void checkNorm(String label, Module m, Tensor x) {
        Tensor[] inputs = new Tensor[1 + m.parameters().size()];
        inputs[0] = x;
        for (int i = 0; i < m.parameters().size(); i++) inputs[i + 1] = m.parameters().get(i);
        GradCheck.of(label).check(() -> m.call(x), inputs);
    }

    @Test
    void batchNormOptions() {
        BatchNorm3d bn3 = new BatchNorm3d(2);
        randomizeAffine(bn3, 10);
        checkNorm("BatchNorm3d train", bn3, uniform(11, -1, 2, 2, 2, 2, 3, 2));
        bn3.eval();
        fill(bn3.runningMean(), 12, -0.5, 0.5);
        fill(bn3.runningVar(), 13, 0.5, 2);
        checkNorm("BatchNorm3d eval", bn3, uniform(14, -1, 2, 2, 2, 2, 3, 2));
        BatchNorm2d cma = new BatchNorm2d(3, 1e-5f, null, true, true);
        randomizeAffine(cma, 15);
        checkNorm("BatchNorm2d momentum=None", cma, uniform(16, -1, 2, 2, 3, 2, 3));
        BatchNorm2d noAffine = new BatchNorm2d(3, 1e-5f, 0.1f, false, true);
        checkNorm("BatchNorm2d affine=False", noAffine, uniform(17, -1, 2, 2, 3, 2, 3));
        BatchNorm1d noTrack = new BatchNorm1d(4, 1e-5f, 0.1f, true, false);
        randomizeAffine(noTrack, 18);
        noTrack.eval(); // batch statistics in evaluation too
        checkNorm("BatchNorm1d track_running_stats=False, eval", noTrack, uniform(19, -1, 2, 5, 4));
        // the fused BatchNorm+ReLU path with the new options
        Sequential fused = new Sequential(new BatchNorm2d(3, 1e-5f, null, false, false), new ReLU());
        Tensor x = uniform(20, -1, 2, 2, 3, 2, 3);
        GradCheck.of("BatchNorm2d(affine=False, no tracking) + ReLU fused").tolerance(1e-2, 5e-4).check(() -> fused.call(x), x);
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm(5);
        fill(ln.weight(), 30, 0.5, 1.5);
        fill(ln.bias(), 31, -0.5, 0.5);
        checkNorm("LayerNorm [5]", ln, uniform(32, -2, 2, 3, 5));
        checkNorm("LayerNorm [5] on [2,3,5]", ln, uniform(33, -2, 2, 2, 3, 5));
        LayerNorm ln2 = new LayerNorm(new int[] {3, 4}, 1e-3f, true);
        fill(ln2.weight(), 34, 0.5, 1.5);
        fill(ln2.bias(), 35, -0.5, 0.5);
        checkNorm("LayerNorm [3,4]", ln2, uniform(36, -2, 2, 2, 3, 4));
        checkNorm("LayerNorm no affine", new LayerNorm(new int[] {4}, 1e-5f, false), uniform(37, -2, 2, 3, 4));
    }

    @Test
    void groupNorm() {
        for (int g : new int[] {1, 2, 4}) {
            GroupNorm gn = new GroupNorm(g, 4);
            fill(gn.weight(), 40 + g, 0.5, 1.5);
            fill(gn.bias(), 50 + g, -0.5, 0.5);
            checkNorm("GroupNorm " + g + " groups [N,C,H,W]", gn, uniform(60 + g, -2, 2, 2, 4, 2, 3));
        }
        GroupNorm gn = new GroupNorm(3, 6);
        fill(gn.weight(), 70, 0.5, 1.5);
        checkNorm("GroupNorm [N,C,L]", gn, uniform(71, -2, 2, 2, 6, 3));
        checkNorm("GroupNorm [N,C]", new GroupNorm(2, 6), uniform(72, -2, 2, 3, 6));
        checkNorm("GroupNorm no affine", new GroupNorm(2, 4, 1e-5f, false), uniform(73, -2, 2, 2, 4, 3));
    }

    // ------------------------------------------------------------ dropout family (fixed masks via seeding)

    private static void checkSeeded(String label, Module m, long seed, Tensor x) {
        GradCheck.of(label).beforeEachForward(() -> Rng.manualSeed(seed)).check(() -> m.call(x), x);
    }

    @Test
    void dropoutFamily() {
        checkSeeded("Dropout1d", new Dropout1d(0.4f), 80, uniform(81, -1, 1, 2, 4, 3));
        checkSeeded("Dropout1d unbatched", new Dropout1d(0.4f), 82, uniform(83, -1, 1, 4, 3));
        checkSeeded("Dropout3d", new Dropout3d(0.4f), 84, uniform(85, -1, 1, 2, 3, 2, 2, 2));
        checkSeeded("AlphaDropout", new AlphaDropout(0.3f), 86, uniform(87, -1, 1, 4, 6));
        checkSeeded("FeatureAlphaDropout", new FeatureAlphaDropout(0.3f), 88, uniform(89, -1, 1, 2, 4, 2, 2));
        checkSeeded("GaussianNoise", new GaussianNoise(0.5f), 90, uniform(91, -1, 1, 3, 5));
        checkSeeded("GaussianDropout", new GaussianDropout(0.4f), 92, uniform(93, -1, 1, 3, 5));
    }

    // ------------------------------------------------------------ shape ops

    @Test
    void shapeOps() {
        Tensor x = uniform(100, -1, 1, 2, 3, 4);
        GradCheck.of("Flatten(0, 1)").check(() -> new Flatten(0, 1).call(x), x);
        GradCheck.of("Flatten(-2, -1)").check(() -> new Flatten(-2, -1).call(x), x);
        GradCheck.of("Unflatten").check(() -> new Unflatten(2, 2, -1).call(x), x);
        GradCheck.of("Reshape(-1, 12)").check(() -> new Reshape(-1, 12).call(x), x);
        GradCheck.of("Reshape.perSample(4, -1)").check(() -> Reshape.perSample(4, -1).call(x), x);
        GradCheck.of("Permute(2, 0, 1)").check(() -> new Permute(2, 0, 1).call(x), x);
        GradCheck.of("Permute(-1, 1, 0)").check(() -> new Permute(-1, 1, 0).call(x), x);
        Tensor a = uniform(101, -1, 1, 2, 1, 4), b = uniform(102, -1, 1, 2, 2, 4);
        Tensor constant = uniform(103, -1, 1, 2, 3, 4).requiresGrad(false);
        Concatenate cat = new Concatenate();
        GradCheck.of("Concatenate dim 1, one constant input").check(() -> cat.call(a, x, constant, b), a, x, b);
        Tensor c = uniform(104, -1, 1, 2, 3, 2);
        GradCheck.of("Concatenate dim -1").check(() -> new Concatenate(-1).call(x, c), x, c);
        Tensor y = uniform(105, -1, 1, 2, 3, 4);
        Add add = new Add();
        // x twice: its gradient is the sum of both uses
        GradCheck.of("Add(x, y, x)").check(() -> add.call(x, y, x), x, y);
        GradCheck.of("ShapeOps.add of one").check(() -> ShapeOps.add(y), y);
        // a residual block written with the modules
        Sequential branch = new Sequential(new LayerNorm(4), new Tanh());
        GradCheck.of("x + tanh(LayerNorm(x))").check(() -> add.call(branch.call(x), x), x);
        Identity id = new Identity();
        assertSame(x, id.call(x));
        assertArrayEquals(new int[] {2, 4, 3}, new Permute(0, 2, 1).call(x).shape());
    }
}
