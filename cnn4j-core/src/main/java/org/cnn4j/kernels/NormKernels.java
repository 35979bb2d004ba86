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

  // ------------------------------------------------------------------ layer norm

  /**
   * Mean and biased variance of x[off, off + len) (layer norm's row, group norm's group): writes
   * {@code mean[r]} and {@code invStd[r] = 1/sqrt(var + eps)}, and returns the latter.
   */
  private static float rowMoments(float[] x, int off, int len, float eps, float[] mean, float[] invStd, int r) {
    float mu = (float) ((double) Loops.sum(x, off, len) / len);
    float v = (float) ((double) Loops.sumSquaredDeviation(x, off, len, mu) / len);
    float is = (float) (1.0 / Math.sqrt(v + (double) eps));
    mean[r] = mu;
    invStd[r] = is;
    return is;
  }

  /**
   * Layer normalisation of {@code rows} contiguous rows of length {@code d}: per row, mean and biased
   * variance, {@code y = (x - mean) * invStd * gamma[j] + beta[j]} (gamma/beta of length d, or null for
   * 1 and 0). Writes the per-row mean and 1/sqrt(var + eps) for the backward pass. Parallel over rows.
   */
  public static void layerNormForward(float[] x, int rows, int d, float[] gamma, float[] beta, float eps,
                                      float[] y, float[] mean, float[] invStd) {
    Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, d)), (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int off = r * d;
        float is = rowMoments(x, off, d, eps, mean, invStd, r);
        float mu = mean[r];
        for (int j = 0; j < d; j++) {
          float xhat = (x[off + j] - mu) * is;
          y[off + j] = gamma == null ? xhat : xhat * gamma[j] + beta[j];
        }
      }
    });
  }

  /**
   * Layer norm's backward, with xhat = (x - mean) * invStd recomputed and g = dy * gamma:
   * {@code dx = invStd * (g - mean_j(g) - xhat * mean_j(g * xhat))} per row, overwriting dx (skipped
   * when null); {@code dgamma[j] += sum_rows dy * xhat}, {@code dbeta[j] += sum_rows dy} (either may
   * be null), accumulated per column over the rows in order, so independent of the thread count.
   */
  public static void layerNormBackward(float[] x, float[] dy, int rows, int d, float[] gamma, float[] mean,
                                       float[] invStd, float[] dx, float[] dGamma, float[] dBeta) {
    if (dx != null) {
      Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, d)), (r0, r1) -> {
        for (int r = r0; r < r1; r++) {
          int off = r * d;
          float mu = mean[r], is = invStd[r];
          double sumG = 0, sumGXhat = 0;
          for (int j = 0; j < d; j++) {
            double g = gamma == null ? dy[off + j] : (double) dy[off + j] * gamma[j];
            sumG += g;
            sumGXhat += g * ((x[off + j] - mu) * is);
          }
          float meanG = (float) (sumG / d), meanGXhat = (float) (sumGXhat / d);
          for (int j = 0; j < d; j++) {
            float g = gamma == null ? dy[off + j] : dy[off + j] * gamma[j];
            float xhat = (x[off + j] - mu) * is;
            dx[off + j] = is * (g - meanG - xhat * meanGXhat);
          }
        }
      });
    }
    if (dGamma == null && dBeta == null) {
      return;
    }
    Parallel.forRange(d, 64, (j0, j1) -> {
      int w = j1 - j0;
      double[] sg = new double[w], sb = new double[w];
      for (int r = 0; r < rows; r++) {
        int off = r * d;
        float mu = mean[r], is = invStd[r];
        for (int j = j0; j < j1; j++) {
          float g = dy[off + j];
          sg[j - j0] += (double) g * ((x[off + j] - mu) * is);
          sb[j - j0] += g;
        }
      }
      for (int j = j0; j < j1; j++) {
        if (dGamma != null) {
          dGamma[j] += (float) sg[j - j0];
        }
        if (dBeta != null) {
          dBeta[j] += (float) sb[j - j0];
        }
      }
    });
  }

  // ------------------------------------------------------------------ group norm

  /**
   * Group normalisation of [n, c, inner] in {@code groups} groups of c / groups consecutive channels:
   * per (sample, group), mean and biased variance over its (c / groups) * inner contiguous values;
   * {@code y = (x - mean) * invStd * gamma[ch] + beta[ch]} (gamma/beta per channel, or null). Writes
   * the per-(sample, group) mean and 1/sqrt(var + eps), indexed sample * groups + group.
   */
  public static void groupNormForward(float[] x, int n, int c, int inner, int groups, float[] gamma, float[] beta,
                                      float eps, float[] y, float[] mean, float[] invStd) {
    int cpg = c / groups, len = cpg * inner;
    Parallel.forRange(n * groups, 1, (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int off = r * len;
        float is = rowMoments(x, off, len, eps, mean, invStd, r);
        float mu = mean[r];
        int g = r % groups;
        for (int k = 0; k < cpg; k++) {
          int ch = g * cpg + k;
          float scale = (gamma == null ? 1f : gamma[ch]) * is;
          float shift = (beta == null ? 0f : beta[ch]) - mu * scale;
          affine(x, y, off + k * inner, inner, scale, shift, false);
        }
      }
    });
  }

  /**
   * Group norm's backward, with xhat recomputed and g = dy * gamma[ch]: per (sample, group),
   * {@code dx = invStd * (g - mean(g) - xhat * mean(g * xhat))} over the group's values, overwriting dx
   * (skipped when null); {@code dgamma[ch] += sum dy * xhat}, {@code dbeta[ch] += sum dy} over the
   * samples and positions of channel ch, in a fixed order.
   */
  public static void groupNormBackward(float[] x, float[] dy, int n, int c, int inner, int groups, float[] gamma,
                                       float[] mean, float[] invStd, float[] dx, float[] dGamma, float[] dBeta) {
    int cpg = c / groups, len = cpg * inner;
    // per (sample, channel): sum(dy) and sum(dy * (x - mean)), the only sums either gradient needs
    double[] sumDy = new double[n * c], sumDyCentered = new double[n * c];
    Parallel.forRange(n * groups, 1, (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int off = r * len, g = r % groups, b = r / groups;
        float mu = mean[r], is = invStd[r];
        double sG = 0, sGXhat = 0;
        for (int k = 0; k < cpg; k++) {
          int ch = g * cpg + k, o = off + k * inner;
          double s1 = Loops.sum(dy, o, inner), s2 = Loops.dotCentered(x, o, dy, o, inner, mu);
          sumDy[b * c + ch] = s1;
          sumDyCentered[b * c + ch] = s2;
          double gm = gamma == null ? 1 : gamma[ch];
          sG += gm * s1;
          sGXhat += gm * s2 * is;
        }
        if (dx == null) {
          continue;
        }
        float meanG = (float) (sG / len), meanGXhat = (float) (sGXhat / len);
        for (int k = 0; k < cpg; k++) {
          int ch = g * cpg + k, o = off + k * inner;
          float gm = gamma == null ? 1f : gamma[ch];
          // dx = is * (gm * dy - meanG - (x - mu) * is * meanGXhat) = k1 * dy + a * x + bias
          float k1 = is * gm, a = -is * is * meanGXhat, bias = -is * meanG - a * mu;
          for (int i = o, end = o + inner; i < end; i++) {
            dx[i] = k1 * dy[i] + a * x[i] + bias;
          }
        }
      }
    });
    for (int ch = 0; ch < c; ch++) {
      double sg = 0, sb = 0;
      for (int b = 0; b < n; b++) {
        sg += sumDyCentered[b * c + ch] * invStd[b * groups + ch / cpg];
        sb += sumDy[b * c + ch];
      }
      if (dGamma != null) {
        dGamma[ch] += (float) sg;
      }
      if (dBeta != null) {
        dBeta[ch] += (float) sb;
      }
    }
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
