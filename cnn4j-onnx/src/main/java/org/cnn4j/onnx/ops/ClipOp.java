package org.cnn4j.onnx.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Tensor;

/**
 * ONNX Clip (PyTorch's clamp). forward: y = min(max(x, lo), hi).
 * backward: dx += dy where lo <= x <= hi (PyTorch's clamp gradient), 0 elsewhere.
 */
public final class ClipOp {
    private ClipOp() {}

    public static Tensor apply(Tensor x, float lo, float hi) {
        float[] a = x.data(), y = new float[a.length];
        for (int i = 0; i < a.length; i++) y[i] = Math.min(Math.max(a[i], lo), hi);
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) if (a[i] >= lo && a[i] <= hi) dx[i] += dy[i];
            }

            @Override
            public String name() {
                return "Clip";
            }
        });
        return result;
    }
}
