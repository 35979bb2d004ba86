package org.cnn4j.nn;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Zeroes each element with probability p in training and scales survivors by 1/(1-p); identity in
 * evaluation. Draws from {@link Rng#global()}.
 */
public class Dropout extends Module {
    private final float p;

    public Dropout(float p) {
        if (!(p >= 0f && p < 1f))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": p must be in [0, 1). Received: p=" + p);
        this.p = p;
    }

    public float p() {
        return p;
    }

    /** Elements that share one keep/drop decision: 1 for plain dropout. */
    protected int groupSize(Tensor input) {
        return 1;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0f) return input;
        return DropoutOp.apply(input, p, groupSize(input), Rng.global());
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + " p=" + p;
    }
}
