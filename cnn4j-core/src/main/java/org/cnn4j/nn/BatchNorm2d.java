package org.cnn4j.nn;

/** Batch normalisation of [N, C, H, W] input (PyTorch's BatchNorm2d). */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        super(numFeatures, eps, momentum, 4);
    }
}
