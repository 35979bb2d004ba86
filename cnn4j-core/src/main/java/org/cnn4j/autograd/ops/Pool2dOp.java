package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.AdaptivePoolKernels;
import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.kernels.PoolKernels;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** 2-D max pooling with the 2x2 fast path and adaptive average pooling over NCHW input (other windows: {@link PoolNdOp}). */
public final class Pool2dOp {
    private Pool2dOp() {}

    /**
     * forward: y = max over each window; the winner's position in its window is saved as one byte per
     * output. Only for the geometries {@link PoolKernels#hasVectorPath} accepts ({@code nn.PoolNd} routes
     * every other window to {@link PoolNdOp}). backward: dy goes to the winner of each window.
     */
    public static Tensor max(Tensor x, Pool2dGeometry g) {
        float[] y = BufferPool.floats(g.batch() * g.channels() * g.outH() * g.outW());
        Tensor result = new Tensor(y, g.batch(), g.channels(), g.outH(), g.outW());
        boolean grad = Node.needsGrad(x);
        byte[] window = BufferPool.bytes(y.length);
        PoolKernels.maxPool2dForwardWindow(g, x.data(), y, window);
        if (grad) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                if (!x.hasGrad()) PoolKernels.maxPool2dBackwardWindow(g, dy, window, x.gradBufferForOverwrite());
                else PoolKernels.maxPool2dBackwardWindowAccumulate(g, dy, window, x.gradBuffer());
            }

            @Override
            public String name() {
                return "MaxPool2d";
            }
        });
        return result;
    }

    /**
     * forward: y[n, c, i, j] = mean of x over the adaptive window (PyTorch's AdaptiveAvgPool2d).
     * backward: dy[n, c, i, j] / window size to every cell of its window.
     */
    public static Tensor adaptiveAvg(Tensor x, int outH, int outW) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        float[] y = BufferPool.floats(n * c * outH * outW);
        AdaptivePoolKernels.avgForward(x.data(), n * c, h, w, outH, outW, y);
        Tensor result = new Tensor(y, n, c, outH, outW);
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> AdaptivePoolKernels.avgBackward(dy, n * c, h, w, outH, outW, dx));
            }

            @Override
            public String name() {
                return "AdaptiveAvgPool2d";
            }
        });
        return result;
    }
}
