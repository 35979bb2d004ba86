package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.Gemm;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Fully connected layer as one op: y = x W^T + b, with W stored [out, in] as in PyTorch. */
public final class LinearOp {
    private LinearOp() {}

    /**
     * forward: y[n, o] = sum_i x[n, i] w[o, i] + b[o]          (x: [N, in], w: [out, in], b: [out] or null)
     * backward: dx += dy w;  dw += dy^T x;  db += sum_n dy[n, :]
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor b) {
        int n = x.size(0), in = x.size(1), out = w.size(0);
        float[] y = BufferPool.floats(n * out);
        if (b != null) {
            float[] bias = b.data();
            for (int r = 0; r < n; r++) System.arraycopy(bias, 0, y, r * out, out);
        }
        Gemm.sgemm(false, true, n, out, in, 1f, x.data(), 0, in, w.data(), 0, in, b == null ? 0f : 1f, y, 0, out);
        Tensor result = new Tensor(y, n, out);
        if (Node.needsGrad(x, w, b)) result.attach(new Node(x, w, b) {
            @Override
            protected void backward(float[] dy) {
                float[] db = gradOf(b);
                // a fresh gradient (none yet, or zeroGrad() since) is written by the GEMM (beta 0) instead of
                // zero-filled and added to
                if (x.requiresGrad()) {
                    boolean fresh = !x.hasGrad();
                    float[] dx = fresh ? x.gradBufferForOverwrite() : x.gradBuffer();
                    Gemm.sgemm(false, false, n, in, out, 1f, dy, 0, out, w.data(), 0, in, fresh ? 0f : 1f, dx, 0, in);
                }
                if (w.requiresGrad()) {
                    boolean fresh = !w.hasGrad();
                    float[] dw = fresh ? w.gradBufferForOverwrite() : w.gradBuffer();
                    Gemm.sgemm(true, false, out, in, n, 1f, dy, 0, out, x.data(), 0, in, fresh ? 0f : 1f, dw, 0, in);
                }
                if (db != null) for (int r = 0; r < n; r++) for (int o = 0; o < out; o++) db[o] += dy[r * out + o];
            }

            @Override
            public String name() {
                return "Linear";
            }
        });
        return result;
    }
}
