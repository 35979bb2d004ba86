package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One mini-batch: {@code inputs} shaped {@code [B, ...sampleShape]}, the B hard {@code labels}, and, after
 * a mixing {@link org.cnn4j.data.transforms.BatchTransform} such as MixUp, {@code softTargets} shaped
 * {@code [B, numClasses]} (class probabilities per sample; null for ordinary batches). The labels stay
 * the dominant class of each sample so accuracy can still be counted.
 */
public record Batch(Tensor inputs, int[] labels, Tensor softTargets) {
    public Batch {
        if (inputs.rank() == 0 || inputs.size(0) != labels.length)
            throw new IllegalArgumentException("batch of " + labels.length + " labels but inputs shaped "
                    + Shape.str(inputs.shape()));
        if (softTargets != null && (softTargets.rank() != 2 || softTargets.size(0) != labels.length))
            throw new IllegalArgumentException("batch of " + labels.length + " samples but soft targets shaped "
                    + Shape.str(softTargets.shape()) + " (expected [" + labels.length + ", numClasses])");
    }

    /** A batch with hard labels only. */
    public Batch(Tensor inputs, int[] labels) {
        this(inputs, labels, null);
    }

    /** Number of samples B. */
    public int size() {
        return labels.length;
    }
}
