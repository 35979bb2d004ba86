package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
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
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                               float momentum, float eps) {
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c), m = n * inner;
        float[] a = x.data(), y = new float[a.length], xhat = new float[a.length];
        float[] invStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int base = (s * c + ch) * inner;
                for (int i = 0; i < inner; i++) sum += a[base + i];
            }
            double mean = sum / m, sq = 0;
            for (int s = 0; s < n; s++) {
                int base = (s * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    double d = a[base + i] - mean;
                    sq += d * d;
                }
            }
            double var = sq / m;
            float is = (float) (1.0 / Math.sqrt(var + eps));
            invStd[ch] = is;
            float gm = gamma == null ? 1f : gamma.data()[ch], bt = beta == null ? 0f : beta.data()[ch];
            float fm = (float) mean;
            for (int s = 0; s < n; s++) {
                int base = (s * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    float h = (a[base + i] - fm) * is;
                    xhat[base + i] = h;
                    y[base + i] = gm * h + bt;
                }
            }
            if (runningMean != null) {
                runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * fm;
                double unbiased = m > 1 ? sq / (m - 1) : var;
                runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
            }
        }
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x), dg = gradOf(gamma), db = gradOf(beta);
                for (int ch = 0; ch < c; ch++) {
                    double sumDy = 0, sumDyXhat = 0;
                    for (int s = 0; s < n; s++) {
                        int base = (s * c + ch) * inner;
                        for (int i = 0; i < inner; i++) {
                            sumDy += dy[base + i];
                            sumDyXhat += dy[base + i] * xhat[base + i];
                        }
                    }
                    if (dg != null) dg[ch] += (float) sumDyXhat;
                    if (db != null) db[ch] += (float) sumDy;
                    if (dx == null) continue;
                    float gm = gamma == null ? 1f : gamma.data()[ch];
                    // with dxhat = gamma*dy: sum(dxhat) = gamma*sumDy, sum(dxhat*xhat) = gamma*sumDyXhat
                    float k = gm * invStd[ch];
                    float meanDy = (float) (sumDy / m), meanDyXhat = (float) (sumDyXhat / m);
                    for (int s = 0; s < n; s++) {
                        int base = (s * c + ch) * inner;
                        for (int i = 0; i < inner; i++)
                            dx[base + i] += k * (dy[base + i] - meanDy - xhat[base + i] * meanDyXhat);
                    }
                }
            }

            @Override
            public String name() {
                return "BatchNormTrain";
            }
        });
        return result;
    }

    /**
     * Evaluation mode (or frozen statistics). forward: y = gamma * (x - mean) / sqrt(var + eps) + beta
     * with the given fixed statistics. backward: dx += dy * gamma * invstd; dgamma += sum(dy * xhat); dbeta += sum(dy).
     */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] var, float eps) {
        int n = x.size(0), c = x.size(1), inner = x.numel() / (n * c);
        float[] a = x.data(), y = new float[a.length];
        float[] scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            float is = (float) (1.0 / Math.sqrt(var[ch] + eps));
            float gm = gamma == null ? 1f : gamma.data()[ch], bt = beta == null ? 0f : beta.data()[ch];
            scale[ch] = gm * is;
            shift[ch] = bt - mean[ch] * gm * is;
        }
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++) {
                int base = (s * c + ch) * inner;
                float sc = scale[ch], sh = shift[ch];
                for (int i = 0; i < inner; i++) y[base + i] = a[base + i] * sc + sh;
            }
        Tensor result = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) result.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x), dg = gradOf(gamma), db = gradOf(beta);
                for (int ch = 0; ch < c; ch++) {
                    float is = (float) (1.0 / Math.sqrt(var[ch] + eps));
                    double sumDy = 0, sumDyXhat = 0;
                    for (int s = 0; s < n; s++) {
                        int base = (s * c + ch) * inner;
                        for (int i = 0; i < inner; i++) {
                            float g = dy[base + i];
                            sumDy += g;
                            sumDyXhat += g * (a[base + i] - mean[ch]) * is;
                            if (dx != null) dx[base + i] += g * scale[ch];
                        }
                    }
                    if (dg != null) dg[ch] += (float) sumDyXhat;
                    if (db != null) db[ch] += (float) sumDy;
                }
            }

            @Override
            public String name() {
                return "BatchNormEval";
            }
        });
        return result;
    }
}
