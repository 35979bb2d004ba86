package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Softmax cross-entropy from logits, fused for stability and speed (PyTorch's CrossEntropyLoss). */
public final class CrossEntropyOp {
    private CrossEntropyOp() {}

    /**
     * forward: loss = mean_n ( logsumexp(z[n, :]) - z[n, t_n] )        (z: [N, C], t: N class indices)
     * backward: dz[n, c] += dLoss * (softmax(z)[n, c] - [c == t_n]) / N
     */
    public static Tensor apply(Tensor logits, int[] targets) {
        if (logits.rank() != 2)
            throw new IllegalArgumentException("cross-entropy expects logits [N, C], got " + Shape.str(logits.shape()));
        int n = logits.size(0), c = logits.size(1);
        if (targets.length != n)
            throw new IllegalArgumentException("cross-entropy: " + n + " rows of logits but " + targets.length + " targets");
        float[] z = logits.data(), prob = BufferPool.floats(z.length);
        double total = 0;
        for (int r = 0; r < n; r++) {
            int t = targets[r];
            if (t < 0 || t >= c)
                throw new IllegalArgumentException("cross-entropy: target " + t + " at row " + r + " is outside [0, " + c + ")");
            int base = r * c;
            total += softmaxRow(z, prob, base, c) - z[base + t];
        }
        Tensor loss = Tensor.scalar((float) (total / n));
        if (Node.needsGrad(logits)) loss.attach(new Node(logits) {
            @Override
            protected void backward(float[] dLoss) {
                float[] dz = gradOf(logits);
                float k = dLoss[0] / n;
                for (int r = 0; r < n; r++) {
                    int base = r * c;
                    for (int j = 0; j < c; j++) dz[base + j] += k * prob[base + j];
                    dz[base + targets[r]] -= k;
                }
            }

            @Override
            public String name() {
                return "CrossEntropy";
            }
        });
        return loss;
    }

    /**
     * Soft targets (PyTorch 1.10+ {@code cross_entropy(z, p)} with p a [N, C] float tensor):
     * forward: loss = mean_n sum_c -p[n, c] log_softmax(z)[n, c] = mean_n ( s_n logsumexp(z[n, :]) - sum_c p[n, c] z[n, c] ),
     *          with s_n = sum_c p[n, c] (1 for probability rows, but not assumed)
     * backward: dz[n, c] += dLoss * (softmax(z)[n, c] s_n - p[n, c]) / N
     * No gradient flows into the targets.
     */
    public static Tensor apply(Tensor logits, Tensor targets) {
        if (logits.rank() != 2)
            throw new IllegalArgumentException("cross-entropy expects logits [N, C], got " + Shape.str(logits.shape()));
        if (!java.util.Arrays.equals(logits.shape(), targets.shape()))
            throw new IllegalArgumentException("cross-entropy with soft targets: logits " + Shape.str(logits.shape()) + " and targets "
                    + Shape.str(targets.shape()) + " must have the same shape [N, C]");
        int n = logits.size(0), c = logits.size(1);
        float[] z = logits.data(), p = targets.data(), prob = BufferPool.floats(z.length);
        float[] rowSum = new float[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            int base = r * c;
            double lse = softmaxRow(z, prob, base, c), s = 0, dot = 0;
            for (int j = 0; j < c; j++) {
                float pj = p[base + j];
                if (!Float.isFinite(pj))
                    throw new IllegalArgumentException("cross-entropy: target " + pj + " at row " + r + ", class " + j + " is not finite");
                s += pj;
                if (pj != 0) dot += (double) pj * z[base + j]; // 0 * -inf logit contributes nothing, as in PyTorch
            }
            rowSum[r] = (float) s;
            total += s * lse - dot;
        }
        Tensor loss = Tensor.scalar((float) (total / n));
        if (Node.needsGrad(logits)) loss.attach(new Node(logits) {
            @Override
            protected void backward(float[] dLoss) {
                float[] dz = gradOf(logits);
                float k = dLoss[0] / n;
                for (int r = 0; r < n; r++) {
                    int base = r * c;
                    float s = rowSum[r];
                    for (int j = 0; j < c; j++) dz[base + j] += k * (prob[base + j] * s - p[base + j]);
                }
            }

            @Override
            public String name() {
                return "CrossEntropySoft";
            }
        });
        return loss;
    }

    /** prob[base, base + c) = softmax of z[base, base + c) (max-shifted, summed in double); returns its logsumexp. */
    private static double softmaxRow(float[] z, float[] prob, int base, int c) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, z[base + j]);
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double e = Math.exp(z[base + j] - max);
            prob[base + j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < c; j++) prob[base + j] = (float) (prob[base + j] / sum);
        return Math.log(sum) + max;
    }
}
