package org.cnn4j.nn;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Zeroes each element with probability p in training and scales survivors by 1/(1-p); identity in
 * evaluation (the input itself is returned). Draws from {@link Rng#global()}, so
 * {@link Rng#manualSeed} makes the masks reproducible. Base of the channel-wise variants
 * ({@link Dropout1d}, {@link Dropout2d}, {@link Dropout3d}) and of {@link AlphaDropout}.
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

    /**
     * Elements that share one keep/drop decision: 1 for plain dropout, the size of a channel plane for
     * the channel-wise variants. Also validates the input's rank (in evaluation too, as PyTorch).
     */
    protected int groupSize(Tensor input) {
        return 1;
    }

    /** The training-mode computation, given the validated group size. */
    protected Tensor drop(Tensor input, int groupSize) {
        return DropoutOp.apply(input, p, groupSize, Rng.global());
    }

    @Override
    public Tensor forward(Tensor input) {
        int group = groupSize(input);
        if (!isTraining() || p == 0f) return input;
        return drop(input, group);
    }

    /** The product of the dimensions from {@code from} on: one channel plane of [N, C, *]. */
    protected static int planeSize(Tensor input, int from) {
        int group = 1;
        for (int d = from; d < input.rank(); d++) group *= input.size(d);
        return group;
    }

    /** Fails unless the input's rank is one of {@code ranks}, naming the layer and the expected layouts. */
    protected final void requireRank(Tensor input, String expected, int... ranks) {
        for (int r : ranks) if (input.rank() == r) return;
        throw shapeError("input " + Shape.str(input.shape()) + " has rank " + input.rank() + ", expected " + expected);
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + " p=" + p;
    }
}
