package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ConvNd;
import org.cnn4j.kernels.ConvNdGeometry;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * Transposed 1/2/3-D convolution (PyTorch's conv_transpose, "fractionally strided" convolution): the adjoint
 * of the convolution {@code g} that maps the transposed output back to the transposed input. Input
 * [N, Cin, *in], weight [Cin, Cout/groups, *kernel], bias [Cout] or null, output [N, Cout, *out].
 */
public final class ConvTransposeOp {
    private ConvTransposeOp() {}

    /**
     * With conv(z) = the convolution of geometry {@code g} (input z [N, Cout, *out], weight w, output [N, Cin, *in]):
     * forward: y = conv^T(x) + b, i.e. the input gradient of conv for upstream x (scatter of x through w).
     * backward: dx = conv(dy) (a plain convolution); dw += the weight gradient of conv at input dy for upstream
     * x; db[o] += sum_{n, p} dy[n, o, p].
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor b, ConvNdGeometry g) {
        int cout = g.inChannels(), spatial = g.inSpatial();
        float[] y = BufferPool.floats(g.batch() * g.inPlane());
        ConvNd.backwardInput(g, x.data(), w.data(), y);
        if (b != null) {
            float[] bd = b.data();
            for (int n = 0; n < g.batch(); n++)
                for (int o = 0; o < cout; o++) {
                    int off = (n * cout + o) * spatial;
                    float v = bd[o];
                    for (int p = 0; p < spatial; p++) y[off + p] += v;
                }
        }
        Tensor result = new Tensor(y, ConvNdOp.shape(g.batch(), cout, g.inShape()));
        if (Node.needsGrad(x, w, b)) result.attach(new Node(x, w, b) {
            @Override
            protected void backward(float[] dy) {
                float[] dw = gradOf(w), db = gradOf(b);
                if (dw != null) ConvNd.backwardWeight(g, dy, x.data(), dw, null);
                if (db != null)
                    for (int o = 0; o < cout; o++) {
                        double s = 0;
                        for (int n = 0; n < g.batch(); n++) {
                            int off = (n * cout + o) * spatial;
                            for (int p = 0; p < spatial; p++) s += dy[off + p];
                        }
                        db[o] += (float) s;
                    }
                if (x.requiresGrad()) addGradient(x, dx -> ConvNd.forward(g, dy, w.data(), null, dx));
            }

            @Override
            public String name() {
                return "ConvTranspose" + g.rank() + "d";
            }
        });
        return result;
    }
}
