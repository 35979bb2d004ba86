package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ConvNd;
import org.cnn4j.kernels.ConvNdGeometry;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * 1/2/3-D convolution (cross-correlation, as in PyTorch) with stride, dilation, zero padding and groups:
 * input [N, C, *in], weight [O, C/groups, *kernel], bias [O] or null, output [N, O, *out].
 */
public final class ConvNdOp {
    private ConvNdOp() {}

    /**
     * forward: y[n, o, p] = b[o] + sum_{c in group(o), t} x[n, c, p*S - P + t*D] w[o, c - group start, t]
     * backward: dx = the transposed convolution of dy with w (col2im of W_g^T dy_g per group);
     * dw[o, c, t] += sum_{n, p} dy[n, o, p] x[n, c, p*S - P + t*D]; db[o] += sum_{n, p} dy[n, o, p]
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor b, ConvNdGeometry g) {
        float[] y = BufferPool.floats(g.batch() * g.outPlane());
        ConvNd.forward(g, x.data(), w.data(), b == null ? null : b.data(), y);
        return withGradient(new Tensor(y, shape(g.batch(), g.outChannels(), g.outShape())), x, w, b, "Conv" + g.rank() + "d",
                (xd, dy, dw, overwrite, db) -> ConvNd.backwardWeight(g, xd, dy, dw, overwrite, db),
                (dy, wd, dx) -> ConvNd.backwardInput(g, dy, wd, dx));
    }

    /** A convolution's weight-and-bias gradient kernel: dw += ... (dw = ... when overwriteDw), db += ... (db may be null). */
    @FunctionalInterface
    interface WeightGradient {
        void compute(float[] x, float[] dy, float[] dw, boolean overwriteDw, float[] db);
    }

    /** A convolution's input-gradient kernel, overwriting dx. */
    @FunctionalInterface
    interface InputGradient {
        void write(float[] dy, float[] w, float[] dx);
    }

    /**
     * Attaches to the convolution output {@code result} the node of {@code y = conv(x, w) + b}: the weight
     * gradient (into a scratch buffer when only the bias needs one; written over a fresh gradient buffer rather
     * than added to a zero-filled one, which for ResNet-18's 33 MB of layer4 weights was a serial fill per step)
     * and the input gradient.
     */
    static Tensor withGradient(Tensor result, Tensor x, Tensor w, Tensor b, String name, WeightGradient weightGrad,
                               InputGradient inputGrad) {
        if (Node.needsGrad(x, w, b)) result.attach(new Node(x, w, b) {
            @Override
            protected void backward(float[] dy) {
                float[] db = gradOf(b);
                if (w.requiresGrad() || db != null) {
                    boolean fresh = !w.requiresGrad() || !w.hasGrad();
                    float[] dw = !w.requiresGrad() ? BufferPool.floats(w.numel())
                            : fresh ? w.gradBufferForOverwrite() : w.gradBuffer();
                    weightGrad.compute(x.data(), dy, dw, fresh, db);
                }
                if (x.requiresGrad()) addGradient(x, dx -> inputGrad.write(dy, w.data(), dx));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    static int[] shape(int batch, int channels, int[] spatial) {
        int[] s = new int[2 + spatial.length];
        s[0] = batch;
        s[1] = channels;
        System.arraycopy(spatial, 0, s, 2, spatial.length);
        return s;
    }
}
