package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Channel-wise {@link AlphaDropout} (PyTorch's FeatureAlphaDropout) of [N, C, *] input: each channel
 * plane is kept or set to the alpha-dropout value together.
 */
public final class FeatureAlphaDropout extends AlphaDropout {
    public FeatureAlphaDropout(float p) {
        super(p);
    }

    @Override
    protected int groupSize(Tensor input) {
        if (input.rank() < 2) requireRank(input, "[N, C, *] (rank >= 2)", 2, 3, 4, 5);
        return planeSize(input, 2);
    }
}
