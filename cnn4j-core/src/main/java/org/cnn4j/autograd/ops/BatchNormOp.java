package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.NormKernels;
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
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c), m = n * inner;
        float[] y = BufferPool.floats(x.numel()), mean = new float[c], var = new float[c], invStd = new float[c];
        NormKernels.batchNormTrainForward(x.data(), n, c, inner, data(gamma), data(beta), eps, relu, y, mean, var, invStd);
        updateRunning(runningMean, runningVar, momentum, mean, var, m);
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                boolean accumulate = x.hasGrad();
                NormKernels.batchNormTrainBackward(x.data(), dy, relu ? y : null, n, c, inner, data(gamma), mean, invStd,
                        x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null, accumulate, gradOf(gamma), gradOf(beta));
            }

            @Override
            public String name() {
                return relu ? "BatchNormReLUTrain" : "BatchNormTrain";
            }
        });
        return result;
    }

    /**
     * Evaluation mode (or frozen statistics). forward: y = gamma * (x - mean) / sqrt(var + eps) + beta
     * with the given fixed statistics. backward: dx += dy * gamma * invstd; dgamma += sum(dy * xhat); dbeta += sum(dy).
     * {@code relu} fuses a following ReLU as in {@link #train}.
     */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] var, float eps, boolean relu) {
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c);
        float[] y = BufferPool.floats(x.numel());
        NormKernels.batchNormEvalForward(x.data(), n, c, inner, data(gamma), data(beta), eps, relu, mean, var, y);
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) {
            float[] frozenMean = mean.clone(), frozenVar = var.clone(); // the statistics this forward used
            result.attach(new Node(x, gamma, beta) {
                @Override
                protected void backward(float[] dy) {
                    boolean accumulate = x.hasGrad();
                    NormKernels.batchNormEvalBackward(x.data(), dy, relu ? y : null, n, c, inner, data(gamma), eps,
                            frozenMean, frozenVar,
                            x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null, accumulate, gradOf(gamma), gradOf(beta));
                }

                @Override
                public String name() {
                    return relu ? "BatchNormReLUEval" : "BatchNormEval";
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
        float[] y = BufferPool.floats(n * c * (h / 2) * (w / 2));
        byte[] window = BufferPool.bytes(y.length);
        boolean grad = Node.needsGrad(x, gamma, beta);
        // x at each window's winner, for the backward's channel sums (V floats of room past the end, see the kernel)
        float[] winners = grad ? BufferPool.floats(y.length + NormKernels.WINNERS_PADDING) : null;
        float[] mean = batchStats ? new float[c] : runningMean.clone(), var = batchStats ? new float[c] : runningVar.clone();
        float[] invStd = new float[c];
        NormKernels.batchNormReluMaxPool2x2Forward(x.data(), n, c, h, w, data(gamma), data(beta), eps, batchStats, mean, var,
                invStd, y, window, winners);
        if (batchStats) updateRunning(runningMean, runningVar, momentum, mean, var, n * h * w);
        Tensor result = new Tensor(y, n, c, h / 2, w / 2);
        if (grad) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                boolean accumulate = x.hasGrad();
                NormKernels.batchNormReluMaxPool2x2Backward(x.data(), dy, y, window, winners, n, c, h, w, data(gamma), batchStats, mean,
                        invStd, x.requiresGrad() ? (accumulate ? x.gradBuffer() : x.gradBufferForOverwrite()) : null, accumulate,
                        gradOf(gamma), gradOf(beta));
            }

            @Override
            public String name() {
                return batchStats ? "BatchNormReLUMaxPoolTrain" : "BatchNormReLUMaxPoolEval";
            }
        });
        return result;
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
