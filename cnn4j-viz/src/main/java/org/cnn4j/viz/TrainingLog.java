package org.cnn4j.viz;

import org.cnn4j.train.EpochResult;
import org.cnn4j.train.TrainingListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Records what {@link TrainingCurves} plots, as a {@link TrainingListener}: the loss and accuracy of every
 * training batch (iteration) and the test loss and accuracy after every epoch, placed at the iteration
 * where the epoch ended.
 *
 * <p>The batch accuracy is recovered exactly from the trainer's running accuracy: after batch {@code b}
 * the running accuracy is {@code correct / seen} with {@code seen = min(b * batchSize, trainSize)}, so the
 * batch's correct count is the difference of two rounded products.
 */
public final class TrainingLog implements TrainingListener {
    /** One training batch: 1-based global iteration and epoch, the batch's mean loss and accuracy. */
    public record Iteration(int iteration, int epoch, double loss, double accuracy) {}

    /** One epoch's test figures, at the global iteration where the epoch ended. */
    public record EpochPoint(int iteration, EpochResult result) {}

    private final int batchSize, trainSize;
    private final List<Iteration> iterations = new ArrayList<>();
    private final List<EpochPoint> epochs = new ArrayList<>();
    private long previousCorrect;
    private long previousSeen;

    /**
     * @param batchSize the loader's batch size
     * @param trainSize training samples per epoch (the last batch may be smaller)
     */
    public TrainingLog(int batchSize, int trainSize) {
        if (batchSize < 1 || trainSize < 1)
            throw new IllegalArgumentException("TrainingLog: batchSize and trainSize must be positive. Received: batchSize="
                    + batchSize + ", trainSize=" + trainSize);
        this.batchSize = batchSize;
        this.trainSize = trainSize;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        previousCorrect = 0;
        previousSeen = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, double runningLoss, double runningAccuracy,
                           double imagesPerSecond) {
        long seen = Math.min((long) batch * batchSize, trainSize);
        long correct = Math.round(runningAccuracy * seen);
        long n = Math.max(1, seen - previousSeen);
        double accuracy = (double) (correct - previousCorrect) / n;
        previousCorrect = correct;
        previousSeen = seen;
        iterations.add(new Iteration(iterations.size() + 1, epoch, loss, accuracy));
    }

    @Override
    public void onEpochEnd(EpochResult result) {
        epochs.add(new EpochPoint(iterations.size(), result));
    }

    public List<Iteration> iterations() {
        return Collections.unmodifiableList(iterations);
    }

    public List<EpochPoint> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Adds a point directly (for tests and for logs read back from files). */
    public void add(Iteration it) {
        iterations.add(it);
    }

    /** Adds an epoch point directly. */
    public void add(EpochPoint p) {
        epochs.add(p);
    }

    /** {@code iteration,epoch,loss,accuracy} with 6 decimals, one row per training batch. */
    public String iterationsCsv() {
        StringBuilder sb = new StringBuilder("iteration,epoch,loss,accuracy\n");
        for (Iteration it : iterations)
            sb.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f%n", it.iteration(), it.epoch(), it.loss(), it.accuracy()));
        return sb.toString();
    }
}
