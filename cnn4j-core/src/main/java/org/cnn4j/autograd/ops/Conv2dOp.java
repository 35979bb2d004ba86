package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvKernels;
import org.cnn4j.kernels.WeightViews;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** 2-D convolution (cross-correlation, as in PyTorch) over NCHW input with OIHW weights. */
public final class Conv2dOp {
    private Conv2dOp() {}

    /**
     * forward: y[n, o, i, j] = b[o] + sum_{c, p, q} x[n, c, i*s - pad + p, j*s - pad + q] w[o, c, p, q]
     * backward: dx = "full" correlation of dy with w (col2im of W^T dy); dw += dy (x) im2col(x); db += sum dy
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor b, Conv2dGeometry g) {
        float[] y = BufferPool.floats(g.batch() * g.outChannels() * g.outH() * g.outW());
        // the reshaped weight a forward derives is kept for the input gradient when there will be one
        WeightViews views = Node.needsGrad(x, w, b) && x.requiresGrad() ? new WeightViews(BufferPool::floats) : null;
        ConvKernels.conv2dForward(g, x.data(), w.data(), b == null ? null : b.data(), y, false, views);
        return ConvNdOp.withGradient(new Tensor(y, g.batch(), g.outChannels(), g.outH(), g.outW()), x, w, b, "Conv2d",
                (xd, dy, dw, overwrite, db) -> ConvKernels.conv2dBackwardWeight(g, xd, dy, dw, overwrite, db),
                (dy, wd, dx) -> ConvKernels.conv2dBackwardInput(g, dy, wd, dx, views));
    }
}
