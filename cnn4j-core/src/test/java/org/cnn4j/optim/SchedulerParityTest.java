package org.cnn4j.optim;

import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.schedule.CosineAnnealingLR;
import org.cnn4j.optim.schedule.ExponentialLR;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.optim.schedule.MultiStepLR;
import org.cnn4j.optim.schedule.OneCycleLR;
import org.cnn4j.optim.schedule.ReduceLROnPlateau;
import org.cnn4j.optim.schedule.StepLR;
import org.cnn4j.optim.schedule.WarmupCosineLR;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.cnn4j.optim.OptimFixture.list;
import static org.cnn4j.optim.OptimFixture.map;
import static org.cnn4j.optim.OptimFixture.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every schedule against the lr sequences PyTorch 1.13 produced (tools/fixtures/optim_family.py), for
 * two parameter groups with different base lrs; OneCycleLR's momentum / beta1 too. Max relative
 * error 1e-5 (in practice ~1e-15: the same double formulas).
 */
class SchedulerParityTest {
    static final OptimFixture FIX = OptimFixture.load();

    /** SGD (lr 0.1, momentum 0.9) or Adam (lr 0.01) with a second group at lr 0.02 / 0.002, as the fixture. */
    static Optimizer twoGroups(String kind) {
        Parameter p1 = new Parameter(new float[2], 2), p2 = new Parameter(new float[3], 3);
        if (kind.equals("adam"))
            return new Adam(List.of(p1), 0.01f).addParamGroup(ParamGroup.of(List.of(p2)).withLr(0.002));
        return new SGD(List.of(p1), 0.1f, 0.9f, 0f, 0f, false).addParamGroup(ParamGroup.of(List.of(p2)).withLr(0.02));
    }

    static LRScheduler build(Map<String, Object> c, Optimizer opt) {
        return switch ((String) c.get("kind")) {
            case "step" -> new StepLR(opt, (int) num(c.get("step_size")), num(c.get("gamma")));
            case "multistep" -> {
                List<Object> ms = list(c.get("milestones"));
                int[] m = new int[ms.size()];
                for (int i = 0; i < m.length; i++) m[i] = (int) num(ms.get(i));
                yield new MultiStepLR(opt, m, num(c.get("gamma")));
            }
            case "exp" -> new ExponentialLR(opt, num(c.get("gamma")));
            case "cosine" -> new CosineAnnealingLR(opt, (int) num(c.get("t_max")), num(c.get("eta_min")));
            case "warmup_cosine" -> new WarmupCosineLR(opt, (int) num(c.get("warmup")), (int) num(c.get("total")), num(c.get("min_lr")));
            case "onecycle" -> new OneCycleLR(opt, num(c.get("max_lr")), (int) num(c.get("total_steps")), num(c.get("pct_start")),
                    c.get("anneal").equals("cos") ? OneCycleLR.Anneal.COS : OneCycleLR.Anneal.LINEAR, true, 0.85, 0.95, 25, 1e4,
                    (Boolean) c.get("three_phase"));
            case "plateau" -> new ReduceLROnPlateau(opt, c.get("mode").equals("min") ? ReduceLROnPlateau.Mode.MIN : ReduceLROnPlateau.Mode.MAX,
                    num(c.get("factor")), (int) num(c.get("patience")), num(c.get("threshold")),
                    c.get("threshold_mode").equals("rel") ? ReduceLROnPlateau.ThresholdMode.REL : ReduceLROnPlateau.ThresholdMode.ABS,
                    (int) num(c.get("cooldown")), num(c.get("min_lr")), num(c.get("eps")));
            default -> throw new AssertionError("unknown schedule " + c.get("kind"));
        };
    }

    private static double rel(double actual, double expected) {
        return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    }

