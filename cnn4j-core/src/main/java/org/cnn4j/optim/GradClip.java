package org.cnn4j.optim;

import org.cnn4j.nn.Parameter;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: call it
 * between {@code loss.backward()} and {@code optimizer.step()}. Parameters without a gradient are
 * skipped; gradients are changed in place.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so that their total norm is at most {@code maxNorm}; returns the
     * total norm before clipping. As PyTorch: {@code total = ||(||g_1||_p, ..., ||g_k||_p)||_p} (for
     * {@code p = inf} the largest absolute value), {@code coef = maxNorm / (total + 1e-6)}, and every
     * gradient is multiplied by {@code min(coef, 1)} (a NaN norm makes every gradient NaN, an infinite one
     * zeroes the finite elements, as in PyTorch). The norms are accumulated in double; the
     * coefficient is computed in float as PyTorch's float32 tensors do.
     *
     * @param normType        {@code p} &gt; 0, or {@link Double#POSITIVE_INFINITY}
     * @param errorIfNonfinite when true, a NaN or infinite total norm throws instead of scaling (PyTorch's
     *                        {@code error_if_nonfinite})
     * @return the total norm, 0 when no parameter has a gradient
     */
    public static double clipGradNorm(Iterable<? extends Parameter> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm))
            throw new IllegalArgumentException("maxNorm must be a finite number >= 0. Received: " + maxNorm);
        if (!(normType > 0))
            throw new IllegalArgumentException("normType must be > 0 (e.g. 2, 1 or Infinity). Received: " + normType);
        double total = totalNorm(params, normType);
        if (errorIfNonfinite && !Double.isFinite(total))
            throw new IllegalStateException("the total norm of order " + normType + " of the gradients is " + total
                    + "; clipping cannot fix that (set errorIfNonfinite false to clip anyway, or find the source with anomaly detection)");
        float coef = (float) maxNorm / ((float) total + 1e-6f);
        if (!(coef >= 1f)) { // NaN too: as PyTorch, a NaN norm makes every gradient NaN (multiplying by 1 is skipped)
            for (Parameter p : params) {
                float[] g = p.gradIfPresent();
                if (g == null) continue;
                for (int i = 0; i < g.length; i++) g[i] *= coef;
            }
        }
        return total;
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm, not failing on a non-finite norm. */
    public static double clipGradNorm(Iterable<? extends Parameter> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} not failing on a non-finite norm. */
    public static double clipGradNorm(Iterable<? extends Parameter> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /** The total {@code normType}-norm of all gradients (as {@link #clipGradNorm} computes it), without changing them. */
    public static double totalNorm(Iterable<? extends Parameter> params, double normType) {
        if (!(normType > 0))
            throw new IllegalArgumentException("normType must be > 0 (e.g. 2, 1 or Infinity). Received: " + normType);
        boolean inf = Double.isInfinite(normType);
        double acc = 0;
        boolean nan = false;
        for (Parameter p : params) {
            float[] g = p.gradIfPresent();
            if (g == null) continue;
            if (inf) {
                for (float v : g) {
                    if (Float.isNaN(v)) nan = true;
                    acc = Math.max(acc, Math.abs(v));
                }
            } else if (normType == 2.0) {
                double s = 0;
                for (float v : g) s += (double) v * v;
                double n = Math.sqrt(s); // per-parameter norm, then the norm of the norms, as PyTorch
                acc += n * n;
            } else if (normType == 1.0) {
                double s = 0;
                for (float v : g) s += Math.abs(v);
                acc += s;
            } else {
                double s = 0;
                for (float v : g) s += Math.pow(Math.abs(v), normType);
                double n = Math.pow(s, 1 / normType);
                acc += Math.pow(n, normType);
            }
        }
        if (nan) return Double.NaN;
        if (inf || normType == 1.0) return acc;
        if (normType == 2.0) return Math.sqrt(acc);
        return Math.pow(acc, 1 / normType);
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]} ({@code clip_grad_value_}); NaN
     * stays NaN, as with {@code torch.clamp_}.
     */
    public static void clipGradValue(Iterable<? extends Parameter> params, double clipValue) {
        if (!(clipValue >= 0) || Double.isInfinite(clipValue))
            throw new IllegalArgumentException("clipValue must be a finite number >= 0. Received: " + clipValue);
        float c = (float) clipValue;
        for (Parameter p : params) {
            float[] g = p.gradIfPresent();
            if (g == null) continue;
            for (int i = 0; i < g.length; i++) {
                float v = g[i];
                if (v > c) g[i] = c;
                else if (v < -c) g[i] = -c;
            }
        }
    }
}
