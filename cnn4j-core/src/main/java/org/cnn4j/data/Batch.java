package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

/** One mini-batch: {@code inputs} shaped {@code [B, ...sampleShape]} and the B {@code labels}. */
public record Batch(Tensor inputs, int[] labels) {
    public Batch {
        if (inputs.rank() == 0 || inputs.size(0) != labels.length)
            throw new IllegalArgumentException("batch of " + labels.length + " labels but inputs shaped "
                    + org.cnn4j.tensor.Shape.str(inputs.shape()));
    }

    /** Number of samples B. */
    public int size() {
        return labels.length;
    }
}