    @Test
    void everyScheduleProducesPyTorchsLearningRates() {
        Map<String, Object> all = FIX.json("schedulers");
        assertTrue(all.size() >= 12, "fixture has " + all.size() + " schedules");
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (var e : all.entrySet()) {
            Map<String, Object> c = map(e.getValue());
            String optKind = c.containsKey("optimizer") ? (String) c.get("optimizer") : "sgd";
            Optimizer opt = twoGroups(optKind);
            LRScheduler s = build(c, opt);
            List<Object> lrs = list(c.get("lr")), moms = list(c.get("momentum"));
            List<Object> metrics = c.containsKey("metrics") ? list(c.get("metrics")) : null;
            double worst = 0;
            for (int step = 0; step < lrs.size(); step++) {
                if (step > 0) {
                    opt.step();
                    if (metrics != null) s.step(num(metrics.get(step - 1)));
                    else s.step();
                }
                List<Object> expected = list(lrs.get(step));
                for (int g = 0; g < expected.size(); g++)
                    worst = Math.max(worst, rel(opt.paramGroups().get(g).lr(), num(expected.get(g))));
                if (!moms.isEmpty()) worst = Math.max(worst, rel(opt.momentum(), num(moms.get(step))));
            }
            if (metrics == null) {
                double[] last = s.lastLr();
                for (int g = 0; g < last.length; g++) assertEquals(opt.paramGroups().get(g).lr(), last[g], 0.0);
            }
            if (!(worst <= 1e-5)) failures.add(e.getKey() + " (max rel error " + worst + ")");
            report.append(String.format("  %-34s %3d steps, max rel error %.1e%n", e.getKey(), lrs.size() - 1, worst));
        }
        System.out.print("schedule parity with PyTorch:\n" + report);
        if (!failures.isEmpty()) fail("schedules off PyTorch's sequence: " + failures);
    }

    @Test
    void oneCycleRefusesToStepPastTotalStepsAsPyTorch() {
        Optimizer opt = twoGroups("sgd");
        OneCycleLR s = new OneCycleLR(opt, 0.5, 4);
        for (int i = 0; i < 4; i++) s.step();
        assertThrows(IllegalStateException.class, s::step);
    }

    @Test
    void oneCycleNeedsAMomentumToCycle() {
        Parameter p = new Parameter(new float[2], 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(new Adagrad(List.of(p), 0.1f), 0.5, 10));
        assertTrue(e.getMessage().contains("cycle_momentum"), e.getMessage());
        new OneCycleLR(new Adagrad(List.of(p), 0.1f), 0.5, 10, 0.3, OneCycleLR.Anneal.COS, false, 0.85, 0.95, 25, 1e4, false);
    }

    @Test
    void schedulerStateRoundTrips() {
        Optimizer a = twoGroups("sgd"), b = twoGroups("sgd");
        CosineAnnealingLR sa = new CosineAnnealingLR(a, 10, 0.001);
        for (int i = 0; i < 4; i++) sa.step();
        CosineAnnealingLR sb = new CosineAnnealingLR(b, 10, 0.001);
        b.loadStateDict(a.stateDict());
        sb.loadStateDict(sa.stateDict());
        for (int i = 0; i < 8; i++) {
            sa.step();
            sb.step();
            assertEquals(a.paramGroups().get(1).lr(), b.paramGroups().get(1).lr(), 0.0);
        }
        Optimizer c = twoGroups("sgd"), d = twoGroups("sgd");
        ReduceLROnPlateau pc = new ReduceLROnPlateau(c), pd = new ReduceLROnPlateau(d);
        pc.step(1.0);
        pc.step(2.0);
        pd.loadStateDict(pc.stateDict());
        assertEquals(1.0, pd.best());
        assertEquals(1, pd.numBadEpochs());
    }

    @Test
    void invalidScheduleArgumentsFailAtConstruction() {
        Optimizer opt = twoGroups("sgd");
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0));
        assertTrue(e.getMessage().contains("step_size") && e.getMessage().contains("Received: step_size=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 1.5, 2, 1e-4,
                ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8));
        assertTrue(e.getMessage().contains("factor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosineLR(opt, 10, 5));
        assertTrue(e.getMessage().contains("total_steps"), e.getMessage());
    }
}
