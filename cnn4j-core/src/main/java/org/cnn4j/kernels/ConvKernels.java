package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Fast 2D convolution (NCHW input, OIHW weight), parallel over the batch (static chunks, one per thread)
 * with per-thread reused workspaces:
 * <ul>
 *   <li>tiny maps first: kernel taps that never read the input are trimmed ({@link ConvTapTrim}); a conv whose
 *       kernel then covers the whole input is one dense GEMM over the batch, and one whose every output reads the
 *       whole input through a kernel window is one GEMM per output position ({@link ConvDense});</li>
 *   <li>1x1, stride 1, no padding, at least {@link ConvPointwise#MIN_POSITIONS} positions (forward and input
 *       gradient): {@link ConvPointwise}, one GEMM per image straight on the NCHW arrays; the weight gradient stays
 *       on the paths below, which put several images side by side for a longer GEMM k;</li>
 *   <li>3x3, stride 1, at least {@link ConvWinograd#MIN_CHANNELS} channels in and out: Winograd F(2x2, 3x3)
 *       ({@link ConvWinograd}) for the forward and input gradient, and for the weight gradient where
 *       {@link ConvWinograd#weightGradientPays} (many channels, or no implicit GEMM);</li>
 *   <li>stride 1 (when the junk columns cost little): {@link ConvShifted}, an implicit GEMM that reads the
 *       im2col rows straight out of the (padded) image, packs the weights once per call, and computes the
 *       input gradient as a forward pass with the flipped kernel;</li>
 *   <li>otherwise: im2col of a group of images side by side ({@code [K, G*P]}, G chosen so that
 *       {@code G*P >= 256}) and one serial {@link Gemm} per group, so small spatial sizes (ResNet's 8x8 and
 *       4x4 stages, stride 2, 1x1 downsampling) still get long GEMMs.</li>
 * </ul>
 * With fewer images than threads (and outside a pool body) the images run one by one and the GEMM itself is
 * parallel. Results are deterministic for a given thread count. {@link ConvReference} is the plain reference.
 */
public final class ConvKernels {
  private ConvKernels() {}

  /** Per-chunk partial weight gradients for the deterministic reduction (owned by the calling thread). */
  private static final ChunkPartials PARTIALS = new ChunkPartials();

  /** y[N,O,outH,outW] = conv(x[N,C,H,W], w[O,C,kh,kw]) + bias[O] (bias may be null); y overwritten. */
  public static void conv2dForward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    conv2dForward(g, x, w, bias, y, false);
  }

  /**
   * As {@link #conv2dForward(Conv2dGeometry, float[], float[], float[], float[])}, then y = max(y, 0) when
   * {@code relu} (fused into the output write where the fast path allows).
   */
  public static void conv2dForward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
    conv2dForward(g, x, w, bias, y, relu, null);
  }

  /**
   * As {@link #conv2dForward(Conv2dGeometry, float[], float[], float[], float[], boolean)}, keeping the reshaped
   * weight it derives (if any) in {@code views} for {@link #conv2dBackwardInput(Conv2dGeometry, float[], float[],
   * float[], WeightViews)} of the same step; views may be null.
   */
  public static void conv2dForward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu,
                                   WeightViews views) {
    check(g, x, "x", g.batch() * g.inPlane());
    check(g, w, "w", g.outChannels() * g.patchSize());
    check(g, y, "y", g.batch() * g.outPlane());
    if (bias != null) {
      check(g, bias, "bias", g.outChannels());
    }
    Conv2dGeometry t = ConvTapTrim.trim(g);
    if (t != null) {
      conv2dForward(t, x, ConvTapTrim.sliceWeights(g, t, w, views), bias, y, relu, null);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.applies(g)) {
      ConvDense.forward(g, x, w, bias, y, relu);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.appliesPerPosition(g)) {
      ConvDense.forwardPerPosition(g, x, w, bias, y, relu, views);
      return;
    }
    if (ConvPointwise.applies(g)) {
      ConvPointwise.forward(g, x, w, bias, y, relu);
      return;
    }
    if (useWinograd(g)) {
      ConvWinograd.forward(g, x, w, bias, y, relu);
      return;
    }
    if (useShifted(g)) {
      ConvShifted.forward(g, x, w, bias, y, relu);
      return;
    }
    if (useBatchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> forwardGroups(g, x, w, bias, y, relu, s, e));
      return;
    }
    for (int n = 0; n < g.batch(); n++) {
      forwardImage(g, x, w, bias, y, n, true);
    }
    if (relu) {
      int len = g.batch() * g.outPlane();
      for (int i = 0; i < len; i++) {
        y[i] = Math.max(y[i], 0f);
      }
    }
  }

  /** dx[N,C,H,W] = gradient with respect to the input; dx overwritten. */
  public static void conv2dBackwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    conv2dBackwardInput(g, dy, w, dx, null);
  }

  /** As above, reusing the reshaped weight the forward kept in {@code views} (may be null). */
  public static void conv2dBackwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx, WeightViews views) {
    check(g, dy, "dy", g.batch() * g.outPlane());
    check(g, w, "w", g.outChannels() * g.patchSize());
    check(g, dx, "dx", g.batch() * g.inPlane());
    Conv2dGeometry t = ConvTapTrim.trim(g);
    if (t != null) {
      conv2dBackwardInput(t, dy, ConvTapTrim.sliceWeights(g, t, w, views), dx, null);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.applies(g)) {
      ConvDense.backwardInput(g, dy, w, dx);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.appliesPerPosition(g)) {
      ConvDense.backwardInputPerPosition(g, dy, w, dx, views);
      return;
    }
    if (ConvPointwise.applies(g)) {
      ConvPointwise.backwardInput(g, dy, w, dx);
      return;
    }
    if (useWinograd(g)) {
      ConvWinograd.backwardInput(g, dy, w, dx);
      return;
    }
    if (useShifted(g)) {
      ConvShifted.backwardInput(g, dy, w, dx);
      return;
    }
    if (useBatchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> backwardInputGroups(g, dy, w, dx, s, e));
    } else {
      for (int n = 0; n < g.batch(); n++) {
        backwardInputImage(g, dy, w, dx, n, true);
      }
    }
  }

  /** dw += gradient with respect to the weight, dBias += gradient w.r.t. the bias (dBias may be null). */
  public static void conv2dBackwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    conv2dBackwardWeight(g, x, dy, dw, false, dBias);
  }

  /**
   * As {@link #conv2dBackwardWeight(Conv2dGeometry, float[], float[], float[], float[])}, with dw overwritten
   * instead of added to when {@code overwriteDw} (its contents on entry are then ignored). A fresh gradient
   * needs no zero fill first: the GEMM paths write with beta = 0 and the windowed ones write dw block by block;
   * the rest zero it here. dBias is always added to.
   */
  public static void conv2dBackwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, boolean overwriteDw,
                                          float[] dBias) {
    check(g, x, "x", g.batch() * g.inPlane());
    check(g, dy, "dy", g.batch() * g.outPlane());
    check(g, dw, "dw", g.outChannels() * g.patchSize());
    if (dBias != null) {
      check(g, dBias, "dBias", g.outChannels());
    }
    Conv2dGeometry t = ConvTapTrim.trim(g);
    if (t != null) {
      float[] dwt = ConvTapTrim.gradBuffer(t);
      conv2dBackwardWeight(t, x, dy, dwt, true, dBias);
      ConvTapTrim.putGrad(g, t, dwt, dw, overwriteDw);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.applies(g)) {
      ConvDense.backwardWeight(g, x, dy, dw, overwriteDw, dBias);
      return;
    }
    if (VectorSupport.ENABLED && ConvDense.appliesPerPosition(g)) {
      ConvDense.backwardWeightPerPosition(g, x, dy, dw, overwriteDw, dBias);
      return;
    }
    if (useWinograd(g) && ConvWinograd.weightGradientPays(g)) {
      ConvWinograd.backwardWeight(g, x, dy, dw, overwriteDw, dBias);
      return;
    }
    int O = g.outChannels();
    int wSize = O * g.patchSize();
    if (useShifted(g)) {
      if (overwriteDw) {
        Arrays.fill(dw, 0, wSize, 0f);
      }
      int chunks = Parallel.chunks(g.batch(), 1);
      int partSize = ConvShifted.partialSize(g);
      float[][] parts = PARTIALS.get(chunks, partSize);
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        float[] part = parts[Parallel.chunkIndex(g.batch(), chunks, s)];
        Arrays.fill(part, 0, partSize, 0f);
        ConvShifted.backwardWeightChunk(g, x, dy, part, s, e);
      });
      for (int c = 0; c < chunks; c++) {
        ConvShifted.addPartial(g, parts[c], dw, dBias);
      }
      return;
    }
    if (useBatchParallel(g)) {
      int chunks = Parallel.chunks(g.batch(), 1);
      int partSize = wSize + O;
      float[][] parts = PARTIALS.get(chunks, partSize);
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        int chunk = Parallel.chunkIndex(g.batch(), chunks, s);
        float[] part = parts[chunk];
        Arrays.fill(part, 0, partSize, 0f);
        backwardWeightGroups(g, x, dy, part, wSize, s, e);
      });
      // deterministic reduction in chunk order, split over the weight (disjoint ranges: ResNet-18's strided
      // layers have up to 295K weights, a serial stretch of ~0.3 ms each)
      Parallel.forRange(wSize, 1 << 14, (i0, i1) -> {
        for (int i = i0; i < i1; i++) {
          float sum = overwriteDw ? 0f : dw[i];
          for (int c = 0; c < chunks; c++) {
            sum += parts[c][i];
          }
          dw[i] = sum;
        }
      });
      if (dBias != null) {
        for (int c = 0; c < chunks; c++) {
          for (int o = 0; o < O; o++) {
            dBias[o] += parts[c][wSize + o];
          }
        }
      }
    } else {
      if (overwriteDw) {
        Arrays.fill(dw, 0, wSize, 0f);
      }
      float[] bacc = dBias;
      for (int n = 0; n < g.batch(); n++) {
        backwardWeightImage(g, x, dy, dw, 0, bacc, 0, n, true);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static boolean useBatchParallel(Conv2dGeometry g) {
    return g.batch() >= Parallel.threads() || Parallel.inWorker();
  }

  /** Stride-1 implicit GEMM ({@link ConvShifted}); switch off with -Dcnn4j.conv.shifted=false. */
  private static final boolean SHIFTED = !"false".equals(System.getProperty("cnn4j.conv.shifted"));

  /** 3x3 stride 1 with enough channels: Winograd F(2x2, 3x3) ({@link ConvWinograd}). */
  private static boolean useWinograd(Conv2dGeometry g) {
    return VectorSupport.ENABLED && useBatchParallel(g) && ConvWinograd.applies(g);
  }

  private static boolean useShifted(Conv2dGeometry g) {
    return SHIFTED && VectorSupport.ENABLED && useBatchParallel(g) && ConvShifted.applies(g);
  }

  static boolean isPointwise(Conv2dGeometry g) {
    return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padTop() == 0
        && g.padLeft() == 0 && g.padBottom() == 0 && g.padRight() == 0;
  }

  /**
   * Images per GEMM in the batched im2col path: enough columns (>= 256) for full tiles and a long N loop,
   * with the im2col block kept within 8 MB.
   */
  static int groupSize(Conv2dGeometry g, int chunkLen) {
    int P = g.outH() * g.outW();
    long K = g.patchSize();
    int G = Math.max(1, (256 + P - 1) / P);
    while (G > 1 && K * G * P > (1L << 21)) {
      G--;
    }
    return Math.max(1, Math.min(G, chunkLen));
  }

  /** Images [s, e): im2col of G images side by side ([K, G*P]), one GEMM, then scatter (+bias, ReLU). */
  private static void forwardGroups(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu,
                                    int s, int e) {
    int O = g.outChannels(), K = g.patchSize(), P = g.outH() * g.outW();
    int G = groupSize(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    float[] out = Workspace.get(Workspace.CONV_COL2, O * G * P);
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      for (int i = 0; i < gn; i++) {
        im2col(g, x, (n0 + i) * g.inPlane(), col, i * P, N);
      }
      Gemm.sgemmSerial(false, false, O, N, K, 1f, w, 0, K, col, 0, N, 0f, out, 0, N);
      for (int i = 0; i < gn; i++) {
        int yOff = (n0 + i) * g.outPlane();
        for (int o = 0; o < O; o++) {
          float b = bias == null ? 0f : bias[o];
          int src = o * N + i * P, dst = yOff + o * P;
          if (relu) {
            for (int p = 0; p < P; p++) {
              y[dst + p] = Math.max(out[src + p] + b, 0f);
            }
          } else {
            for (int p = 0; p < P; p++) {
              y[dst + p] = out[src + p] + b;
            }
          }
        }
      }
    }
  }

  /** dy of images [n0, n0+gn) gathered side by side: dyG[o*N + i*P + p]. */
  private static float[] gatherDy(Conv2dGeometry g, float[] dy, int n0, int gn) {
    int O = g.outChannels(), P = g.outH() * g.outW(), N = gn * P;
    float[] dyG = Workspace.get(Workspace.CONV_COL2, O * N);
    for (int i = 0; i < gn; i++) {
      int dyOff = (n0 + i) * g.outPlane();
      for (int o = 0; o < O; o++) {
        System.arraycopy(dy, dyOff + o * P, dyG, o * N + i * P, P);
      }
    }
    return dyG;
  }

  private static void backwardInputGroups(Conv2dGeometry g, float[] dy, float[] w, float[] dx, int s, int e) {
    int O = g.outChannels(), K = g.patchSize(), P = g.outH() * g.outW();
    int G = groupSize(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      float[] dyG = gatherDy(g, dy, n0, gn);
      Gemm.sgemmSerial(true, false, K, N, O, 1f, w, 0, K, dyG, 0, N, 0f, col, 0, N);
      for (int i = 0; i < gn; i++) {
        col2im(g, col, i * P, N, dx, (n0 + i) * g.inPlane());
      }
    }
  }

  /** part[0, O*K) += dW and part[dbOff, dbOff+O) += dBias over images [s, e). */
  private static void backwardWeightGroups(Conv2dGeometry g, float[] x, float[] dy, float[] part, int dbOff, int s,
                                           int e) {
    int O = g.outChannels(), K = g.patchSize(), P = g.outH() * g.outW();
    int G = groupSize(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      for (int i = 0; i < gn; i++) {
        im2col(g, x, (n0 + i) * g.inPlane(), col, i * P, N);
      }
      float[] dyG = gatherDy(g, dy, n0, gn);
      Gemm.sgemmSerial(false, true, O, K, N, 1f, dyG, 0, N, col, 0, N, 1f, part, 0, K);
      for (int o = 0; o < O; o++) {
        part[dbOff + o] += rowSum(dyG, o * N, N);
      }
    }
  }

  private static float rowSum(float[] a, int off, int len) {
    if (VectorSupport.ENABLED) {
      return ConvShifted.sum(a, off, len);
    }
    return scalarSum(a, off, len);
  }

  /** The scalar sum of a[off, off + len): 4 independent partial sums, added in a fixed order. */
  static float scalarSum(float[] a, int off, int len) {
    // 4 independent partial sums (the latency of one chain would dominate)
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      s0 += a[off + i];
      s1 += a[off + i + 1];
      s2 += a[off + i + 2];
      s3 += a[off + i + 3];
    }
    for (; i < len; i++) {
      s0 += a[off + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static void forwardImage(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, int n,
                                   boolean parallelGemm) {
    int O = g.outChannels();
    int P = g.outH() * g.outW();
    int K = g.patchSize();
    int xOff = n * g.inPlane();
    int yOff = n * g.outPlane();
    float beta = 0f;
    if (bias != null) {
      for (int o = 0; o < O; o++) {
        Arrays.fill(y, yOff + o * P, yOff + (o + 1) * P, bias[o]);
      }
      beta = 1f;
    }
    if (isPointwise(g)) {
      Gemm.multiply(parallelGemm, false, false, O, P, K, w, 0, K, x, xOff, P, beta, y, yOff, P);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      im2col(g, x, xOff, col);
      Gemm.multiply(parallelGemm, false, false, O, P, K, w, 0, K, col, 0, P, beta, y, yOff, P);
    }
  }

  private static void backwardInputImage(Conv2dGeometry g, float[] dy, float[] w, float[] dx, int n,
                                         boolean parallelGemm) {
    int O = g.outChannels();
    int P = g.outH() * g.outW();
    int K = g.patchSize();
    int dxOff = n * g.inPlane();
    int dyOff = n * g.outPlane();
    if (isPointwise(g)) {
      Gemm.multiply(parallelGemm, true, false, K, P, O, w, 0, K, dy, dyOff, P, 0f, dx, dxOff, P);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      Gemm.multiply(parallelGemm, true, false, K, P, O, w, 0, K, dy, dyOff, P, 0f, col, 0, P);
      col2im(g, col, dx, dxOff);
    }
  }

  private static void backwardWeightImage(Conv2dGeometry g, float[] x, float[] dy, float[] dw, int dwOff,
                                          float[] db, int dbOff, int n, boolean parallelGemm) {
    int O = g.outChannels();
    int P = g.outH() * g.outW();
    int K = g.patchSize();
    int xOff = n * g.inPlane();
    int dyOff = n * g.outPlane();
    if (isPointwise(g)) {
      Gemm.multiply(parallelGemm, false, true, O, K, P, dy, dyOff, P, x, xOff, P, 1f, dw, dwOff, K);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      im2col(g, x, xOff, col);
      Gemm.multiply(parallelGemm, false, true, O, K, P, dy, dyOff, P, col, 0, P, 1f, dw, dwOff, K);
    }
    if (db != null) {
      for (int o = 0; o < O; o++) {
        db[dbOff + o] += rowSum(dy, dyOff + o * P, P);
      }
    }
  }

  /** col[(c*KH+ki)*KW+kj][oh*OW+ow] = x[c][oh*sh-padTop+ki][ow*sw-padLeft+kj] (0 outside). */
  static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] col) {
    im2col(g, x, xOff, col, 0, g.outH() * g.outW());
  }

  /** As {@link #im2col(Conv2dGeometry, float[], int, float[])} into col[colOff + row * ldCol + p]. */
  static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] col, int colOff, int ldCol) {
    if (VectorSupport.ENABLED && Im2colVector.pays(g)) {
      Im2colVector.im2col(g, x, xOff, col, colOff, ldCol);
      return;
    }
    im2colScalar(g, x, xOff, col, colOff, ldCol);
  }

  /** The scalar im2col, one output row at a time (stride-1 rows as bulk copies): the reference, and long rows. */
  static void im2colScalar(Conv2dGeometry g, float[] x, int xOff, float[] col, int colOff, int ldCol) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), KH = g.kernelH(), KW = g.kernelW();
    int OH = g.outH(), OW = g.outW(), sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
    int P = OH * OW;
    int row = 0;
    for (int c = 0; c < C; c++) {
      int xc = xOff + c * H * W;
      for (int ki = 0; ki < KH; ki++) {
        for (int kj = 0; kj < KW; kj++, row++) {
          int base = colOff + row * ldCol;
          // valid ow range: 0 <= ow*sw - pl + kj < W; clamped to OW, or a tap that lies wholly in the left
          // padding (pl - kj > sw * (OW - 1)) would write zeros past the row's OW positions
          int owLo = Math.min(OW, Math.max(0, ceilDiv(pl - kj, sw)));
          int owHi = Math.min(OW, floorDiv(W - 1 + pl - kj, sw) + 1); // exclusive
          if (owHi < owLo) {
            owHi = owLo;
          }
          for (int oh = 0; oh < OH; oh++) {
            int ih = oh * sh - pt + ki;
            int dst = base + oh * OW;
            if (ih < 0 || ih >= H) {
              for (int ow = 0; ow < OW; ow++) {
                col[dst + ow] = 0f;
              }
              continue;
            }
            for (int ow = 0; ow < owLo; ow++) {
              col[dst + ow] = 0f;
            }
            int src = xc + ih * W - pl + kj;
            if (sw == 1) {
              if (owHi - owLo > 16) {
                System.arraycopy(x, src + owLo, col, dst + owLo, owHi - owLo);
              } else {
                // short rows (ResNet's 8x8..2x2 maps): a plain loop beats the arraycopy call
                for (int ow = owLo; ow < owHi; ow++) {
                  col[dst + ow] = x[src + ow];
                }
              }
            } else {
              for (int ow = owLo; ow < owHi; ow++) {
                col[dst + ow] = x[src + ow * sw];
              }
            }
            for (int ow = owHi; ow < OW; ow++) {
              col[dst + ow] = 0f;
            }
          }
        }
      }
    }
  }

  /** dx[c][ih][iw] = sum of col entries that im2col copied from there; dx overwritten for this image. */
  static void col2im(Conv2dGeometry g, float[] col, float[] dx, int dxOff) {
    col2im(g, col, 0, g.outH() * g.outW(), dx, dxOff);
  }

  /** As {@link #col2im(Conv2dGeometry, float[], float[], int)} reading col[colOff + row * ldCol + p]. */
  static void col2im(Conv2dGeometry g, float[] col, int colOff, int ldCol, float[] dx, int dxOff) {
    if (VectorSupport.ENABLED && Im2colVector.paysBackward(g)) {
      Im2colVector.col2im(g, col, colOff, ldCol, dx, dxOff);
      return;
    }
    col2imScalar(g, col, colOff, ldCol, dx, dxOff);
  }

  /** The scalar col2im: the reference for {@link Im2colVector#col2im}, and the path for long rows and tiny maps. */
  static void col2imScalar(Conv2dGeometry g, float[] col, int colOff, int ldCol, float[] dx, int dxOff) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), KH = g.kernelH(), KW = g.kernelW();
    int OH = g.outH(), OW = g.outW(), sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
    int P = OH * OW;
    Arrays.fill(dx, dxOff, dxOff + C * H * W, 0f);
    int row = 0;
    for (int c = 0; c < C; c++) {
      int xc = dxOff + c * H * W;
      for (int ki = 0; ki < KH; ki++) {
        for (int kj = 0; kj < KW; kj++, row++) {
          int base = colOff + row * ldCol;
          int owLo = Math.min(OW, Math.max(0, ceilDiv(pl - kj, sw)));
          int owHi = Math.min(OW, floorDiv(W - 1 + pl - kj, sw) + 1);
          for (int oh = 0; oh < OH; oh++) {
            int ih = oh * sh - pt + ki;
            if (ih < 0 || ih >= H) {
              continue;
            }
            int src = base + oh * OW;
            int dst = xc + ih * W - pl + kj;
            if (sw == 1) {
              for (int ow = owLo; ow < owHi; ow++) {
                dx[dst + ow] += col[src + ow];
              }
            } else {
              for (int ow = owLo; ow < owHi; ow++) {
                dx[dst + ow * sw] += col[src + ow];
              }
            }
          }
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  private static int floorDiv(int a, int b) {
    return Math.floorDiv(a, b);
  }

  private static void check(Conv2dGeometry g, float[] a, String name, long need) {
    if (a == null) {
      throw new IllegalArgumentException("conv2d: " + name + " is null for " + g);
    }
    if (a.length < need) {
      throw new IllegalArgumentException("conv2d: " + name + " has " + a.length + " elements, needs " + need
          + " for " + g);
    }
  }
}
