package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ActivationKernels;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvBatchNormGradient;
import org.cnn4j.kernels.ConvKernels;
import org.cnn4j.kernels.ElementwiseKernels;
import org.cnn4j.kernels.NormKernels;
import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over dimension 1 of [N, C] or [N, C, *spatial] input: per channel, statistics
 * over the M = N * spatial values of that channel.
 */
public final class BatchNormOp {
    private BatchNormOp() {}

    /**
     * Training mode. forward: mean, biased var over the batch; xhat = (x - mean) / sqrt(var + eps);
     * y = gamma * xhat + beta; running stats updated in place with momentum (unbiased var, as PyTorch).
     * backward: dxhat = dy * gamma;
     *           dx = invstd / M * (M * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat));
     *           dgamma += sum(dy * xhat);  dbeta += sum(dy)
     * gamma/beta may be null (affine=false); runningMean/runningVar may be null (no tracking).
     * With {@code relu} the op is relu(batchnorm(x)) in one pass: forward y = max(y, 0); backward masks
     * dy to where y > 0 on the way in.
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                               float momentum, float eps, boolean relu) {
        return train(x, gamma, beta, runningMean, runningVar, momentum, eps, relu, null);
    }

    /**
     * {@link #train}, and with a {@code residual} (x's shape; relu must be set) the op is
     * {@code relu(batchnorm(x) + residual)}, a residual block's join: forward y = max(bn + residual, 0) in place
     * of the normalised values (one pass fewer than three ops); backward: the residual's gradient is dy masked to
     * where y > 0, which is also the batch norm's output gradient.
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                               float momentum, float eps, boolean relu, Tensor residual) {
        checkResidual(x, relu, residual);
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c), m = n * inner;
        float[] y = BufferPool.floats(x.numel()), mean = new float[c], var = new float[c], invStd = new float[c];
        NormKernels.batchNormTrainForward(x.data(), n, c, inner, data(gamma), data(beta), eps, relu && residual == null,
                y, mean, var, invStd);
        if (residual != null) ElementwiseKernels.addRelu(y, residual.data(), y, y.length);
        updateRunning(runningMean, runningVar, momentum, mean, var, m);
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta, residual)) result.attach(new Node(x, gamma, beta, residual) {
            @Override
            protected void backward(float[] dy) {
                if (residual != null && residual.requiresGrad()) residualGradient(residual, y, dy);
                boolean accumulate = x.hasGrad();
                NormKernels.batchNormTrainBackward(x.data(), dy, relu ? y : null, n, c, inner, data(gamma), mean, invStd,
                        x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null, accumulate, gradOf(gamma), gradOf(beta));
            }

            @Override
            public String name() {
                return residual != null ? "BatchNormAddReLUTrain" : relu ? "BatchNormReLUTrain" : "BatchNormTrain";
            }
        });
        return result;
    }

    /** A residual joins before a ReLU only, and has x's shape (BatchNorm.callWithAddAndRelu broadcasts otherwise). */
    private static void checkResidual(Tensor x, boolean relu, Tensor residual) {
        if (residual != null && (!relu || !java.util.Arrays.equals(residual.shape(), x.shape())))
            throw new IllegalArgumentException("batch norm: a residual " + org.cnn4j.tensor.Shape.str(residual.shape())
                    + " joins only before the fused ReLU, with the input's shape " + org.cnn4j.tensor.Shape.str(x.shape()));
    }

    /** The residual's gradient of {@code relu(batchnorm(x) + residual)}: dy where the output y is positive. */
    private static void residualGradient(Tensor residual, float[] y, float[] dy) {
        boolean accumulate = residual.hasGrad();
        ActivationKernels.reluBackward(y, dy, accumulate ? residual.gradBuffer() : residual.gradBufferForOverwrite(),
                y.length, accumulate);
    }

