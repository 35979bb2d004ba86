package org.cnn4j.data;

/**
 * Preparing a batch failed (in a worker thread or, with {@code workers(0)}, in the consuming thread): the
 * message names the epoch and batch, the cause is the original exception (from the dataset, a
 * {@link org.cnn4j.data.transforms.Transform} or a {@link org.cnn4j.data.transforms.BatchTransform}).
 */
public class DataLoaderException extends RuntimeException {
    private final int epoch;
    private final int batch;

    public DataLoaderException(String message, int epoch, int batch, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch (from 0) being iterated. */
    public int epoch() {
        return epoch;
    }

    /** The batch (from 0 within the epoch) that failed, or -1 when the failure concerns no single batch. */
    public int batch() {
        return batch;
    }
}
