package org.cnn4j.nn;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Alpha dropout for self-normalising networks (PyTorch's AlphaDropout, used after {@link SELU}): dropped
 * values are set to SELU's negative saturation value and the result is shifted and scaled so that an
 * input with zero mean and unit variance keeps them: with a = 1 / sqrt((alpha'^2 p + 1)(1 - p)),
 * alpha' = 1.7581, kept values become a x + alpha' a p and dropped ones -alpha' a (1 - p). Identity in
 * evaluation. {@link FeatureAlphaDropout} drops whole channels instead.
 */
public class AlphaDropout extends Dropout {
    public AlphaDropout(float p) {
        super(p);
    }

    @Override
    protected Tensor drop(Tensor input, int groupSize) {
        return DropoutOp.alphaDropout(input, p(), groupSize, Rng.global());
    }
}
