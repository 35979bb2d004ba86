package org.cnn4j.correctness;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.BatchNorm3d;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.ELU;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.GroupNorm;
import org.cnn4j.nn.Hardsigmoid;
import org.cnn4j.nn.Hardswish;
import org.cnn4j.nn.LayerNorm;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.LogSoftmax;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.PReLU;
import org.cnn4j.nn.Permute;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.SELU;
import org.cnn4j.nn.SiLU;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Tanh;
import org.cnn4j.nn.Unflatten;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Normalisation, activation, dropout and shape-op layers against PyTorch 1.13 values written by
 * tools/fixtures/layers_family.py: forward output and the gradients of the input(s) and parameters for
 * the stored upstream gradient r; batch norm's running statistics after the step(s) and its
 * evaluation-mode output. Norm-relative error at most 1e-4 for every tensor.
 */
class LayersFamilyTorchParityTest {
    private static final double RTOL = 1e-4;
    private static TorchFixture f;

    @BeforeAll
    static void load() throws Exception {
        f = TorchFixture.load("layers_family_torch.safetensors");
    }

    private static void close(String category, String name, float[] actual, float[] expected) {
        f.assertClose(category, name, actual, expected, RTOL, 1e-6, 1e-3);
    }

    private static void copyInto(Tensor dst, String name) {
        Tensor src = f.get(name);
        assertEquals(dst.numel(), src.numel(), name + " size");
        System.arraycopy(src.data(), 0, dst.data(), 0, dst.numel());
    }

    /** Loads the case's parameters, runs forward and backward, compares output and all gradients. */
    private static Tensor check(String category, String c, Module layer) {
        for (Map.Entry<String, Parameter> e : layer.namedParameters().entrySet()) copyInto(e.getValue(), c + "." + e.getKey());
        Tensor x = f.get(c + ".x").copy().requiresGrad(true);
        Tensor y = layer.call(x);
        Tensor expected = f.get(c + ".y");
        assertArrayEquals(expected.shape(), y.shape(), c + " output shape");
        close(category + " outputs", c + ".y", y.data(), expected.data());
        y.backward(f.get(c + ".r").data());
        close(category + " gradients", c + ".dx", x.grad().data(), f.get(c + ".dx").data());
        for (Map.Entry<String, Parameter> e : layer.namedParameters().entrySet())
            close(category + " gradients", c + ".d" + e.getKey(), e.getValue().grad().data(), f.get(c + ".d" + e.getKey()).data());
        return x;
    }

    // ------------------------------------------------------------ activations

    @Test
    void activations() {
        check("activation", "act.relu", new ReLU());
        check("activation", "act.relu6", new ReLU6());
        check("activation", "act.leaky_relu", new LeakyReLU(0.1f));
        check("activation", "act.elu", new ELU());
        check("activation", "act.elu_alpha0.5", new ELU(0.5f));
        check("activation", "act.selu", new SELU());
        check("activation", "act.gelu", new GELU());
        check("activation", "act.gelu_tanh", new GELU("tanh"));
        check("activation", "act.silu", new SiLU());
        check("activation", "act.sigmoid", new Sigmoid());
        check("activation", "act.tanh", new Tanh());
        check("activation", "act.hardswish", new Hardswish());
        check("activation", "act.hardsigmoid", new Hardsigmoid());
        check("activation", "act.prelu1", new PReLU());
        check("activation", "act.prelu3", new PReLU(3));
        check("activation", "act.softmax_dim-1", new Softmax(-1));
        check("activation", "act.log_softmax_dim-2", new LogSoftmax(-2));
    }

    // ------------------------------------------------------------ normalisation

    private static void batchNorm(String c, BatchNorm bn) {
        if (bn.trackRunningStats()) {
            copyInto(bn.runningMean(), c + ".running_mean");
            copyInto(bn.runningVar(), c + ".running_var");
        }
        for (Map.Entry<String, Parameter> e : bn.namedParameters().entrySet()) copyInto(e.getValue(), c + "." + e.getKey());
        for (int step = 0; f.tensors.containsKey(c + ".step" + step + "_x"); step++)
            bn.call(f.get(c + ".step" + step + "_x").copy());
        bn.train(true);
        Tensor x = check("batch norm", c, bn);
        if (bn.trackRunningStats()) {
            close("batch norm running stats", c + ".after_running_mean", bn.runningMean().data(), f.get(c + ".after_running_mean").data());
            close("batch norm running stats", c + ".after_running_var", bn.runningVar().data(), f.get(c + ".after_running_var").data());
            assertEquals(f.get(c + ".after_num_batches_tracked").item(), bn.numBatchesTracked().item(), c + " num_batches_tracked");
        }
        bn.eval();
        x.zeroGrad();
        Tensor y = bn.call(x);
        close("batch norm eval", c + ".eval_y", y.data(), f.get(c + ".eval_y").data());
        y.backward(f.get(c + ".r").data());
        close("batch norm eval", c + ".eval_dx", x.grad().data(), f.get(c + ".eval_dx").data());
    }

