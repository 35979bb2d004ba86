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
    if (inner <= SWEEP_MAX_INNER) {
      trainForwardSweep(x, n, c, inner, gamma, beta, eps, relu, y, mean, var, invStd);
    } else {
      trainForwardPlanes(x, n, c, inner, gamma, beta, eps, relu, y, mean, var, invStd);
    }
  }

  /** {@link #batchNormTrainForward} one plane at a time (for planes larger than {@link #SWEEP_MAX_INNER}). */
  static void trainForwardPlanes(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                 boolean relu, float[] y, float[] mean, float[] var, float[] invStd) {
    Parallel.forRange(c, 1, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        channelMoments(x, n, c, inner, eps, ch, mean, var, invStd);
        float scale = (gamma == null ? 1f : gamma[ch]) * invStd[ch];
        float shift = (beta == null ? 0f : beta[ch]) - mean[ch] * scale;
        for (int b = 0; b < n; b++) {
          affine(x, y, (b * c + ch) * inner, inner, scale, shift, relu);
        }
      }
    });
  }

  /** Mean, biased variance and 1/sqrt(var + eps) of channel {@code ch} over its N * inner values. */
  private static void channelMoments(float[] x, int n, int c, int inner, float eps, int ch, float[] mean, float[] var,
                                     float[] invStd) {
    int m = n * inner;
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
    mean[ch] = mu;
    var[ch] = v;
    invStd[ch] = (float) (1.0 / Math.sqrt(v + (double) eps));
  }

  // ------------------------------------------------------------------ small planes: sweep whole rows

  /**
   * Planes of at most this many values (ResNet-18's 8x8 to 1x1 maps at 32x32 input) make the per-plane
   * loops above too short to vectorise or even to amortise their calls (10 ns per value at 1x1, where one
   * channel's values lie 2 KB apart). The sweep variants below walk each image's slice of a thread's
   * channels {@code [c0, c1)}, one contiguous run of {@code (c1 - c0) * inner} values, and keep lane-wise
   * partial sums (one per position of that slice) that are reduced per channel at the end; per-channel
   * coefficients are expanded to the same positions, so every loop is a plain elementwise one (Loops' row
   * sweeps; C2 does not vectorise them by itself, since the rows sit at different offsets of arrays that
   * might alias). Each channel's sums still run in a fixed order (over images, then over its positions), so
   * the results do not depend on the thread count.
   */
  static final int SWEEP_MAX_INNER = 64;

  /** {@link #batchNormTrainForward} by row sweeps (any plane size; chosen for small ones). */
  static void trainForwardSweep(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                boolean relu, float[] y, float[] mean, float[] var, float[] invStd) {
    Parallel.forRange(c, 1, (c0, c1) -> sweepForward(x, n, c, inner, gamma, beta, eps, relu, y, mean, var, invStd,
        c0, c1));
  }

  /** {@link #batchNormTrainBackward} by row sweeps (any plane size; chosen for small ones). */
  static void trainBackwardSweep(float[] x, float[] dy, float[] reluOutput, int n, int c, int inner, float[] gamma,
                                 float[] mean, float[] invStd, float[] dx, boolean accumulate, float[] dGamma,
                                 float[] dBeta) {
    Parallel.forRange(c, 1, (c0, c1) -> sweepBackward(x, dy, reluOutput, n, c, inner, gamma, mean, invStd, dx,
        accumulate, dGamma, dBeta, c0, c1));
  }

  private static void sweepForward(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                   boolean relu, float[] y, float[] mean, float[] var, float[] invStd, int c0, int c1) {
    sweepMoments(x, n, c, inner, eps, c0, c1, mean, var, invStd);
    int len = (c1 - c0) * inner;
    float[] scale = Workspace.get(Workspace.NORM_SUM, len), shift = Workspace.get(Workspace.NORM_COEF, len);
    for (int ch = c0; ch < c1; ch++) {
      float k = (gamma == null ? 1f : gamma[ch]) * invStd[ch];
      float t = (beta == null ? 0f : beta[ch]) - mean[ch] * k;
      for (int i = (ch - c0) * inner, end = i + inner; i < end; i++) {
        scale[i] = k;
        shift[i] = t;
      }
    }
    for (int b = 0; b < n; b++) {
      Loops.affineRow(x, (b * c + c0) * inner, scale, shift, y, relu, len);
    }
  }

  /**
   * Mean, biased variance and 1/sqrt(var + eps) of channels {@code [c0, c1)} as every training forward computes
   * them (so that the fused forwards equal the plain one bit for bit): by row sweeps on small planes.
   */
  private static void trainMoments(float[] x, int n, int c, int inner, float eps, int c0, int c1, float[] mean,
                                   float[] var, float[] invStd) {
    if (inner <= SWEEP_MAX_INNER) {
      sweepMoments(x, n, c, inner, eps, c0, c1, mean, var, invStd);
    } else {
      for (int ch = c0; ch < c1; ch++) {
        channelMoments(x, n, c, inner, eps, ch, mean, var, invStd);
      }
    }
  }

  private static void sweepMoments(float[] x, int n, int c, int inner, float eps, int c0, int c1, float[] mean,
                                   float[] var, float[] invStd) {
    int len = (c1 - c0) * inner, m = n * inner;
    float[] sum = Workspace.get(Workspace.NORM_SUM, len), center = Workspace.get(Workspace.NORM_SUM2, len);
    java.util.Arrays.fill(sum, 0, len, 0f);
    for (int b = 0; b < n; b++) {
      Loops.addRow(x, (b * c + c0) * inner, sum, len);
    }
    for (int ch = c0; ch < c1; ch++) {
      mean[ch] = (float) (positionSum(sum, (ch - c0) * inner, inner) / m);
    }
    expand(mean, c0, c1, inner, center);
    java.util.Arrays.fill(sum, 0, len, 0f);
    for (int b = 0; b < n; b++) {
      Loops.addSquaredDeviationsRow(x, (b * c + c0) * inner, center, sum, len);
    }
    for (int ch = c0; ch < c1; ch++) {
      float v = (float) (positionSum(sum, (ch - c0) * inner, inner) / m);
      var[ch] = v;
      invStd[ch] = (float) (1.0 / Math.sqrt(v + (double) eps));
    }
  }

  private static void sweepBackward(float[] x, float[] dy, float[] reluOutput, int n, int c, int inner,
                                    float[] gamma, float[] mean, float[] invStd, float[] dx, boolean accumulate,
                                    float[] dGamma, float[] dBeta, int c0, int c1) {
    int len = (c1 - c0) * inner, m = n * inner;
    // the ReLU-masked gradient of all the thread's rows (at most N * 64 * C/2 values)
    float[] masked = reluOutput == null ? null : Workspace.get(Workspace.NORM_GRAD, n * len);
    float[] sumDy = Workspace.get(Workspace.NORM_SUM, len), sumDyX = Workspace.get(Workspace.NORM_SUM2, len);
    float[] coef = Workspace.get(Workspace.NORM_COEF, len);
    java.util.Arrays.fill(sumDy, 0, len, 0f);
    java.util.Arrays.fill(sumDyX, 0, len, 0f);
    expand(mean, c0, c1, inner, coef);
    for (int b = 0; b < n; b++) {
      int off = (b * c + c0) * inner;
      float[] g = dy;
      int gOff = off;
      if (masked != null) {
        Loops.reluMask(reluOutput, dy, off, masked, b * len, len);
        g = masked;
        gOff = b * len;
      }
      Loops.addGradientSumsRow(g, gOff, x, off, coef, sumDy, sumDyX, len);
    }
    // dx = k * dy + a * x + bias per channel (see batchNormTrainBackward), expanded to positions
    float[] kE = coef, aE = sumDy, biasE = sumDyX; // reuses the sums' arrays once each channel is reduced
    for (int ch = c0; ch < c1; ch++) {
      int p = (ch - c0) * inner;
      double sDy = positionSum(sumDy, p, inner), sDyXhat = positionSum(sumDyX, p, inner) * invStd[ch];
      if (dGamma != null) {
        dGamma[ch] += (float) sDyXhat;
      }
      if (dBeta != null) {
        dBeta[ch] += (float) sDy;
      }
      float is = invStd[ch], k = (gamma == null ? 1f : gamma[ch]) * is;
      float meanDy = (float) (sDy / m), meanDyXhat = (float) (sDyXhat / m);
      float a = -k * is * meanDyXhat;
      float bias = -k * meanDy - a * mean[ch];
      for (int i = p; i < p + inner; i++) {
        kE[i] = k;
        aE[i] = a;
        biasE[i] = bias;
      }
    }
    if (dx == null) {
      return;
    }
    for (int b = 0; b < n; b++) {
      int off = (b * c + c0) * inner;
      Loops.linearRow(kE, masked == null ? dy : masked, masked == null ? off : b * len, aE, x, off, biasE, dx,
          accumulate, len);
    }
  }

  /** Sum of one channel's lane-wise partial sums, in position order. */
  private static double positionSum(float[] partial, int off, int inner) {
    double s = 0;
    for (int i = off; i < off + inner; i++) {
      s += partial[i];
    }
    return s;
  }

  /** dst[(ch - c0) * inner + i] = perChannel[ch] for every position i of channels [c0, c1). */
  private static void expand(float[] perChannel, int c0, int c1, int inner, float[] dst) {
    for (int ch = c0, p = 0; ch < c1; ch++) {
      for (int i = 0; i < inner; i++, p++) {
        dst[p] = perChannel[ch];
      }
    }
  }

  // ------------------------------------------------------------------ batch norm -> ReLU -> 2x2 max pool

  /**
   * True when the fused batch norm -> ReLU -> 2x2 stride-2 max pool kernels below can run (they use the
   * vectorised pooling of {@link PoolVector}; without it the three layers run one after the other).
   */
  public static boolean supportsReluMaxPool2x2() {
    return VectorSupport.ENABLED && PoolVector.supported();
  }

  /** How much longer than the pooled output the fused forward's {@code winners} array must be. */
  public static final int WINNERS_PADDING = 64;

  /**
   * Forward of {@code maxpool2x2(relu(batchnorm(x)))} for x [N, C, H, W], without writing the full-size
   * activation: per channel the statistics (training: computed into mean/var/invStd as in
   * {@link #batchNormTrainForward}; evaluation ({@code train} false): the given mean and var are used and
   * invStd is written), then each image's plane is pooled straight from x and mapped after pooling
   * ({@link PoolVector#affineReluMax2x2Plane}), or, where that does not apply (a zero or non-finite scale, a
   * non-finite input, a plane at the array's end), normalised and rectified into per-thread scratch and
   * pooled from there. Writes the pooled output {@code y} [N, C, H/2, W/2] and the winner's window code
   * (0..3, row-major, first maximum wins) into {@code window}, and, unless {@code winners} is null, the x at
   * each winner into {@code winners} (for the backward; {@link #WINNERS_PADDING} floats longer than y).
   * y equals the three layers one after the other bit for bit; the codes may differ only where the gradient
   * does not depend on them (see {@link PoolVector#affineReluMax2x2Plane}).
   */
  public static void batchNormReluMaxPool2x2Forward(float[] x, int n, int c, int h, int w, float[] gamma, float[] beta,
                                                    float eps, boolean train, float[] mean, float[] var,
                                                    float[] invStd, float[] y, byte[] window, float[] winners) {
    int inner = h * w, oh = h / 2, ow = w / 2, outPlane = oh * ow;
    float[] coef = poolStatistics(x, n, c, inner, gamma, beta, eps, train, mean, var, invStd);
    // planes in memory order (not channel by channel, which jumps C planes at a time), split across threads
    Parallel.forRange(n * c, 1, (p0, p1) -> {
      // padded so that no plane's last vector step crosses the array's end (PoolVector.vectorSafe)
      float[] scratch = Workspace.get(Workspace.NORM_GRAD, inner + 4 * PoolVector.V);
      for (int plane = p0; plane < p1; plane++) {
        float sc = coef[2 * (plane % c)], sh = coef[2 * (plane % c) + 1];
        if (sc != 0 && Float.isFinite(sc) && Float.isFinite(sh) && PoolVector.affineReluMax2x2Plane(w, oh, ow, x,
            plane * inner, sc, sh, y, window, winners, plane * outPlane)) {
          continue;
        }
        Loops.affineRelu(x, plane * inner, scratch, 0, inner, sc, sh);
        PoolVector.forward2x2Plane(h, w, oh, ow, scratch, 0, y, window, plane * outPlane);
        if (winners != null) {
          PoolVector.winners2x2Plane(w, oh, ow, x, plane * inner, window, plane * outPlane, winners, plane * outPlane);
        }
      }
    });
  }

  /**
   * The statistics of the fused batch norm / ReLU / pool forwards (training: computed into mean, var, invStd as
   * {@link #batchNormTrainForward} does; evaluation: invStd from the given var), and the per-channel affine map
   * {@code scale, shift} in a per-thread array of 2 C floats.
   */
  private static float[] poolStatistics(float[] x, int n, int c, int inner, float[] gamma, float[] beta, float eps,
                                        boolean train, float[] mean, float[] var, float[] invStd) {
    if (train) {
      Parallel.forRange(c, 1, (c0, c1) -> trainMoments(x, n, c, inner, eps, c0, c1, mean, var, invStd));
    }
    float[] coef = Workspace.get(Workspace.NORM_COEF, 2 * c); // per channel: scale, shift
    for (int ch = 0; ch < c; ch++) {
      if (!train) {
        invStd[ch] = (float) (1.0 / Math.sqrt(var[ch] + (double) eps));
      }
      float scale = (gamma == null ? 1f : gamma[ch]) * invStd[ch];
      coef[2 * ch] = scale;
      coef[2 * ch + 1] = (beta == null ? 0f : beta[ch]) - mean[ch] * scale;
    }
    return coef;
  }

  /**
   * Backward of {@link #batchNormReluMaxPool2x2Forward}. The gradient reaching the batch norm output is
   * {@code dy} at each window's winner where the pooled output is positive, 0 everywhere else, so the
   * channel sums run over the pooled arrays only: {@code dgamma += sum(g * xhat)}, {@code dbeta += sum(g)};
   * with batch statistics ({@code train}) {@code dx (+)= k * g + a * x + b} (the batch-norm input gradient of
   * {@link #batchNormTrainBackward} rewritten per channel), with fixed ones {@code dx (+)= k * g},
   * k = gamma * invStd; {@code winners} is the forward's (x at each window's winner). dx may be null (input
   * needs no gradient).
   */
  public static void batchNormReluMaxPool2x2Backward(float[] x, float[] dy, float[] y, byte[] window, float[] winners,
                                                     int n, int c,
                                                     int h, int w, float[] gamma, boolean train, float[] mean,
                                                     float[] invStd, float[] dx, boolean accumulate, float[] dGamma,
                                                     float[] dBeta) {
    int inner = h * w, oh = h / 2, ow = w / 2, outPlane = oh * ow;
    // the masked gradient g of every pooled output, kept for the input gradient (+ V floats of room for the
    // last plane's vector steps)
    float[] gAll = dx == null ? null : Workspace.get(Workspace.NORM_POOLED, n * c * outPlane + PoolVector.V);
    float[] coef = Workspace.get(Workspace.NORM_COEF, 3 * c);
    batchNormReluMaxPool2x2Sums(dy, y, winners, n, c, h, w, gamma, train, mean, invStd, dGamma, dBeta, coef, gAll);
    if (dx == null) {
      return;
    }
    // dx, planes in memory order
    Parallel.forRange(n * c, 1, (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int ch = pl % c, xb = pl * inner, yb = pl * outPlane;
        denseInputGradient(x, dx, xb, inner, coef, ch, train, accumulate);
        PoolVector.addRouted2x2Plane(w, oh, ow, gAll, yb, coef[3 * ch], window, yb, dx, xb);
      }
    });
  }

  /**
   * The part of a fused pool backward's input gradient that every value of plane {@code [xb, xb + inner)} gets:
   * {@code a * x + b} with batch statistics (coef[3 ch + 1], coef[3 ch + 2]), nothing with fixed ones; written,
   * or added when {@code accumulate}. The winners' {@code k * g} is added after it.
   */
  private static void denseInputGradient(float[] x, float[] dx, int xb, int inner, float[] coef, int ch,
                                         boolean train, boolean accumulate) {
    if (train) {
      Loops.affineInto(x, dx, xb, inner, coef[3 * ch + 1], coef[3 * ch + 2], accumulate);
    } else if (!accumulate) {
      java.util.Arrays.fill(dx, xb, xb + inner, 0f);
    }
  }

  /**
   * The channel sums of {@link #batchNormReluMaxPool2x2Backward}: {@code dgamma += sum(g * xhat)},
   * {@code dbeta += sum(g)} (either may be null), and per channel the coefficients of the batch norm's input
   * gradient {@code dx = k * g + a * x + b} into {@code coef[3 ch .. 3 ch + 2] = k, a, b} (a = b = 0 with fixed
   * statistics). {@code gAll}, when not null, receives the masked pooled gradient g of every output (V floats
   * longer than the pooled output).
   */
  static void batchNormReluMaxPool2x2Sums(float[] dy, float[] y, float[] winners, int n, int c, int h, int w,
                                          float[] gamma, boolean train, float[] mean, float[] invStd,
                                          float[] dGamma, float[] dBeta, float[] coef, float[] gAll) {
    reluMaxPoolSums(dy, y, winners, n, c, (h / 2) * (w / 2), n * h * w, gamma, train, mean, invStd, dGamma, dBeta,
        coef, gAll);
  }

  /**
   * {@link #batchNormReluMaxPool2x2Sums} for any max pool: {@code outPlane} pooled outputs per plane,
   * {@code m = N * H * W} values per channel before pooling.
   */
  private static void reluMaxPoolSums(float[] dy, float[] y, float[] winners, int n, int c, int outPlane, int m,
                                      float[] gamma, boolean train, float[] mean, float[] invStd,
                                      float[] dGamma, float[] dBeta, float[] coef, float[] gAll) {
    // channel by channel: the sums over the batch
    Parallel.forRange(c, 1, (c0, c1) -> {
      float[] scratch = gAll == null ? Workspace.get(Workspace.NORM_GRAD, outPlane) : null; // one plane's g
      for (int ch = c0; ch < c1; ch++) {
        float mu = mean[ch];
        double sumG = 0, sumGCentered = 0;
        for (int b = 0; b < n; b++) {
          int yb = (b * c + ch) * outPlane;
          float[] g = gAll == null ? scratch : gAll;
          int go = gAll == null ? 0 : yb;
          Loops.reluMask(y, dy, yb, g, go, outPlane); // ReLU's mask, read off the pooled output
          sumG += Loops.sum(g, go, outPlane);
          sumGCentered += Loops.dotCentered(winners, yb, g, go, outPlane, mu);
        }
        reluMaxPool2x2Coefficients(ch, sumG, sumGCentered, m, gamma, train, mean, invStd, dGamma, dBeta, coef);
      }
    });
  }

  /**
   * From channel ch's sums {@code sumG = sum(g)} and {@code sumGCentered = sum(g * (x - mean))} over the winners:
   * dgamma, dbeta (+=, either may be null) and coef[3 ch .. 3 ch + 2] = k, a, b (see
   * {@link #batchNormReluMaxPool2x2Sums}); m = N * H * W.
   */
  static void reluMaxPool2x2Coefficients(int ch, double sumG, double sumGCentered, int m, float[] gamma, boolean train,
                                         float[] mean, float[] invStd, float[] dGamma, float[] dBeta, float[] coef) {
    float is = invStd[ch];
    double sumGXhat = sumGCentered * is;
    if (dGamma != null) {
      dGamma[ch] += (float) sumGXhat;
    }
    if (dBeta != null) {
      dBeta[ch] += (float) sumG;
    }
    float k = (gamma == null ? 1f : gamma[ch]) * is;
    // batch statistics: dx = k * g + a * x + bias (see batchNormTrainBackward); fixed statistics: a = bias = 0
    float a = train ? (float) (-k * is * (sumGXhat / m)) : 0f;
    coef[3 * ch] = k;
    coef[3 * ch + 1] = a;
    coef[3 * ch + 2] = train ? (float) (-k * (sumG / m)) - a * mean[ch] : 0f;
  }

  // ------------------------------------------------------------------ batch norm -> ReLU -> any 2-D max pool

  /**
   * True when {@link #batchNormReluMaxPoolForward} can run for this max pool: the vector kernels are there and
   * the pool's planes suit {@link PoolNdVector#maxPlane} (narrow strided output rows, a small tap table: ResNet's
   * stem pool, 3x3 stride 2 padding 1, on 32x32 input). Other pools run after the fused batch norm / ReLU.
   */
  public static boolean supportsReluMaxPool(PoolNdGeometry g) {
    return VectorSupport.ENABLED && PoolNdVector.supported() && PoolNdVector.planeTapsPay(g);
  }

  /**
   * Forward of {@code maxpool(relu(batchnorm(x)))} for x [N, C, ...] and a max pool of geometry g (see
   * {@link #supportsReluMaxPool}), without writing the full-size activation. As
   * {@link #batchNormReluMaxPool2x2Forward}: statistics, then each plane is pooled straight from x and mapped
   * after pooling: the per-channel map {@code relu(x * scale + shift)} is monotone (its float rounding too),
   * increasing for scale > 0 and decreasing for scale < 0, so the window's largest (smallest) x gives its
   * largest output, bit for bit the value of the three layers one after the other. Windows may overlap. Where
   * the scale is 0 or a coefficient is not finite, or a pooled x is not finite, the plane is mapped into
   * per-thread scratch and pooled from there, as the separate layers do. Writes y, and, for the backward, the
   * winner's index inside its plane ({@code arg}) and the x there ({@code winners}): both arrays, or neither. The
   * winners agree with the separate layers' wherever the output is positive, except where rounding maps two
   * different x to one value (the separate layers then keep the first, this the larger: both subgradients).
   */
  public static void batchNormReluMaxPoolForward(float[] x, PoolNdGeometry g, float[] gamma, float[] beta, float eps,
                                                 boolean train, float[] mean, float[] var, float[] invStd, float[] y,
                                                 int[] arg, float[] winners) {
    int n = g.batch(), c = g.channels(), inner = g.inPlane(), outPlane = g.outPlane();
    float[] coef = poolStatistics(x, n, c, inner, gamma, beta, eps, train, mean, var, invStd);
    TapOffsets taps = PoolNdVector.planeTaps(g);
    Parallel.forRange(n * c, 1, (p0, p1) -> {
      float[] scratch = Workspace.get(Workspace.NORM_GRAD, Math.max(inner, 2 * outPlane));
      for (int plane = p0; plane < p1; plane++) {
        float sc = coef[2 * (plane % c)], sh = coef[2 * (plane % c) + 1];
        int xb = plane * inner, yb = plane * outPlane;
        // the window's x goes to winners, or to scratch when the caller keeps none (nor arg)
        float[] raw = winners != null ? winners : scratch;
        int rawOff = winners != null ? yb : 0;
        boolean mapped = false;
        if (sc != 0 && Float.isFinite(sc) && Float.isFinite(sh)) {
          PoolNdVector.maxPlane(taps, sc > 0 ? 1f : -1f, x, xb, raw, arg, rawOff);
          mapped = true;
          for (int o = 0; o < outPlane && mapped; o++) {
            float v = raw[rawOff + o];
            mapped = Float.isFinite(v);
            y[yb + o] = Math.max(v * sc + sh, 0f);
          }
        }
        if (!mapped) { // the separate layers' way: map the plane, then pool it
          Loops.affineRelu(x, xb, scratch, 0, inner, sc, sh);
          PoolNdVector.maxPlane(taps, 1f, scratch, 0, y, arg, yb);
          if (winners != null) {
            for (int o = 0; o < outPlane; o++) {
              winners[yb + o] = x[xb + arg[yb + o]];
            }
          }
        }
      }
    });
  }

  /**
   * Backward of {@link #batchNormReluMaxPoolForward}, as {@link #batchNormReluMaxPool2x2Backward}: the gradient
   * reaching the batch norm's output is dy at each window's winner where the pooled output is positive (summed
   * where overlapping windows share a winner), so the channel sums run over the pooled arrays only; then
   * {@code dx (+)= a * x + b} over the plane (batch statistics; nothing with fixed ones) and {@code k * g} added at
   * each winner. dx may be null (the input needs no gradient).
   */
  public static void batchNormReluMaxPoolBackward(float[] x, float[] dy, float[] y, int[] arg, float[] winners,
                                                  PoolNdGeometry g, float[] gamma, boolean train, float[] mean,
                                                  float[] invStd, float[] dx, boolean accumulate, float[] dGamma,
                                                  float[] dBeta) {
    int n = g.batch(), c = g.channels(), inner = g.inPlane(), outPlane = g.outPlane();
    float[] gAll = dx == null ? null : Workspace.get(Workspace.NORM_POOLED, n * c * outPlane + PoolVector.V);
    float[] coef = Workspace.get(Workspace.NORM_COEF, 3 * c);
    reluMaxPoolSums(dy, y, winners, n, c, outPlane, n * inner, gamma, train, mean, invStd, dGamma, dBeta, coef, gAll);
    if (dx == null) {
      return;
    }
    Parallel.forRange(n * c, 1, (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int ch = pl % c, xb = pl * inner, yb = pl * outPlane;
        denseInputGradient(x, dx, xb, inner, coef, ch, train, accumulate);
        float k = coef[3 * ch];
        for (int o = 0; o < outPlane; o++) {
          float gv = gAll[yb + o];
          if (gv != 0f) {
            dx[xb + arg[yb + o]] += k * gv;
          }
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
    if (inner <= SWEEP_MAX_INNER) {
      trainBackwardSweep(x, dy, reluOutput, n, c, inner, gamma, mean, invStd, dx, accumulate, dGamma, dBeta);
    } else {
      trainBackwardPlanes(x, dy, reluOutput, n, c, inner, gamma, mean, invStd, dx, accumulate, dGamma, dBeta);
    }
  }

  /** {@link #batchNormTrainBackward} one plane at a time (for planes larger than {@link #SWEEP_MAX_INNER}). */
  static void trainBackwardPlanes(float[] x, float[] dy, float[] reluOutput, int n, int c, int inner, float[] gamma,
                                  float[] mean, float[] invStd, float[] dx, boolean accumulate, float[] dGamma,
                                  float[] dBeta) {
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
      Loops.affineRelu(x, off, y, off, len, scale, shift);
    } else {
      for (int i = off, end = off + len; i < end; i++) {
        y[i] = x[i] * scale + shift;
      }
    }
  }
}
