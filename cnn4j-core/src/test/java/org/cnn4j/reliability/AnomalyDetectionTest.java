package org.cnn4j.reliability;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.GradClip;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.AnomalyDetector;
import org.cnn4j.train.AnomalyException;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trainer.detectAnomaly: the first module or parameter with a NaN/Inf is named; and gradient clipping in the Trainer. */
class AnomalyDetectionTest {
    /** log(x): NaN for negative inputs, a layer that produces the anomaly from finite input. */
    static final class Log extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.log();
        }

        @Override
        public String describe() {
            return "Log";
        }
    }

    private static ArrayDataset data(int n, boolean nanInInput) {
        float[] x = new float[n * 4];
        int[] y = new int[n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = i % 2;
        if (nanInInput) x[4 * 5 + 2] = Float.NaN; // sample 5, in the first batch of 8
        return new ArrayDataset(x, new int[] {4}, y, List.of("a", "b"));
    }

    @Test
    void namesTheLayerThatProducedANaNInTheForwardPass() {
        Rng.manualSeed(3);
        Sequential model = new Sequential(new Linear(4, 6), new Sequential(new ReLU(), new Linear(6, 6), new Log()), new Linear(6, 2));
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.1f)).detectAnomaly(true);
        AnomalyException e = assertThrows(AnomalyException.class,
                () -> trainer.fit(DataLoader.builder(data(16, false)).batchSize(8).build(), null, 1));
        assertEquals(AnomalyException.Phase.FORWARD, e.phase());
        assertEquals("1.2", e.modulePath(), e.getMessage()); // the Log inside the inner Sequential, not the containers
        assertTrue(e.getMessage().contains("module 1.2 (Log)"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch 1, batch 1 of 2"), e.getMessage());
        assertTrue(e.getMessage().contains("its input was finite"), e.getMessage());
        for (Module m : model.namedModules().values()) assertTrue(!m.hasForwardHooks(), "hooks removed after the failure: " + m.path());
    }

    @Test
    void nanInTheDataIsReportedAsComingFromTheInput() {
        Sequential model = new Sequential(new Linear(4, 3), new Linear(3, 2));
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.1f)).detectAnomaly(true);
        AnomalyException e = assertThrows(AnomalyException.class,
                () -> trainer.fit(DataLoader.builder(data(8, true)).batchSize(8).build(), null, 1));
        assertEquals("0", e.modulePath());
        assertTrue(e.getMessage().contains("its input already held NaN"), e.getMessage());
    }

    @Test
    void gradientCheckNamesTheParameterInBackwardOrder() {
        Sequential model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        try (AnomalyDetector d = AnomalyDetector.attach(model)) {
            for (Parameter p : model.parameters()) p.gradBuffer();
            d.checkGradients(); // all zero: fine
            model.namedParameters().get("0.weight").gradBuffer()[1] = Float.NaN;
            model.namedParameters().get("2.bias").gradBuffer()[0] = Float.POSITIVE_INFINITY;
            d.setLocation("epoch 3, batch 4");
            AnomalyException e = assertThrows(AnomalyException.class, d::checkGradients);
            assertEquals(AnomalyException.Phase.BACKWARD, e.phase());
            assertEquals("2.bias", e.parameter()); // back-propagation reaches layer 2 first
            assertEquals("2", e.modulePath());
            assertTrue(e.getMessage().contains("2 of 4 parameters"), e.getMessage());
            assertTrue(e.getMessage().contains("(of 2, Linear"), e.getMessage());
            assertTrue(e.getMessage().contains("epoch 3, batch 4"), e.getMessage());
        }
    }

    @Test
    void anOverflowingUpdateIsReportedAfterTheStep() {
        Rng.manualSeed(5);
        Sequential model = new Sequential(new Linear(4, 3), new Linear(3, 2));
        ArrayDataset big = data(16, false);
        float[] x = new float[16 * 4];
        for (int i = 0; i < 16; i++) big.copySample(i, x, 4 * i);
        for (int i = 0; i < x.length; i++) x[i] *= 1000; // gradients of the first layer's weights around 100: lr * g overflows
        ArrayDataset scaled = new ArrayDataset(x, new int[] {4}, new int[16], List.of("a", "b"));
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 3e38f)).detectAnomaly(true);
        AnomalyException e = assertThrows(AnomalyException.class,
                () -> trainer.fit(DataLoader.builder(scaled).batchSize(8).build(), null, 1));
        assertEquals(AnomalyException.Phase.STEP, e.phase(), e.getMessage());
        assertTrue(e.getMessage().contains("after the optimizer step"), e.getMessage());
    }

    @Test
    void detectionOnDoesNotChangeTheResults() {
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Rng.manualSeed(11);
            Sequential model = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 2));
            new Trainer(model, new SGD(model.parameters(), 0.05f)).detectAnomaly(run == 1)
                    .fit(DataLoader.builder(data(32, false)).batchSize(8).shuffle(true).seed(2).build(), null, 2);
            weights[run] = model.namedParameters().get("2.weight").data().clone();
        }
        assertArrayEquals(weights[0], weights[1]);
    }

    @Test
    void clippingInTheTrainerBoundsTheUpdate() {
        // SGD without momentum and lr 1: the update is minus the (clipped) gradient, so its norm is at most maxNorm.
        for (String mode : List.of("norm", "value")) {
            Rng.manualSeed(7);
            Sequential model = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 2));
            List<Parameter> ps = model.parameters();
            float[][] before = new float[ps.size()][];
            for (int i = 0; i < ps.size(); i++) before[i] = ps.get(i).data().clone();
            Trainer t = new Trainer(model, new SGD(ps, 1f));
            if (mode.equals("norm")) t.clipGradNorm(0.01);
            else t.clipGradValue(0.001);
            t.fit(DataLoader.builder(data(8, false)).batchSize(8).build(), null, 1);
            double sq = 0, maxAbs = 0;
            for (int i = 0; i < ps.size(); i++)
                for (int j = 0; j < before[i].length; j++) {
                    double d = before[i][j] - ps.get(i).data()[j];
                    sq += d * d;
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                }
            if (mode.equals("norm")) assertEquals(0.01, Math.sqrt(sq), 1e-5, "the gradient norm of this problem is well above 0.01");
            else {
                assertTrue(maxAbs <= 0.001 + 1e-7, "max update " + maxAbs);
                assertEquals(0.001, maxAbs, 1e-6, "some gradient element exceeded the clip value");
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(new Linear(1, 1), new SGD(new Linear(1, 1).parameters(), 1f)).clipGradNorm(0));
        assertTrue(e.getMessage().contains("maxNorm") && e.getMessage().contains("Received: 0.0"), e.getMessage());
        assertNotEquals(0.0, GradClip.totalNorm(List.of(), 2.0) + 1);
    }
}
