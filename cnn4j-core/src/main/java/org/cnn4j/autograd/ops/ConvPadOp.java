package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ConvPad;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * Padding of the last {@code rank} axes of [N, C, *spatial] (PyTorch's F.pad with mode constant-0, reflect,
 * replicate or circular), the first step of a convolution whose padding mode is not zeros.
 */
public final class ConvPadOp {
    private ConvPadOp() {}

    /**
     * forward: y[n, c, q] = x[n, c, source(q)] (0 where source is none), per axis source as {@link ConvPad#source}.
     * backward: dx[n, c, i] = sum of dy[n, c, q] over the padded positions q that read i.
     *
     * @param before padding before each spatial axis (length = rank), {@code after} likewise
     */
    public static Tensor apply(Tensor x, int[] before, int[] after, ConvPad.Mode mode) {
        int[] s = x.shape();
        int rank = s.length - 2;
        int[] in = lift(java.util.Arrays.copyOfRange(s, 2, s.length), 1);
        int[] b3 = lift(before, 0), a3 = lift(after, 0);
        int planes = s[0] * s[1];
        int[] outShape = s.clone();
        for (int a = 0; a < rank; a++) outShape[2 + a] = s[2 + a] + before[a] + after[a];
        float[] y = BufferPool.floats(org.cnn4j.tensor.Shape.size(outShape));
        ConvPad.forward(mode, planes, in, b3, a3, x.data(), y);
        Tensor result = new Tensor(y, outShape);
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> ConvPad.backward(mode, planes, in, b3, a3, dy, dx));
            }

            @Override
            public String name() {
                return "Pad(" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
        });
        return result;
    }

    private static int[] lift(int[] a, int fill) {
        int[] r = {fill, fill, fill};
        System.arraycopy(a, 0, r, 3 - a.length, a.length);
        return r;
    }
}
