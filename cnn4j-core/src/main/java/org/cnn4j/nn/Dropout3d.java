package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Channel-wise dropout of [N, C, D, H, W] or [C, D, H, W] input (PyTorch's Dropout3d): each channel's
 * D*H*W volume is kept (scaled by 1/(1-p)) or zeroed together.
 */
public final class Dropout3d extends Dropout {
    public Dropout3d(float p) {
        super(p);
    }

    @Override
    protected int groupSize(Tensor input) {
        requireRank(input, "[N, C, D, H, W] or [C, D, H, W]", 4, 5);
        return planeSize(input, input.rank() - 3);
    }
}
