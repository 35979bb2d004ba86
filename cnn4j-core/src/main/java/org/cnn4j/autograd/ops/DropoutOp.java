package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * The dropout family as one op: y = x * scale[g] + shift[g], where g is the group of the element (one
 * element, or one whole channel plane for the channel-wise variants) and scale/shift are drawn at
 * random per group; backward dx += dy * scale[g]. Plain dropout, alpha dropout and Keras' Gaussian
 * noise and Gaussian dropout differ only in how they draw scale and shift.
 */
public final class DropoutOp {
    private DropoutOp() {}

    /**
     * Inverted dropout: keep each group with probability 1-p; y = x * mask / (1 - p), so evaluation
     * needs no rescaling. A group is one element ({@code groupSize} = 1, plain dropout) or one whole
     * channel plane ({@code groupSize} = L, H*W or D*H*W: Dropout1d/2d/3d). backward: dx += dy * mask / (1 - p).
     */
    public static Tensor apply(Tensor x, float p, int groupSize, RandomGenerator rng) {
        int groups = groups(x, groupSize);
        float scale = 1f / (1f - p);
        float[] mask = BufferPool.floats(groups);
        Rng.nextFloats(rng, mask, groups);
        // keep where u >= p, i.e. where u - p (exact in sign) has no sign bit: branch-free, since a branch taken at
        // random mispredicted about p of the time (FashionCNN's 60,000 draws: 290 us one by one, 220 drawn in bulk
        // with the branch, 100 without)
        for (int gi = 0; gi < groups; gi++) mask[gi] = (1 - (Float.floatToRawIntBits(mask[gi] - p) >>> 31)) * scale;
        return affineNoise(x, groupSize, mask, null, "Dropout");
    }

    /** SELU's negative saturation value, -scale * alpha: what alpha dropout sets dropped values to before its affine correction. */
    public static final double ALPHA_PRIME = 1.7580993408473766;

    /**
     * Alpha dropout (Klambauer et al. 2017), PyTorch's formula: keep each group with probability 1-p,
     * a = 1 / sqrt((alpha'^2 p + 1) (1 - p)), alpha' = 1.7580993408473766;
     * kept: y = a x + alpha' a p; dropped: y = -alpha' a + alpha' a p (= a * (SELU's saturation value) + b),
     * so inputs with zero mean and unit variance keep them. backward: dx += dy * a where kept, 0 elsewhere.
     */
    public static Tensor alphaDropout(Tensor x, float p, int groupSize, RandomGenerator rng) {
        int groups = groups(x, groupSize);
        boolean[] keep = new boolean[groups];
        for (int gi = 0; gi < groups; gi++) keep[gi] = rng.nextFloat() >= p;
        return alphaDropout(x, p, groupSize, keep);
    }

    /** {@link #alphaDropout(Tensor, float, int, RandomGenerator)} with a given keep mask (one entry per group). */
    public static Tensor alphaDropout(Tensor x, float p, int groupSize, boolean[] keep) {
        int groups = groups(x, groupSize);
        if (keep.length != groups)
            throw new IllegalArgumentException("alpha dropout: mask has " + keep.length + " entries, the input has " + groups + " groups");
        double a = 1.0 / Math.sqrt((ALPHA_PRIME * ALPHA_PRIME * p + 1) * (1 - p));
        float kept = (float) a, keptShift = (float) (ALPHA_PRIME * a * p), droppedShift = (float) (-ALPHA_PRIME * a + ALPHA_PRIME * a * p);
        float[] scale = BufferPool.floats(groups), shift = BufferPool.floats(groups);
        for (int gi = 0; gi < groups; gi++) {
            scale[gi] = keep[gi] ? kept : 0f;
            shift[gi] = keep[gi] ? keptShift : droppedShift;
        }
        return affineNoise(x, groupSize, scale, shift, "AlphaDropout");
    }

    /** Keras' GaussianNoise: y = x + n, n ~ N(0, stddev^2) per element. backward: dx += dy. */
    public static Tensor gaussianNoise(Tensor x, float stddev, RandomGenerator rng) {
        float[] shift = BufferPool.floats(x.numel());
        for (int i = 0; i < shift.length; i++) shift[i] = (float) (stddev * rng.nextGaussian());
        return affineNoise(x, 1, null, shift, "GaussianNoise");
    }

    /**
     * Keras' GaussianDropout: y = x * m, m ~ N(1, rate / (1 - rate)) per element (standard deviation
     * sqrt(rate / (1 - rate)), the variance of inverted dropout's multiplier). backward: dx += dy * m.
     */
    public static Tensor gaussianDropout(Tensor x, float rate, RandomGenerator rng) {
        double sd = Math.sqrt(rate / (1.0 - rate));
        float[] scale = BufferPool.floats(x.numel());
        for (int i = 0; i < scale.length; i++) scale[i] = (float) (1 + sd * rng.nextGaussian());
        return affineNoise(x, 1, scale, null, "GaussianDropout");
    }

    /**
     * forward: y = x * scale[g] + shift[g] for every element of group g (groups of {@code groupSize}
     * consecutive elements; scale null means 1, shift null means 0). backward: dx += dy * scale[g].
     */
    public static Tensor affineNoise(Tensor x, int groupSize, float[] scale, float[] shift, String name) {
        int groups = groups(x, groupSize);
        float[] a = x.data(), y = BufferPool.floats(a.length);
        if (groupSize == 1) {
            // one draw per element: flat loops the JIT vectorises (the grouped loop below costs a branch per element)
            if (shift == null) for (int i = 0; i < a.length; i++) y[i] = a[i] * scale[i];
            else if (scale == null) for (int i = 0; i < a.length; i++) y[i] = a[i] + shift[i];
            else for (int i = 0; i < a.length; i++) y[i] = a[i] * scale[i] + shift[i];
        } else for (int gi = 0; gi < groups; gi++) {
            float mk = scale == null ? 1f : scale[gi], sh = shift == null ? 0f : shift[gi];
            int base = gi * groupSize;
            if (shift == null) {
                for (int i = 0; i < groupSize; i++) y[base + i] = a[base + i] * mk;
            } else if (scale == null) {
                for (int i = 0; i < groupSize; i++) y[base + i] = a[base + i] + sh;
            } else {
                for (int i = 0; i < groupSize; i++) y[base + i] = a[base + i] * mk + sh;
            }
        }
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                if (groupSize == 1) {
                    if (scale == null) addGradient(x, dx -> System.arraycopy(dy, 0, dx, 0, dy.length));
                    else addGradient(x, dx -> { for (int i = 0; i < dy.length; i++) dx[i] = dy[i] * scale[i]; });
                    return;
                }
                float[] dx = gradOf(x);
                for (int gi = 0; gi < groups; gi++) {
                    float mk = scale == null ? 1f : scale[gi];
                    if (mk == 0f) continue;
                    int base = gi * groupSize;
                    for (int i = 0; i < groupSize; i++) dx[base + i] += dy[base + i] * mk;
                }
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    private static int groups(Tensor x, int groupSize) {
        if (groupSize <= 0 && x.numel() > 0 || groupSize > 0 && x.numel() % groupSize != 0)
            throw new IllegalArgumentException("dropout: group size " + groupSize + " does not divide " + x.numel() + " elements");
        return groupSize == 0 ? 0 : x.numel() / groupSize;
    }
}
