package org.cnn4j.examples;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.EvalResult;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The training runs the experiments compare: Adam, cross-entropy, {@link Trainer}, one line per epoch. */
public final class Training {
    private Training() {}

    /**
     * One finished training.
     *
     * @param trainAccuracy the last epoch's running accuracy over its batches (training mode)
     * @param trainEvalAccuracy accuracy on the whole training set in evaluation mode after training, or NaN when not measured
     */
    public record Run(String label, long params, List<EpochResult> history, double testAccuracy, double testLoss,
                      double trainAccuracy, double trainLoss, double trainEvalAccuracy, double seconds) {
        public EpochResult last() {
            return history.getLast();
        }
    }

    /** What to train with. */
    public record Settings(int epochs, int batchSize, float lr, boolean shuffle, long seed, boolean evaluateTrainSet) {
        public static Settings of(ExampleOptions o) {
            return new Settings(o.epochs(), o.batchSize(), o.lr(), true, o.seed(), false);
        }

        public Settings withBatchSize(int b) {
            return new Settings(epochs, b, lr, shuffle, seed, evaluateTrainSet);
        }

        public Settings withShuffle(boolean s) {
            return new Settings(epochs, batchSize, lr, s, seed, evaluateTrainSet);
        }

        public Settings withTrainSetEvaluation(boolean on) {
            return new Settings(epochs, batchSize, lr, shuffle, seed, on);
        }
    }

    /** Trains {@code model} with Adam and evaluates on {@code test} after every epoch; prints one line per epoch to {@code log} (nullable). */
    public static Run train(String label, Module model, Dataset train, Dataset test, Settings s, PrintStream log,
                            TrainingListener... listeners) {
        DataLoader trainLoader = DataLoader.builder(train).batchSize(s.batchSize()).shuffle(s.shuffle()).seed(s.seed()).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(Math.max(s.batchSize(), 500)).shuffle(false).build();
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), s.lr()));
        for (TrainingListener l : listeners) trainer.addListener(l);
        if (log != null)
            trainer.addListener(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochResult r) {
                    log.printf(Locale.ROOT, "  %-28s epoch %d: train loss %.4f acc %.4f | test loss %.4f acc %.4f | %.0f img/s%n",
                            label, r.epoch(), r.trainLoss(), r.trainAccuracy(), r.testLoss(), r.testAccuracy(), r.trainImagesPerSecond());
                }
            });
        long start = System.nanoTime();
        List<EpochResult> history = new ArrayList<>(trainer.fit(trainLoader, testLoader, s.epochs()));
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainEval = Double.NaN;
        if (s.evaluateTrainSet()) {
            DataLoader all = DataLoader.builder(train).batchSize(500).shuffle(false).build();
            EvalResult e = Trainer.evaluate(model, all);
            trainEval = e.accuracy();
        }
        EpochResult last = history.getLast();
        return new Run(label, model.parameterCount(), history, last.testAccuracy(), last.testLoss(), last.trainAccuracy(), last.trainLoss(),
                trainEval, seconds);
    }
}
