package org.cnn4j.nn;

/** Batch normalisation of [N, C] or [N, C, L] input (PyTorch's BatchNorm1d). */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum) {
        super(numFeatures, eps, momentum, 2, 3);
    }
}
