package org.cnn4j.correctness;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.models.FashionDNN;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FashionCNN and FashionDNN against PyTorch 1.13: one training step on a fixed batch, from the fixtures
 * written by tools/fixtures/make_fashion_cnn_fixture.py and make_fashion_dnn_fixture.py (see there for
 * the file layout). Train mode with batch statistics; dropout disabled on both sides (PyTorch p = 0,
 * here the dropout module in eval mode). Compared: state_dict keys and parameter count, the logits, the
 * loss, the gradient of every parameter, the running statistics after the forward, the eval-mode logits,
 * and the parameters after one Adam step and one SGD step (momentum, weight decay).
 */
class TorchParityTest {
    /** The bar: within 1e-4 relative (norm-based per tensor). */
    private static final double RTOL = 1e-4;

    @Test
    void fashionCnnMatchesPyTorch() throws Exception {
        TorchFixture f = TorchFixture.load("fashion_cnn_torch.safetensors");
        run(f, new FashionCNN());
        System.out.println("FashionCNN vs PyTorch " + f.metadata.get("torch_version") + ":\n" + f.report());
    }

    @Test
    void fashionDnnMatchesPyTorch() throws Exception {
        TorchFixture f = TorchFixture.load("fashion_dnn_torch.safetensors");
        run(f, new FashionDNN());
        System.out.println("FashionDNN vs PyTorch " + f.metadata.get("torch_version") + ":\n" + f.report());
    }

    private static void run(TorchFixture f, Module model) {
        // ---- structure: PyTorch's state_dict keys, in order, and its parameter count
        assertEquals(f.stateDictKeys(), List.copyOf(model.stateDict().keySet()), "state_dict keys");
        assertEquals(Long.parseLong(f.metadata.get("parameter_count")), model.parameterCount(), "parameter count");

        // ---- load PyTorch's state (hashed weights recomputed, and checked against the stored rows)
        int nRows = f.nRows();
        Map<String, long[]> hashed = f.hashed();
        Map<String, Tensor> own = model.stateDict();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : own.keySet()) {
            if (hashed.containsKey(k)) {
                long[] h = hashed.get(k);
                Tensor w = TorchFixture.hashUniform(h[0], h[1], own.get(k).shape());
                assertArrayEquals(f.get("init_rows." + k).data(), TorchFixture.rows(w.data(), w.shape(), nRows),
                        "hash initialisation of " + k + " differs from the Python one");
                state.put(k, w);
            } else {
                state.put(k, f.get("state." + k));
            }
        }
        model.loadStateDict(state, true);
        for (String k : own.keySet()) assertArrayEquals(state.get(k).data(), own.get(k).data(), "loaded " + k);

        // ---- capture the input of the hashed Linear layers (their gradient is checked as gout^T act)
        Map<String, Module> modules = model.namedModules();
        Map<String, Tensor> acts = new HashMap<>();
        for (String p : hashed.keySet()) {
            String layer = p.substring(0, p.lastIndexOf('.'));
            modules.get(layer).addForwardHook((m, in, out) -> acts.put(layer, in));
        }

        // ---- train-mode forward and backward, dropout off
        model.train(true);
        Module drop = model.children().get("drop");
        drop.eval();
        Tensor x = f.get("input");
        float[] lab = f.get("labels").data();
        int[] labels = new int[lab.length];
        for (int i = 0; i < lab.length; i++) labels[i] = Math.round(lab[i]);
        Tensor logits = model.call(x);
        Tensor loss = new CrossEntropyLoss().apply(logits, labels);
        model.zeroGrad();
        loss.backward();

        f.assertClose("logits", "logits", logits.data(), f.get("logits").data(), RTOL, 1e-5, 1e-3);
        f.assertClose("loss", "loss", new float[] {loss.item()}, f.get("loss").data(), RTOL, 0, RTOL);
        for (var e : hashed.entrySet()) {
            String layer = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
            f.assertClose("activations", "input of " + layer, acts.get(layer).data(), f.get("act." + layer).data(), RTOL, 1e-5, 1e-3);
        }

        // ---- gradients of every parameter
        Map<String, Parameter> params = model.namedParameters();
        for (var e : params.entrySet()) {
            String name = e.getKey();
            float[] g = e.getValue().grad().data();
            if (hashed.containsKey(name)) {
                String layer = name.substring(0, name.lastIndexOf('.'));
                Tensor gout = f.get("gout." + layer), act = f.get("act." + layer);
                f.assertClose("gradients", "grad." + name + " (full, vs gout^T act)", g, outerSum(gout, act), RTOL, 1e-6, 1e-2);
                f.assertClose("gradients", "grad." + name + " (rows, vs torch .grad)",
                        TorchFixture.rows(g, e.getValue().shape(), nRows), f.get("grad." + name).data(), RTOL, 1e-6, 1e-2);
            } else {
                f.assertClose("gradients", "grad." + name, g, f.get("grad." + name).data(), RTOL, 1e-6, 1e-2);
            }
        }

