package org.cnn4j.optim;

import org.cnn4j.autograd.ops.LinearOp;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.cnn4j.optim.OptimFixture.map;
import static org.cnn4j.optim.OptimFixture.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every optimizer and option combination against PyTorch 1.13 (tools/fixtures/optim_family.py): the
 * same least-squares problem, the same start, six steps; the parameters after each step must match
 * PyTorch's to a relative error of 1e-4 (elementwise, relative to max(|torch|, 1e-2)).
 */
class OptimizerParityTest {
    static final OptimFixture FIX = OptimFixture.load();
    static final double TOL = 1e-4;

    /** The optimizer a fixture entry describes, over W (and b, in the first or a second group). */
    static Optimizer build(Map<String, Object> cfg, Parameter w, Parameter b) {
        String kind = (String) cfg.get("kind");
        Map<String, Object> a = map(cfg.get("args"));
        Map<String, Object> group2 = cfg.get("group2") == null ? null : map(cfg.get("group2"));
        List<Parameter> first = group2 == null ? List.of(w, b) : List.of(w);
        float lr = f(a, "lr", Float.NaN);
        float beta1 = a.containsKey("betas") ? (float) num(OptimFixture.list(a.get("betas")).get(0)) : 0.9f;
        float beta2 = a.containsKey("betas") ? (float) num(OptimFixture.list(a.get("betas")).get(1)) : 0.999f;
        boolean amsgrad = Boolean.TRUE.equals(a.get("amsgrad"));
        Optimizer opt = switch (kind) {
            case "sgd" -> new SGD(first, lr, f(a, "momentum", 0), f(a, "dampening", 0), f(a, "weight_decay", 0),
                    Boolean.TRUE.equals(a.get("nesterov")));
            case "adam" -> new Adam(first, lr, beta1, beta2, f(a, "eps", 1e-8f), f(a, "weight_decay", 0), amsgrad);
            case "adamw" -> new AdamW(first, lr, beta1, beta2, f(a, "eps", 1e-8f), f(a, "weight_decay", 1e-2f), amsgrad);
            case "rmsprop" -> new RMSprop(first, lr, f(a, "alpha", 0.99f), f(a, "eps", 1e-8f), f(a, "weight_decay", 0),
                    f(a, "momentum", 0), Boolean.TRUE.equals(a.get("centered")));
            case "adagrad" -> new Adagrad(first, lr, f(a, "lr_decay", 0), f(a, "weight_decay", 0),
                    f(a, "initial_accumulator_value", 0), f(a, "eps", 1e-10f));
            case "nadam" -> new NAdam(first, lr, beta1, beta2, f(a, "eps", 1e-8f), f(a, "weight_decay", 0),
                    f(a, "momentum_decay", 4e-3f));
            default -> throw new AssertionError("unknown optimizer kind " + kind);
        };
        if (group2 != null)
            opt.addParamGroup(ParamGroup.of(List.of(b)).withLr(num(group2.get("lr"))).withWeightDecay(num(group2.get("weight_decay"))));
        return opt;
    }

    private static float f(Map<String, Object> a, String key, float dflt) {
        return a.containsKey(key) ? (float) num(a.get(key)) : dflt;
    }

    static Parameter param(String name) {
        Tensor t = FIX.tensors.get(name);
        return new Parameter(t.data().clone(), t.shape());
    }

