package org.cnn4j.optim;

import org.cnn4j.optim.schedule.CosineAnnealingLR;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.optim.schedule.MultiStepLR;
import org.cnn4j.optim.schedule.OneCycleLR;
import org.cnn4j.optim.schedule.ReduceLROnPlateau;
import org.cnn4j.optim.schedule.Schedulers;
import org.cnn4j.optim.schedule.StepLR;
import org.cnn4j.optim.schedule.WarmupCosineLR;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's --scheduler specs. */
class SchedulersTest {
    private static Optimizer sgd() {
        return SchedulerParityTest.twoGroups("sgd");
    }

    @Test
    void specsBuildTheNamedSchedules() {
        assertNull(Schedulers.parse("none", sgd(), 5, 10));
        Optimizer o = sgd();
        LRScheduler s = Schedulers.parse("step:2:0.5", o, 5, 10);
        assertInstanceOf(StepLR.class, s);
        s.step();
        s.step();
        assertEquals(0.05, o.paramGroups().get(0).lr(), 1e-8);
        assertInstanceOf(MultiStepLR.class, Schedulers.parse("multistep:2,4:0.1", sgd(), 5, 10));
        assertInstanceOf(CosineAnnealingLR.class, Schedulers.parse("cosine", sgd(), 5, 10));
        LRScheduler w = Schedulers.parse("warmup-cosine:1", sgd(), 5, 10);
        assertInstanceOf(WarmupCosineLR.class, w);
        assertEquals(LRScheduler.Interval.STEP, w.interval());
        Optimizer oc = sgd();
        LRScheduler one = Schedulers.parse("onecycle:0.4", oc, 2, 3);
        assertInstanceOf(OneCycleLR.class, one);
        for (int i = 0; i < 5; i++) one.step(); // total = 2 epochs x 3 batches: the last of 6 lrs is the minimum
        assertEquals(0.4 / 25 / 1e4, oc.paramGroups().get(0).lr(), 1e-12);
        LRScheduler p = Schedulers.parse("plateau:3:0.2", sgd(), 5, 10);
        assertInstanceOf(ReduceLROnPlateau.class, p);
        assertTrue(p.needsMetric());
    }

    @Test
    void badSpecsNameTheSpecAndTheSyntax() {
        for (String bad : new String[] {"stepp:2", "step", "step:x", "exp", "multistep:a,b", "warmup-cosine:9", "plateau:1:2:3"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Schedulers.parse(bad, sgd(), 5, 10), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("step:SIZE"), e.getMessage());
        }
    }
}