        // ---- running statistics after the forward
        for (var e : model.stateDict().entrySet())
            if (e.getKey().contains("running_"))
                f.assertClose("running stats", e.getKey(), e.getValue().data(), f.get("after_forward." + e.getKey()).data(), RTOL, 1e-6, 1e-3);

        // ---- eval-mode logits (running statistics as updated by the forward)
        model.eval();
        try (var ignored = Autograd.noGrad()) {
            f.assertClose("eval logits", "eval logits", model.call(x).data(), f.get("eval_logits").data(), RTOL, 1e-5, 1e-3);
        }
        model.train(true);
        drop.eval();

        // ---- one optimizer step each, from the same parameters and gradients
        Map<String, float[]> before = new HashMap<>();
        params.forEach((k, p) -> before.put(k, p.data().clone()));
        List<Parameter> list = new ArrayList<>(params.values());
        new Adam(list, 1e-3f).step();
        compareStep(f, "after_adam.", params, before, hashed.keySet(), nRows);
        params.forEach((k, p) -> System.arraycopy(before.get(k), 0, p.data(), 0, p.numel()));
        new SGD(list, 0.1f, 0.9f, 0f, 1e-4f, false).step();
        compareStep(f, "after_sgd.", params, before, hashed.keySet(), nRows);
        assertTrue(f.errors.size() >= 6);
    }

    /**
     * Parameters after a step. Besides the parameter values, the update itself (new - old) is compared,
     * since a step is small relative to the weights. Adam's first update is lr * g / (|g| + eps): where the
     * gradient is round-off noise (|g| < 1e-6; the conv biases followed by batch norm have |g| ~ 1e-9,
     * mathematically 0) its sign is arbitrary in any two float implementations, so there only the bound
     * |update| <= lr is checked, on both sides, and such elements are left out of the comparison.
     */
    private static void compareStep(TorchFixture f, String prefix, Map<String, Parameter> params, Map<String, float[]> before,
                                    java.util.Set<String> hashed, int nRows) {
        String category = prefix.substring(0, prefix.length() - 1);
        boolean adam = prefix.equals("after_adam.");
        for (var e : params.entrySet()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            float[] now = p.data(), old = before.get(name), g = p.grad().data();
            if (hashed.contains(name)) {
                now = TorchFixture.rows(now, p.shape(), nRows);
                old = TorchFixture.rows(old, p.shape(), nRows);
                g = TorchFixture.rows(g, p.shape(), nRows);
            }
            float[] expected = f.get(prefix + name).data();
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < now.length; i++) {
                if (adam && Math.abs(g[i]) < 1e-6) {
                    assertTrue(Math.abs(now[i] - old[i]) <= 1.001e-3 && Math.abs(expected[i] - old[i]) <= 1.001e-3,
                            prefix + name + "[" + i + "]: an Adam step is at most lr");
                } else {
                    keep.add(i);
                }
            }
            if (keep.isEmpty()) continue;
            float[] a = new float[keep.size()], x = new float[keep.size()], delta = new float[keep.size()];
            double[] expectedDelta = new double[keep.size()];
            for (int j = 0; j < keep.size(); j++) {
                int i = keep.get(j);
                a[j] = now[i];
                x[j] = expected[i];
                delta[j] = now[i] - old[i];
                expectedDelta[j] = (double) expected[i] - old[i];
            }
            f.assertClose(category, prefix + name, a, x, RTOL, 1e-6, 1e-4);
            f.assertClose(category + " update", prefix + name + " update", delta, expectedDelta, 1e-3, 1e-7, 1e-2);
        }
    }

    /** sum_n gout[n, o] * act[n, i] in double: the full gradient of a Linear weight from PyTorch's factors. */
    private static double[] outerSum(Tensor gout, Tensor act) {
        int n = gout.size(0), out = gout.size(1), in = act.numel() / n;
        float[] g = gout.data(), a = act.data();
        double[] r = new double[out * in];
        for (int s = 0; s < n; s++)
            for (int o = 0; o < out; o++) {
                double go = g[s * out + o];
                if (go == 0) continue;
                int base = o * in;
                for (int i = 0; i < in; i++) r[base + i] += go * a[s * in + i];
            }
        return r;
    }
}
