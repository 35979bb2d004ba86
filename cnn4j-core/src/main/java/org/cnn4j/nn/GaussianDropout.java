package org.cnn4j.nn;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Keras' GaussianDropout: in training multiplies every element by noise drawn from N(1, rate / (1 - rate))
 * (standard deviation sqrt(rate / (1 - rate)): the same mean and variance as inverted dropout's
 * multiplier with p = rate); identity in evaluation. Draws from {@link Rng#global()}.
 */
public final class GaussianDropout extends Module {
    private final float rate;

    public GaussianDropout(float rate) {
        if (!(rate >= 0f && rate < 1f))
            throw new IllegalArgumentException("GaussianDropout: rate must be in [0, 1). Received: rate=" + rate);
        this.rate = rate;
    }

    public float rate() {
        return rate;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || rate == 0f) return input;
        return DropoutOp.gaussianDropout(input, rate, Rng.global());
    }

    @Override
    public String describe() {
        return "GaussianDropout rate=" + rate;
    }
}
