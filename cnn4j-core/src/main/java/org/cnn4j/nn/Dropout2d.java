package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Channel-wise dropout: for [N, C, H, W] input whole channel planes are dropped together. As PyTorch 1.13
 * (which warns about both), a 3-D input is taken as [N, C, L] (channel-wise 1-D dropout) and a 2-D
 * [N, F] input (as the seed's FashionCNN uses it after flattening) makes each element its own channel.
 */
public final class Dropout2d extends Dropout {
    public Dropout2d(float p) {
        super(p);
    }

    @Override
    protected int groupSize(Tensor input) {
        if (input.rank() < 2) requireRank(input, "[N, C, H, W] (or [N, C, L], [N, F] as PyTorch 1.13)", 4, 3, 2);
        return planeSize(input, 2);
    }
}
