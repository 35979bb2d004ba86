package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Softmax and log-softmax over one dimension, computed stably (max subtracted). */
public final class SoftmaxOp {
    private SoftmaxOp() {}

    /** forward: y = exp(x - max) / sum exp(x - max). backward: dx += y * (dy - sum(dy * y)). */
    public static Tensor softmax(Tensor x, int dim) {
        return apply(x, dim, false);
    }

    /** forward: y = x - max - log sum exp(x - max). backward: dx += dy - exp(y) * sum(dy). */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return apply(x, dim, true);
    }

    private static Tensor apply(Tensor x, int dim, boolean log) {
        int[] shape = x.shape();
        int d = Shape.dim(dim, shape.length);
        int outer = 1, len = shape[d], inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] a = x.data(), y = BufferPool.floats(a.length);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) max = Math.max(max, a[base + j * inner]);
                double sum = 0;
                for (int j = 0; j < len; j++) sum += Math.exp(a[base + j * inner] - max);
                float logSum = (float) Math.log(sum);
                for (int j = 0; j < len; j++) {
                    float v = a[base + j * inner] - max - logSum;
                    y[base + j * inner] = log ? v : (float) Math.exp(v);
                }
            }
        Tensor result = new Tensor(y, shape);
        final int fOuter = outer, fInner = inner;
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int o = 0; o < fOuter; o++)
                    for (int i = 0; i < fInner; i++) {
                        int base = o * len * fInner + i;
                        double s = 0;
                        for (int j = 0; j < len; j++) {
                            int p = base + j * fInner;
                            s += log ? dy[p] : dy[p] * y[p];
                        }
                        for (int j = 0; j < len; j++) {
                            int p = base + j * fInner;
                            dx[p] += log ? dy[p] - (float) Math.exp(y[p]) * (float) s : y[p] * (dy[p] - (float) s);
                        }
                    }
            }

            @Override
            public String name() {
                return log ? "LogSoftmax" : "Softmax";
            }
        });
        return result;
    }
}
