package org.cnn4j.kernels;

/**
 * Batch normalisation over dimension 1 of a [N, C, inner] tensor (inner = H*W, L, or 1): per channel,
 * statistics over its M = N * inner values. Parallel over channels; each channel's sums are computed
 * in a fixed order, so results do not depend on the thread count. Only the per-channel mean and
 * 1/sqrt(var + eps) are kept for the backward pass: the normalised values are recomputed there
 * instead of being stored (one array write and read fewer per step).
 */
public final class NormKernels {
  private NormKernels() {}

  /**
   * Training forward: mean/biased variance per channel into {@code mean}/{@code invStd}
   * (1/sqrt(var + eps)), {@code y = gamma * (x - mean) * invStd + beta}, then {@code max(y, 0)} when
   * {@code relu} (batch norm and a following ReLU fused into one pass); gamma/beta may be null
   * (1 and 0). {@code var} receives the biased variance (for the running average).
   */
  public static void batchNormTrainForward(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                           boolean relu, float[] y, float[] mean, float[] var, float[] invStd) {
    int m = n * inner;
    Parallel.forRange(c, 1, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        double s = 0;
        for (int b = 0; b < n; b++) {
          s += Loops.sum(x, (b * c + ch) * inner, inner);
        }
        float mu = (float) (s / m);
        double sq = 0;
        for (int b = 0; b < n; b++) {
          sq += Loops.sumSquaredDeviation(x, (b * c + ch) * inner, inner, mu);
        }
        float v = (float) (sq / m);
        float is = (float) (1.0 / Math.sqrt(v + (double) eps));
        mean[ch] = mu;
        var[ch] = v;
        invStd[ch] = is;
        float scale = (gamma == null ? 1f : gamma[ch]) * is;
        float shift = (beta == null ? 0f : beta[ch]) - mu * scale;
        for (int b = 0; b < n; b++) {
          affine(x, y, (b * c + ch) * inner, inner, scale, shift, relu);
        }
      }
    });
  }

  /**
   * Evaluation forward with fixed statistics: {@code y = gamma * (x - mean) / sqrt(var + eps) + beta},
   * then {@code max(y, 0)} when {@code relu}.
   */
  public static void batchNormEvalForward(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                          boolean relu, float[] mean, float[] var, float[] y) {
    Parallel.forRange(c, 1, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        float is = (float) (1.0 / Math.sqrt(var[ch] + (double) eps));
        float scale = (gamma == null ? 1f : gamma[ch]) * is;
        float shift = (beta == null ? 0f : beta[ch]) - mean[ch] * scale;
        for (int b = 0; b < n; b++) {
          affine(x, y, (b * c + ch) * inner, inner, scale, shift, relu);
        }
      }
    });
  }

  /**
   * Training backward. With xhat = (x - mean) * invStd recomputed:
   * {@code dgamma += sum(dy * xhat)}, {@code dbeta += sum(dy)} (either may be null), and, when dx is
   * not null, {@code dx (+)= gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))}, accumulated
   * into dx when {@code accumulate}, written otherwise. When the forward fused a ReLU,
   * {@code reluOutput} is its output and dy is first masked to where it is positive (ReLU's backward);
   * the masked gradient of one channel is kept in per-thread scratch, so each array is read from
   * memory once (a channel's N*inner values fit in L2 between the two passes).
   */
  public static void batchNormTrainBackward(float[] x, float[] dy, float[] reluOutput, int n, int c, int inner,
                                            float[] gamma, float[] mean, float[] invStd, float[] dx, boolean accumulate,
                                            float[] dGamma, float[] dBeta) {
    int m = n * inner;
    Parallel.forRange(c, 1, (c0, c1) -> {
      float[] masked = reluOutput == null ? null : Workspace.get(Workspace.NORM_GRAD, m);
      for (int ch = c0; ch < c1; ch++) {
        float mu = mean[ch], is = invStd[ch];
        double sumDy = 0, sumDyCentered = 0;
        for (int b = 0; b < n; b++) {
          int off = (b * c + ch) * inner;
          float[] g = dy;
          int gOff = off;
          if (masked != null) {
            Loops.reluMask(reluOutput, dy, off, masked, b * inner, inner);
            g = masked;
            gOff = b * inner;
          }
          sumDy += Loops.sum(g, gOff, inner);
          sumDyCentered += Loops.dotCentered(x, off, g, gOff, inner, mu);
        }
        double sumDyXhat = sumDyCentered * is;
        if (dGamma != null) {
          dGamma[ch] += (float) sumDyXhat;
        }
        if (dBeta != null) {
          dBeta[ch] += (float) sumDy;
        }
        if (dx == null) {
          continue;
        }
        // dx = k * (dy - meanDy - (x - mu) * is * meanDyXhat) = k*dy + (x * a + b)
        float k = (gamma == null ? 1f : gamma[ch]) * is;
        float meanDy = (float) (sumDy / m), meanDyXhat = (float) (sumDyXhat / m);
        float a = -k * is * meanDyXhat;
        float bias = -k * meanDy - a * mu;
        for (int b = 0; b < n; b++) {
          int off = (b * c + ch) * inner;
          float[] g = masked == null ? dy : masked;
          int shift = masked == null ? 0 : b * inner - off; // g index = i + shift
          for (int i = off, end = off + inner; i < end; i++) {
            float v = k * g[i + shift] + a * x[i] + bias;
            dx[i] = accumulate ? dx[i] + v : v;
          }
        }
      }
    });
  }

  /**
   * Evaluation-mode backward (fixed statistics): {@code dx (+)= dy * gamma * invStd};
   * {@code dgamma += sum(dy * (x - mean) * invStd)}, {@code dbeta += sum(dy)}; dy masked by a fused
   * ReLU's output as in {@link #batchNormTrainBackward}.
   */
  public static void batchNormEvalBackward(float[] x, float[] dy, float[] reluOutput, int n, int c, int inner,
                                           float[] gamma, float eps, float[] mean, float[] var, float[] dx,
                                           boolean accumulate, float[] dGamma, float[] dBeta) {
    Parallel.forRange(c, 1, (c0, c1) -> {
      float[] masked = reluOutput == null ? null : Workspace.get(Workspace.NORM_GRAD, inner);
      for (int ch = c0; ch < c1; ch++) {
        float is = (float) (1.0 / Math.sqrt(var[ch] + (double) eps));
        float k = (gamma == null ? 1f : gamma[ch]) * is;
        double sumDy = 0, sumDyCentered = 0;
        for (int b = 0; b < n; b++) {
          int off = (b * c + ch) * inner;
          float[] g = dy;
          int gOff = off;
          if (masked != null) {
            Loops.reluMask(reluOutput, dy, off, masked, 0, inner);
            g = masked;
            gOff = 0;
          }
          sumDy += Loops.sum(g, gOff, inner);
          sumDyCentered += Loops.dotCentered(x, off, g, gOff, inner, mean[ch]);
          if (dx != null) {
            for (int i = 0; i < inner; i++) {
              float v = k * g[gOff + i];
              dx[off + i] = accumulate ? dx[off + i] + v : v;
            }
          }
        }
        if (dGamma != null) {
          dGamma[ch] += (float) (sumDyCentered * is);
        }
        if (dBeta != null) {
          dBeta[ch] += (float) sumDy;
        }
      }
    });
  }

  /** y = x * scale + shift (then max(y, 0) when relu) over [off, off+len) (loops C2 vectorises on its own). */
  private static void affine(float[] x, float[] y, int off, int len, float scale, float shift, boolean relu) {
    if (relu) {
      for (int i = off, end = off + len; i < end; i++) {
        y[i] = Math.max(x[i] * scale + shift, 0f);
      }
    } else {
      for (int i = off, end = off + len; i < end; i++) {
        y[i] = x[i] * scale + shift;
      }
    }
  }
}
