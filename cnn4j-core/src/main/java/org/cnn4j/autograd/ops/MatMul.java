package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.Gemm;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** 2-D matrix product on the GEMM kernel. */
public final class MatMul {
    private MatMul() {}

    /** forward: C[m,n] = A[m,k] B[k,n]. backward: dA += dC B^T, dB += A^T dC. */
    public static Tensor apply(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(0))
            throw new IllegalArgumentException("matmul needs [m, k] x [k, n], got " + Shape.str(a.shape()) + " x " + Shape.str(b.shape()));
        int m = a.size(0), k = a.size(1), n = b.size(1);
        float[] c = BufferPool.floats(m * n);
        Gemm.sgemm(false, false, m, n, k, 1f, a.data(), 0, k, b.data(), 0, n, 0f, c, 0, n);
        Tensor out = new Tensor(c, m, n);
        if (Node.needsGrad(a, b)) out.attach(new Node(a, b) {
            @Override
            protected void backward(float[] dc) {
                float[] da = gradOf(a), db = gradOf(b);
                if (da != null) Gemm.sgemm(false, true, m, k, n, 1f, dc, 0, n, b.data(), 0, n, 1f, da, 0, k);
                if (db != null) Gemm.sgemm(true, false, k, n, m, 1f, a.data(), 0, k, dc, 0, n, 1f, db, 0, n);
            }

            @Override
            public String name() {
                return "MatMul";
            }
        });
        return out;
    }
}
