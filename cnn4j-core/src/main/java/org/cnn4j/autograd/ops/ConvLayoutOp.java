package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Axis permutation (a copy), used to run TensorFlow layouts (NHWC input, HWIO filters) through the NCHW
 * convolution: {@code y = x.permute(perm)}, i.e. {@code y.shape[i] = x.shape[perm[i]]}.
 */
public final class ConvLayoutOp {
    private ConvLayoutOp() {}

    /** forward: y[i_0..i_r] = x[j] with j[perm[k]] = i_k. backward: dx = dy permuted back by the inverse. */
    public static Tensor permute(Tensor x, int... perm) {
        int[] s = x.shape();
        if (perm.length != s.length)
            throw new IllegalArgumentException("permute: " + perm.length + " axes for a tensor of shape " + Shape.str(s));
        boolean[] seen = new boolean[s.length];
        for (int p : perm) {
            if (p < 0 || p >= s.length || seen[p])
                throw new IllegalArgumentException("permute: " + java.util.Arrays.toString(perm)
                        + " is not a permutation of the axes of " + Shape.str(s));
            seen[p] = true;
        }
        int[] outShape = new int[s.length];
        for (int i = 0; i < s.length; i++) outShape[i] = s[perm[i]];
        float[] y = BufferPool.floats(x.numel());
        copy(x.data(), s, perm, y, false);
        Tensor result = new Tensor(y, outShape);
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> copy(dy, s, perm, dx, true));
            }

            @Override
            public String name() {
                return "Permute";
            }
        });
        return result;
    }

    /** Walks the output (permuted) index space in order; forward copies src -> out, inverse out -> src. */
    private static void copy(float[] a, int[] s, int[] perm, float[] b, boolean inverse) {
        int r = s.length, n = Shape.size(s);
        int[] st = Shape.strides(s);
        int[] os = new int[r], ost = new int[r];
        for (int i = 0; i < r; i++) {
            os[i] = s[perm[i]];
            ost[i] = st[perm[i]];
        }
        int[] idx = new int[r];
        int src = 0;
        for (int o = 0; o < n; o++) {
            if (inverse) b[src] = a[o];
            else b[o] = a[src];
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < os[k]) {
                    src += ost[k];
                    break;
                }
                src -= ost[k] * (os[k] - 1);
                idx[k] = 0;
            }
        }
    }
}
