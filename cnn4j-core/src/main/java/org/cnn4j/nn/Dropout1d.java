package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Channel-wise dropout of [N, C, L] or [C, L] input (PyTorch's Dropout1d): each channel's L values are
 * kept (scaled by 1/(1-p)) or zeroed together. Other ranks are an error, as in PyTorch.
 */
public final class Dropout1d extends Dropout {
    public Dropout1d(float p) {
        super(p);
    }

    @Override
    protected int groupSize(Tensor input) {
        requireRank(input, "[N, C, L] or [C, L]", 2, 3);
        return input.size(-1);
    }
}