    static void step(Optimizer opt, Parameter w, Parameter b) {
        Tensor x = FIX.tensors.get("x"), t = FIX.tensors.get("t");
        Tensor loss = LinearOp.apply(x, w, b).sub(t).square().mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    /** Max over elements of |a - e| / max(|e|, 1e-2). */
    static double relError(float[] actual, float[] expected, int offset) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = expected[offset + i];
            worst = Math.max(worst, Math.abs(actual[i] - e) / Math.max(Math.abs(e), 1e-2));
        }
        return worst;
    }

    @Test
    void everyOptimizerFollowsPyTorchsTrajectory() {
        Map<String, Object> configs = FIX.json("optimizers");
        int steps = Integer.parseInt(FIX.metadata.get("steps"));
        assertTrue(configs.size() >= 20, "fixture lists " + configs.size() + " optimizer configurations");
        StringBuilder report = new StringBuilder();
        double overall = 0;
        List<String> failures = new ArrayList<>();
        for (var e : configs.entrySet()) {
            String name = e.getKey();
            Parameter w = param("weight0"), b = param("bias0");
            Optimizer opt = build(map(e.getValue()), w, b);
            float[] tw = FIX.tensors.get("traj." + name + ".weight").data(), tb = FIX.tensors.get("traj." + name + ".bias").data();
            assertEquals(0, relError(w.data(), tw, 0), name + ": start differs");
            double worst = 0;
            for (int s = 1; s <= steps; s++) {
                step(opt, w, b);
                double err = Math.max(relError(w.data(), tw, s * w.numel()), relError(b.data(), tb, s * b.numel()));
                worst = Math.max(worst, err);
            }
            // the trajectory must actually move, or the comparison would prove little
            assertTrue(relError(w.data(), tw, 0) > 1e-3, name + ": parameters did not move");
            if (!(worst <= TOL)) failures.add(name + " (max rel error " + worst + ")");
            report.append(String.format("  %-28s max rel error %.2e%n", name, worst));
            overall = Math.max(overall, worst);
        }
        System.out.print("optimizer parity with PyTorch " + FIX.metadata.get("torch_version") + ", " + steps + " steps:\n" + report);
        if (!failures.isEmpty()) fail("optimizers off PyTorch's trajectory: " + failures);
        assertTrue(overall <= TOL);
    }

    @Test
    void stateDictRoundTripResumesBitForBit() {
        Map<String, Object> configs = FIX.json("optimizers");
        for (var e : configs.entrySet()) {
            Parameter w = param("weight0"), b = param("bias0");
            Optimizer opt = build(map(e.getValue()), w, b);
            for (int s = 0; s < 3; s++) step(opt, w, b);
            Map<String, float[]> saved = opt.stateDict();
            Parameter w2 = new Parameter(w.data().clone(), w.shape()), b2 = new Parameter(b.data().clone(), b.shape());
            Optimizer resumed = build(map(e.getValue()), w2, b2);
            resumed.loadStateDict(saved);
            for (var s : saved.entrySet())
                assertArrayEquals(s.getValue(), resumed.stateDict().get(s.getKey()), e.getKey() + ": " + s.getKey());
            for (int s = 0; s < 3; s++) {
                step(opt, w, b);
                step(resumed, w2, b2);
            }
            assertArrayEquals(w.data(), w2.data(), e.getKey() + ": resumed weights differ");
            assertArrayEquals(b.data(), b2.data(), e.getKey() + ": resumed biases differ");
        }
    }

    @Test
    void stateDictNamesFollowPyTorch() {
        Parameter w = param("weight0"), b = param("bias0");
        Adam adam = new Adam(List.of(w, b), 0.01f, 0.9f, 0.999f, 1e-8f, 0f, true);
        assertTrue(adam.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), "no state before the first step");
        step(adam, w, b);
        Map<String, float[]> sd = adam.stateDict();
        for (String k : List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.0.step",
                "state.1.exp_avg", "param_groups.0.lr", "param_groups.0.weight_decay", "momentum"))
            assertTrue(sd.containsKey(k), "missing " + k + " in " + sd.keySet());
        assertEquals(12, sd.get("state.0.exp_avg").length);
        assertEquals(1f, sd.get("state.0.step")[0]);
        for (double v : new double[] {0.1, Math.PI * 1e-7, 1.0 / 3, 123456.789e-30})
            assertEquals(v, Optimizer.decode(Optimizer.encode(v)), 0.0, "exact double round trip");
        assertEquals((double) 0.01f, Optimizer.decode(sd.get("param_groups.0.lr")), 0.0); // the lr given as float, kept exactly
    }

    @Test
    void loadStateDictRejectsWrongShapesAndNames() {
        Parameter w = param("weight0"), b = param("bias0");
        SGD sgd = new SGD(List.of(w, b), 0.1f, 0.9f, 0f, 0f, false);
        var e1 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("state.0.momentum_buffer", new float[5])));
        assertTrue(e1.getMessage().contains("state.0.momentum_buffer") && e1.getMessage().contains("12"), e1.getMessage());
        var e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("state.7.momentum_buffer", new float[12])));
        assertTrue(e2.getMessage().contains("names no parameter"), e2.getMessage());
        var e3 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("state.0.exp_avg", new float[12])));
        assertTrue(e3.getMessage().contains("unknown state 'exp_avg'"), e3.getMessage());
    }

    @Test
    void paramGroupsCarryTheirOwnLrAndWeightDecay() {
        Parameter w = param("weight0"), b = param("bias0");
        SGD sgd = new SGD(List.of(w), 0.1f);
        sgd.addParamGroup(ParamGroup.of(List.of(b)).withLr(0.5));
        assertEquals(2, sgd.paramGroups().size());
        assertEquals(0.1, sgd.paramGroups().get(0).lr(), 1e-7);
        assertEquals(0.5, sgd.paramGroups().get(1).lr());
        assertEquals(0.0, sgd.paramGroups().get(1).weightDecay()); // the optimizer's default
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sgd.addParamGroup(ParamGroup.of(List.of(w))));
        assertTrue(e.getMessage().contains("more than one parameter group"), e.getMessage());
        // plain SGD: each group moves by its own lr
        float[] w0 = w.data().clone(), b0 = b.data().clone();
        w.gradBuffer();
        Arrays.fill(w.gradBuffer(), 1f);
        Arrays.fill(b.gradBuffer(), 1f);
        sgd.step();
        assertEquals(w0[0] - 0.1f, w.data()[0], 1e-6);
        assertEquals(b0[0] - 0.5f, b.data()[0], 1e-6);
    }

    @Test
    void frozenParametersAndMissingGradientsAreSkipped() {
        Parameter w = param("weight0"), b = param("bias0");
        float[] w0 = w.data().clone(), b0 = b.data().clone();
        Adam adam = new Adam(List.of(w, b), 0.1f);
        Arrays.fill(w.gradBuffer(), 1f);
        b.requiresGrad(false);
        adam.step();
        assertArrayEquals(b0, b.data());
        assertTrue(w.data()[0] != w0[0]);
        assertTrue(adam.stateDict().containsKey("state.0.exp_avg"));
        assertTrue(!adam.stateDict().containsKey("state.1.exp_avg"));
    }

    @Test
    void invalidHyperParametersFailAtConstruction() {
        List<Parameter> ps = List.of(param("weight0"));
        assertMessage(() -> new RMSprop(ps, 0.01f, -1f, 1e-8f, 0f, 0f, false), "alpha", "-1.0");
        assertMessage(() -> new Adagrad(ps, 0.01f, -0.1f, 0f, 0f, 1e-10f), "lr_decay", "-0.1");
        assertMessage(() -> new NAdam(ps, 0.01f, 1f, 0.999f, 1e-8f, 0f, 4e-3f), "betas", "1.0");
        assertMessage(() -> new AdamW(ps, 0.01f, 0.9f, 0.999f, 1e-8f, -1f, false), "weight_decay", "-1.0");
        assertMessage(() -> new Adam(ps, 0f), "learning rate", "lr=0.0");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), ex.getMessage());
    }
}