    /**
     * Evaluation mode (or frozen statistics). forward: y = gamma * (x - mean) / sqrt(var + eps) + beta
     * with the given fixed statistics. backward: dx += dy * gamma * invstd; dgamma += sum(dy * xhat); dbeta += sum(dy).
     * {@code relu} fuses a following ReLU as in {@link #train}.
     */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] var, float eps, boolean relu) {
        return eval(x, gamma, beta, mean, var, eps, relu, null);
    }

    /** {@link #eval}, with a residual joined before the ReLU as in {@link #train(Tensor, Tensor, Tensor, float[], float[], float, float, boolean, Tensor)}. */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] var, float eps, boolean relu,
                              Tensor residual) {
        checkResidual(x, relu, residual);
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c);
        float[] y = BufferPool.floats(x.numel());
        NormKernels.batchNormEvalForward(x.data(), n, c, inner, data(gamma), data(beta), eps, relu && residual == null,
                mean, var, y);
        if (residual != null) ElementwiseKernels.addRelu(y, residual.data(), y, y.length);
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta, residual)) {
            float[] frozenMean = mean.clone(), frozenVar = var.clone(); // the statistics this forward used
            result.attach(new Node(x, gamma, beta, residual) {
                @Override
                protected void backward(float[] dy) {
                    if (residual != null && residual.requiresGrad()) residualGradient(residual, y, dy);
                    boolean accumulate = x.hasGrad();
                    NormKernels.batchNormEvalBackward(x.data(), dy, relu ? y : null, n, c, inner, data(gamma), eps,
                            frozenMean, frozenVar,
                            x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null, accumulate, gradOf(gamma), gradOf(beta));
                }

                @Override
                public String name() {
                    return residual != null ? "BatchNormAddReLUEval" : relu ? "BatchNormReLUEval" : "BatchNormEval";
                }
            });
        }
        return result;
    }

    /**
     * {@code maxpool2x2(relu(batchnorm(x)))} for x [N, C, H, W] as one op (FashionCNN's and VGG-bn's block
     * tail): the full-size normalised activation is never written; only the pooled output [N, C, H/2, W/2]
     * and one window byte per output are. {@code batchStats}: training-mode statistics (running ones updated
     * as in {@link #train}); otherwise the given fixed mean/var, as {@link #eval}. Values equal the three ops
     * in a row bit for bit; gradients equal them up to the order of the channel sums.
     * backward: g = dy at each window's winner where the pooled output is positive, 0 elsewhere, then
     * the batch-norm backward of {@link #train} / {@link #eval} with g as its output gradient.
     */
    public static Tensor reluMaxPool2x2(Tensor x, Tensor gamma, Tensor beta, boolean batchStats, float[] runningMean,
                                        float[] runningVar, float momentum, float eps) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        boolean grad = Node.needsGrad(x, gamma, beta);
        Pooled p = Pooled.forward(x.data(), n, c, h, w, gamma, beta, batchStats, runningMean, runningVar, momentum, eps, grad);
        Tensor result = new Tensor(p.y, n, c, h / 2, w / 2);
        if (grad) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                boolean accumulate = x.hasGrad();
                NormKernels.batchNormReluMaxPool2x2Backward(x.data(), dy, p.y, p.window, p.winners, n, c, h, w, data(gamma),
                        batchStats, p.mean, p.invStd, x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null,
                        accumulate, gradOf(gamma), gradOf(beta));
            }

            @Override
            public String name() {
                return batchStats ? "BatchNormReLUMaxPoolTrain" : "BatchNormReLUMaxPoolEval";
            }
        });
        return result;
    }

    /**
     * {@link #reluMaxPool2x2} for another 2-D max pool of geometry g, where {@link NormKernels#supportsReluMaxPool}
     * (ResNet's stem: 3x3 stride 2 padding 1): only the pooled output, each window's winner and the input there
     * are written. Values equal the three ops in a row bit for bit; gradients equal them up to rounding.
     * backward: as {@link #reluMaxPool2x2}'s, summed where overlapping windows share a winner.
     */
    public static Tensor reluMaxPool(Tensor x, PoolNdGeometry g, Tensor gamma, Tensor beta, boolean batchStats,
                                     float[] runningMean, float[] runningVar, float momentum, float eps) {
        int n = g.batch(), c = g.channels();
        boolean grad = Node.needsGrad(x, gamma, beta);
        float[] y = BufferPool.floats(n * c * g.outPlane());
        int[] arg = grad ? BufferPool.ints(y.length) : null;
        float[] winners = grad ? BufferPool.floats(y.length) : null;
        float[] mean = batchStats ? new float[c] : runningMean.clone(), var = batchStats ? new float[c] : runningVar.clone();
        float[] invStd = new float[c];
        NormKernels.batchNormReluMaxPoolForward(x.data(), g, data(gamma), data(beta), eps, batchStats, mean, var, invStd,
                y, arg, winners);
        if (batchStats) updateRunning(runningMean, runningVar, momentum, mean, var, n * g.inPlane());
        Tensor result = new Tensor(y, g.outShape());
        if (grad) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                boolean accumulate = x.hasGrad();
                NormKernels.batchNormReluMaxPoolBackward(x.data(), dy, y, arg, winners, g, data(gamma), batchStats, mean,
                        invStd, x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null,
                        accumulate, gradOf(gamma), gradOf(beta));
            }

            @Override
            public String name() {
                return batchStats ? "BatchNormReLUMaxPoolTrain" : "BatchNormReLUMaxPoolEval";
            }
        });
        return result;
    }

    /**
     * {@code maxpool2x2(relu(batchnorm(conv2d(x, w) + convBias)))} in training mode (batch statistics) as one op,
     * for an input that needs no gradient (a network's first layer) and a small patch
     * ({@link ConvBatchNormGradient#applies}). The forward is the convolution, then {@link #reluMaxPool2x2}'s; the
     * backward gives the convolution's weight and bias gradients straight from the pooled gradient
     * ({@link ConvBatchNormGradient}), so the full-size gradient of the convolution's output is never written.
     * Values equal the four layers in a row bit for bit; gradients equal them up to rounding.
     */
    public static Tensor convReluMaxPool2x2Train(Tensor x, Tensor w, Tensor convBias, Conv2dGeometry g, Tensor gamma,
                                                 Tensor beta, float[] runningMean, float[] runningVar, float momentum,
                                                 float eps) {
        if (x.requiresGrad() || !ConvBatchNormGradient.applies(g))
            throw new IllegalArgumentException("convReluMaxPool2x2Train needs an input without gradient and a patch of at most "
                    + ConvBatchNormGradient.MAX_PATCH + " values, got " + g);
        int n = g.batch(), c = g.outChannels(), h = g.outH(), wd = g.outW();
        float[] z = BufferPool.floats(n * c * h * wd);
        ConvKernels.conv2dForward(g, x.data(), w.data(), data(convBias), z);
        boolean grad = Node.needsGrad(w, convBias, gamma, beta);
        Pooled p = Pooled.forward(z, n, c, h, wd, gamma, beta, true, runningMean, runningVar, momentum, eps, grad);
        Tensor result = new Tensor(p.y, n, c, h / 2, wd / 2);
        if (grad) result.attach(new Node(w, convBias, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                boolean fresh = w.requiresGrad() && !w.hasGrad();
                float[] dw = !w.requiresGrad() ? null : fresh ? w.gradBufferForOverwrite() : w.gradBuffer();
                ConvBatchNormGradient.backward(g, x.data(), w.data(), data(convBias), dy, p.y, p.window, p.winners,
                        data(gamma), p.mean, p.invStd, gradOf(gamma), gradOf(beta), dw, fresh, gradOf(convBias));
            }

            @Override
            public String name() {
                return "Conv2dBatchNormReLUMaxPoolTrain";
            }
        });
        return result;
    }

    /** The forward of the fused batch norm / ReLU / 2x2 max pool: pooled output, winner codes and values, statistics. */
    private record Pooled(float[] y, byte[] window, float[] winners, float[] mean, float[] invStd) {
        static Pooled forward(float[] x, int n, int c, int h, int w, Tensor gamma, Tensor beta, boolean batchStats,
                              float[] runningMean, float[] runningVar, float momentum, float eps, boolean grad) {
            float[] y = BufferPool.floats(n * c * (h / 2) * (w / 2));
            byte[] window = BufferPool.bytes(y.length);
            // x at each window's winner, for the backward's channel sums (V floats of room past the end, see the kernel)
            float[] winners = grad ? BufferPool.floats(y.length + NormKernels.WINNERS_PADDING) : null;
            float[] mean = batchStats ? new float[c] : runningMean.clone(), var = batchStats ? new float[c] : runningVar.clone();
            float[] invStd = new float[c];
            NormKernels.batchNormReluMaxPool2x2Forward(x, n, c, h, w, data(gamma), data(beta), eps, batchStats, mean, var,
                    invStd, y, window, winners);
            if (batchStats) updateRunning(runningMean, runningVar, momentum, mean, var, n * h * w);
            return new Pooled(y, window, winners, mean, invStd);
        }
    }

    /** PyTorch's running-statistics update (unbiased variance); no-op when not tracking (null arrays). */
    private static void updateRunning(float[] runningMean, float[] runningVar, float momentum, float[] mean, float[] var, int m) {
        if (runningMean == null) return;
        for (int ch = 0; ch < mean.length; ch++) {
            double unbiased = m > 1 ? var[ch] * ((double) m / (m - 1)) : var[ch];
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean[ch];
            runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
        }
    }

    private static float[] data(Tensor t) {
        return t == null ? null : t.data();
    }
}
