package org.cnn4j.train;

import java.util.List;

/**
 * Where a {@link Trainer#fit} run stands, as a {@link Checkpoint} records it and {@link Trainer#resume}
 * continues from it: {@code epochsDone} whole epochs, then {@code batchesDone} batches of the next one
 * with their running sums (so the resumed epoch reports the same loss and accuracy as an uninterrupted
 * one), the optimizer steps taken in all, and the history of the finished epochs.
 *
 * @param epochsDone   finished epochs (0 before the first ends)
 * @param batchesDone  batches done of epoch {@code epochsDone + 1} (0 at an epoch boundary)
 * @param globalStep   optimizer steps since the start of the run
 * @param lossSum      sum over the epoch's samples so far of the loss (batch loss times batch size)
 * @param correct      training samples classified correctly so far this epoch
 * @param seen         training samples seen so far this epoch
 * @param seconds      training seconds spent so far this epoch
 * @param history      one result per finished epoch
 */
public record TrainingProgress(int epochsDone, int batchesDone, long globalStep, double lossSum, long correct, long seen,
                               double seconds, List<EpochResult> history) {
    public TrainingProgress {
        if (epochsDone < 0 || batchesDone < 0 || globalStep < 0 || seen < 0 || correct < 0)
            throw new IllegalArgumentException("training progress counts must be >= 0. Received: epochs_done=" + epochsDone
                    + ", batches_done=" + batchesDone + ", global_step=" + globalStep + ", seen=" + seen + ", correct=" + correct);
        history = List.copyOf(history);
        if (history.size() != epochsDone)
            throw new IllegalArgumentException("training progress has " + history.size() + " history rows for " + epochsDone
                    + " finished epochs");
    }

    /** The start of a run. */
    public static TrainingProgress start() {
        return new TrainingProgress(0, 0, 0, 0, 0, 0, 0, List.of());
    }
}
