package org.cnn4j.train;

/**
 * Receives progress from {@link Trainer}. The library prints nothing; the CLI's progress bar, tests
 * and user code listen here. All methods run on the training thread.
 */
public interface TrainingListener {
    default void onEpochStart(int epoch, int epochs, int batches) {}

    /**
     * After each training batch.
     *
     * @param batch          1-based index within the epoch
     * @param runningLoss    mean loss so far this epoch
     * @param runningAccuracy accuracy so far this epoch
     * @param imagesPerSecond throughput so far this epoch
     */
    default void onBatchEnd(int epoch, int batch, int batches, double loss, double runningLoss, double runningAccuracy,
                            double imagesPerSecond) {}

    default void onEvaluationStart(int epoch) {}

    default void onEpochEnd(EpochResult result) {}
}
