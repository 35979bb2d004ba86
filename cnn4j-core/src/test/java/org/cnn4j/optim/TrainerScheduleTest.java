package org.cnn4j.optim;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.schedule.OneCycleLR;
import org.cnn4j.optim.schedule.ReduceLROnPlateau;
import org.cnn4j.optim.schedule.StepLR;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Trainer steps epoch schedules after each epoch, step schedules after each batch, plateau with its metric. */
class TrainerScheduleTest {
    private static DataLoader loader(int n, int batch) {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = i % 2;
        return DataLoader.builder(ArrayDataset.of(x, new int[] {4}, y, 2)).batchSize(batch).build();
    }

    /** Records the lr each batch trained with (read before the step schedule moves it). */
    private static final class LrRecorder implements TrainingListener {
        final List<Float> lrs = new ArrayList<>();
        final Optimizer opt;

        LrRecorder(Optimizer opt) {
            this.opt = opt;
        }

        @Override
        public void onBatchEnd(int epoch, int batch, int batches, double loss, double runningLoss, double runningAccuracy, double ips) {
            lrs.add(opt.learningRate());
        }
    }

    @Test
    void epochScheduleStepsAfterEachEpoch() {
        Rng.manualSeed(1);
        Sequential model = new Sequential(new Linear(4, 2));
        SGD sgd = new SGD(model.parameters(), 0.4f);
        Trainer trainer = new Trainer(model, sgd).scheduler(new StepLR(sgd, 1, 0.5));
        trainer.fit(loader(8, 4), null, 3);
        assertEquals(0.05, sgd.paramGroups().get(0).lr(), 1e-7);
    }

    @Test
    void stepScheduleStepsAfterEachBatch() {
        Rng.manualSeed(1);
        Sequential model = new Sequential(new Linear(4, 2));
        SGD sgd = new SGD(model.parameters(), 0.1f, 0.9f, 0f, 0f, false);
        OneCycleLR oneCycle = new OneCycleLR(sgd, 0.5, 2 * 3);
        Trainer trainer = new Trainer(model, sgd).scheduler(oneCycle);
        List<Double> expected = new ArrayList<>();
        { // the same schedule stepped by hand
            SGD twin = new SGD(new Sequential(new Linear(4, 2)).parameters(), 0.1f, 0.9f, 0f, 0f, false);
            OneCycleLR s = new OneCycleLR(twin, 0.5, 6);
            for (int i = 0; i < 6; i++) {
                expected.add(twin.paramGroups().get(0).lr());
                s.step();
            }
        }
        List<Double> seen = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int batches) {
                seen.add(sgd.paramGroups().get(0).lr());
            }
        });
        trainer.fit(loader(12, 4), null, 2);
        assertEquals(6, oneCycle.lastEpoch());
        assertEquals(expected.get(0), seen.get(0), 0.0);
        assertEquals(expected.get(3), seen.get(1), 0.0); // epoch 2 starts after 3 batch steps
    }

    @Test
    void plateauGetsTheMonitoredMetric() {
        Rng.manualSeed(1);
        Sequential model = new Sequential(new Linear(4, 2));
        SGD sgd = new SGD(model.parameters(), 1e-6f);
        // improvement means halving the loss: after the first epoch nothing improves, patience 0 reduces each epoch
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(sgd, ReduceLROnPlateau.Mode.MIN, 0.1, 0, 0.5,
                ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 0).monitor("val_loss");
        LrRecorder rec = new LrRecorder(sgd);
        new Trainer(model, sgd).scheduler(plateau).addListener(rec).fit(loader(8, 8), loader(8, 8), 3);
        assertEquals(1e-6f, rec.lrs.get(0), 0f);
        assertEquals(1e-7f, rec.lrs.get(2), 1e-12f);
        assertEquals(1e-8, sgd.paramGroups().get(0).lr(), 1e-14);
    }
}
