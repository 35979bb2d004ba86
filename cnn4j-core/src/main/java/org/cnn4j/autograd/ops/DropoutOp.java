package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

import java.util.random.RandomGenerator;

/** Inverted dropout: survivors are scaled by 1/(1-p) so evaluation needs no rescaling. */
public final class DropoutOp {
    private DropoutOp() {}

    /**
     * forward: keep each group with probability 1-p; y = x * mask / (1 - p). A group is one element
     * ({@code groupSize} = 1, plain dropout) or one whole channel plane ({@code groupSize} = H*W...,
     * Dropout2d). backward: dx += dy * mask / (1 - p).
     */
    public static Tensor apply(Tensor x, float p, int groupSize, RandomGenerator rng) {
        float[] a = x.data(), y = BufferPool.floats(a.length);
        int groups = a.length / groupSize;
        float scale = 1f / (1f - p);
        float[] mask = BufferPool.floats(groups);
        for (int gi = 0; gi < groups; gi++) mask[gi] = rng.nextFloat() >= p ? scale : 0f;
        for (int gi = 0; gi < groups; gi++) {
            float mk = mask[gi];
            int base = gi * groupSize;
            for (int i = 0; i < groupSize; i++) y[base + i] = a[base + i] * mk;
        }
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int gi = 0; gi < groups; gi++) {
                    float mk = mask[gi];
                    if (mk == 0f) continue;
                    int base = gi * groupSize;
                    for (int i = 0; i < groupSize; i++) dx[base + i] += dy[base + i] * mk;
                }
            }

            @Override
            public String name() {
                return "Dropout";
            }
        });
        return result;
    }
}
