package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Channel-wise dropout: for [N, C, H, W] input whole channel planes are dropped together. On a 2-D
 * [N, F] input (as the seed's FashionCNN uses it after flattening) each element is its own "channel",
 * which is what PyTorch 1.13's feature_dropout does there.
 */
public final class Dropout2d extends Dropout {
    public Dropout2d(float p) {
        super(p);
    }

    @Override
    protected int groupSize(Tensor input) {
        int group = 1;
        for (int d = 2; d < input.rank(); d++) group *= input.size(d);
        return group;
    }
}
