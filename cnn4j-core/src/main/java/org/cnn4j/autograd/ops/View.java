package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Shape changes: reshape (shares storage) and 2-D transpose (copies). */
public final class View {
    private View() {}

    /** forward: same data, new shape. backward: the gradient is the output gradient, same layout. */
    public static Tensor reshape(Tensor x, int... newShape) {
        Tensor y = new Tensor(x.data(), Shape.infer(x.numel(), newShape));
        if (Node.needsGrad(x)) y.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                // same layout: an intermediate input takes dy's buffer over (no copy); leaves own theirs
                if (!x.hasGrad() && x.gradFn() != null) {
                    x.adoptGrad(dy);
                    return;
                }
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) dx[i] += dy[i];
            }

            @Override
            public String name() {
                return "Reshape";
            }
        });
        return y;
    }

    /** forward: y[j, i] = x[i, j]. backward: dx[i, j] += dy[j, i]. */
    public static Tensor transpose2d(Tensor x) {
        if (x.rank() != 2) throw new IllegalArgumentException("t() needs a 2-D tensor, got " + Shape.str(x.shape()));
        int m = x.size(0), n = x.size(1);
        float[] a = x.data(), b = BufferPool.floats(a.length);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) b[j * m + i] = a[i * n + j];
        Tensor y = new Tensor(b, n, m);
        if (Node.needsGrad(x)) y.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) dx[i * n + j] += dy[j * m + i];
            }

            @Override
            public String name() {
                return "Transpose";
            }
        });
        return y;
    }
}
