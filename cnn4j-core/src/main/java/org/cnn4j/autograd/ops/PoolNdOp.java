package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.AdaptivePoolKernels;
import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.kernels.PoolNdKernels;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * 1-, 2- and 3-D pooling over {@code [N, C, spatial...]} input: window pooling (max, min, average, LP) with
 * every PyTorch option, adaptive pooling to a fixed output size, and global pooling (one value per
 * channel). The 2-D max/average pools without dilation or ceil-mode overhang have faster kernels in
 * {@link Pool2dOp}, which the layers pick.
 */
public final class PoolNdOp {
    private PoolNdOp() {}

    /**
     * forward: y = max ({@code min = false}) or min over the real cells of each window; padding never wins.
     * The winner's in-plane index is saved (first extreme in row-major window order).
     * backward: dy goes to each window's winner (added where windows share one).
     */
    public static Tensor maxOrMin(Tensor x, PoolNdGeometry g, boolean min) {
        checkInput(x, g);
        float[] y = BufferPool.floats(g.planes() * g.outPlane());
        boolean grad = Node.needsGrad(x);
        int[] arg = grad ? BufferPool.ints(y.length) : null;
        PoolNdKernels.maxForward(g, x.data(), y, arg, min);
        Tensor result = new Tensor(y, g.outShape());
        String name = (min ? "MinPool" : "MaxPool") + g.dims() + "d";
        if (grad) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> PoolNdKernels.maxBackward(g, dy, arg, dx));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    /**
     * forward: y = sum of the window's input cells / divisor, the divisor being divisorOverride when
     * non-zero, else the window size up to the right padding (countIncludePad) or the number of input
     * cells in the window. backward: dy / divisor to each input cell of the window.
     */
    public static Tensor avg(Tensor x, PoolNdGeometry g, boolean countIncludePad, int divisorOverride) {
        checkInput(x, g);
        float[] y = BufferPool.floats(g.planes() * g.outPlane());
        PoolNdKernels.avgForward(g, x.data(), y, countIncludePad, divisorOverride);
        Tensor result = new Tensor(y, g.outShape());
        String name = "AvgPool" + g.dims() + "d";
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> PoolNdKernels.avgBackward(g, dy, dx, countIncludePad, divisorOverride));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    /**
     * forward: y = (K/W * sum over the window of x^p)^(1/p), PyTorch's LPPool (K the window size, W the
     * part inside the input: they differ only for ceil mode's last window).
     * backward: dx_i = dy * (K/W) * x_i^(p-1) * y^(1-p); nothing for a window whose sum is 0.
     */
    public static Tensor lp(Tensor x, PoolNdGeometry g, double p) {
        checkInput(x, g);
        float[] y = BufferPool.floats(g.planes() * g.outPlane());
        PoolNdKernels.lpForward(g, x.data(), y, p);
        Tensor result = new Tensor(y, g.outShape());
        String name = "LPPool" + g.dims() + "d";
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> PoolNdKernels.lpBackward(g, x.data(), y, dy, dx, p));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    /**
     * forward: y[n, c, i...] = mean (or max) of x over the adaptive window {@code [floor(i*I/O), ceil((i+1)*I/O))}
     * per axis; {@code out} has one entry per spatial axis of x (1 to 3).
     * backward: average: dy / window size to every cell of the window; max: dy to the window's first maximum.
     */
    public static Tensor adaptive(Tensor x, boolean max, int... out) {
        int[] s = x.shape();
        int dims = out.length;
        if (dims < 1 || dims > 3 || s.length != dims + 2)
            throw new IllegalArgumentException("adaptive pool: input " + Shape.str(s) + " does not have " + dims
                    + " spatial axes for output size " + java.util.Arrays.toString(out));
        int[] in3 = {1, 1, 1}, out3 = {1, 1, 1};
        for (int a = 0; a < dims; a++) {
            in3[3 - dims + a] = s[2 + a];
            out3[3 - dims + a] = out[a];
        }
        int[] shape = new int[dims + 2];
        shape[0] = s[0];
        shape[1] = s[1];
        System.arraycopy(out, 0, shape, 2, dims);
        return adaptive3(x, max, in3, out3, shape, (max ? "AdaptiveMaxPool" : "AdaptiveAvgPool") + dims + "d");
    }

    /**
     * forward: y[n, c] = mean (or max) of x[n, c] over all its spatial cells; the output is [N, C], or with
     * keepDims [N, C, 1, ...] (as many 1s as x has spatial axes). backward as {@link #adaptive} with
     * one window per plane.
     */
    public static Tensor global(Tensor x, boolean max, boolean keepDims) {
        int[] s = x.shape();
        if (s.length < 3 || s.length > 5)
            throw new IllegalArgumentException("global pool: input " + Shape.str(s) + " must be [N, C, spatial...] with 1 to 3 spatial axes");
        int plane = 1;
        for (int a = 2; a < s.length; a++) plane *= s[a];
        int[] shape = keepDims ? new int[s.length] : new int[] {s[0], s[1]};
        java.util.Arrays.fill(shape, 1);
        shape[0] = s[0];
        shape[1] = s[1];
        return adaptive3(x, max, new int[] {1, 1, plane}, new int[] {1, 1, 1}, shape,
                (max ? "GlobalMaxPool" : "GlobalAvgPool") + (s.length - 2) + "d");
    }

    private static Tensor adaptive3(Tensor x, boolean max, int[] in, int[] out, int[] shape, String name) {
        int planes = x.size(0) * x.size(1);
        int d = in[0], h = in[1], w = in[2], od = out[0], oh = out[1], ow = out[2];
        float[] y = BufferPool.floats(planes * od * oh * ow);
        boolean grad = Node.needsGrad(x);
        Tensor result = new Tensor(y, shape);
        if (max) {
            int[] arg = grad ? BufferPool.ints(y.length) : null;
            AdaptivePoolKernels.maxForward(x.data(), planes, d, h, w, od, oh, ow, y, arg);
            if (grad) result.attach(new Node(x) {
                @Override
                protected void backward(float[] dy) {
                    addGradient(x, dx -> PoolNdKernels.scatter(planes, d * h * w, od * oh * ow, dy, arg, dx));
                }

                @Override
                public String name() {
                    return name;
                }
            });
            return result;
        }
        AdaptivePoolKernels.avgForward(x.data(), planes, d, h, w, od, oh, ow, y);
        if (grad) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> AdaptivePoolKernels.avgBackward(dy, planes, d, h, w, od, oh, ow, dx));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return result;
    }

    private static void checkInput(Tensor x, PoolNdGeometry g) {
        int[] s = x.shape();
        boolean ok = s.length == g.dims() + 2 && s[0] == g.batch() && s[1] == g.channels();
        for (int a = 0; ok && a < g.dims(); a++) ok = s[2 + a] == g.in(3 - g.dims() + a);
        if (!ok) throw new IllegalArgumentException("pool: input " + Shape.str(s) + " does not match " + g);
    }
}