    @Test
    void batchNorms() {
        batchNorm("bn1d_nc", new BatchNorm1d(4));
        batchNorm("bn1d_ncl", new BatchNorm1d(3, 1e-3f, 0.3f));
        batchNorm("bn2d", new BatchNorm2d(4));
        batchNorm("bn3d", new BatchNorm3d(3));
        batchNorm("bn2d_cma", new BatchNorm2d(3, 1e-5f, null, true, true));
        BatchNorm2d noAffine = new BatchNorm2d(3, 1e-5f, 0.1f, false, true);
        assertNull(noAffine.weight());
        batchNorm("bn2d_noaffine", noAffine);
        batchNorm("bn2d_notrack", new BatchNorm2d(3, 1e-5f, 0.1f, true, false));
    }

    @Test
    void layerAndGroupNorms() {
        check("layer/group norm", "ln_last", new LayerNorm(8));
        check("layer/group norm", "ln_two_dims", new LayerNorm(new int[] {4, 5}, 1e-3f, true));
        check("layer/group norm", "ln_no_affine", new LayerNorm(new int[] {3, 4}, 1e-5f, false));
        check("layer/group norm", "gn_g3", new GroupNorm(3, 6));
        check("layer/group norm", "gn_g1", new GroupNorm(1, 6));
        check("layer/group norm", "gn_g6", new GroupNorm(6, 6));
        check("layer/group norm", "gn_g2_no_affine", new GroupNorm(2, 4, 1e-5f, false));
        check("layer/group norm", "gn_ncl", new GroupNorm(2, 4));
    }

    // ------------------------------------------------------------ shape ops

    /** A multi-input case: x0, x1, ... -> y, with dx0, dx1, ... */
    private static void multi(String c, Function<Tensor[], Tensor> fn) {
        int n = 0;
        while (f.tensors.containsKey(c + ".x" + n)) n++;
        Tensor[] xs = new Tensor[n];
        for (int i = 0; i < n; i++) xs[i] = f.get(c + ".x" + i).copy().requiresGrad(true);
        Tensor y = fn.apply(xs);
        assertArrayEquals(f.get(c + ".y").shape(), y.shape(), c + " output shape");
        close("shape op outputs", c + ".y", y.data(), f.get(c + ".y").data());
        y.backward(f.get(c + ".r").data());
        for (int i = 0; i < n; i++) close("shape op gradients", c + ".dx" + i, xs[i].grad().data(), f.get(c + ".dx" + i).data());
    }

    @Test
    void shapeOps() {
        multi("permute_0231", xs -> new Permute(0, 2, 3, 1).call(xs[0]));
        multi("permute_3102", xs -> new Permute(3, 1, 0, 2).call(xs[0]));
        multi("cat_dim1", xs -> new Concatenate().call(xs));
        multi("cat_dim-1", xs -> new Concatenate(-1).call(xs));
        multi("add3", xs -> new org.cnn4j.nn.Add().call(xs));
        multi("flatten_1_2", xs -> new Flatten(1, 2).call(xs[0]));
        multi("unflatten", xs -> new Unflatten(1, 3, 4).call(xs[0]));
        multi("cat_dim1", xs -> ShapeOps.cat(1, xs)); // the op form directly
    }

    // ------------------------------------------------------------ dropout with torch's mask

    private static void alphaDropout(String c, int groupSize) {
        float p = f.get(c + ".p").item();
        float[] keepF = f.get(c + ".keep").data();
        boolean[] keep = new boolean[keepF.length];
        int kept = 0;
        for (int i = 0; i < keep.length; i++) if (keep[i] = keepF[i] != 0f) kept++;
        org.junit.jupiter.api.Assertions.assertTrue(kept > 0 && kept < keep.length, c + ": torch kept some and dropped some");
        Tensor x = f.get(c + ".x").copy().requiresGrad(true);
        Tensor y = DropoutOp.alphaDropout(x, p, groupSize, keep);
        close("alpha dropout", c + ".y", y.data(), f.get(c + ".y").data());
        y.backward(f.get(c + ".r").data());
        close("alpha dropout", c + ".dx", x.grad().data(), f.get(c + ".dx").data());
    }

    @Test
    void alphaDropoutFormula() {
        alphaDropout("alpha_dropout", 1);
        alphaDropout("feature_alpha_dropout", 9);
    }

    @AfterAll
    static void report() {
        System.out.println("layers family vs PyTorch " + f.metadata.get("torch_version") + ":\n" + f.report());
    }
}
