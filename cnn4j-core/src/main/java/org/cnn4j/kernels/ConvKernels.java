package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Fast 2D convolution (NCHW input, OIHW weight): im2col + {@link Gemm}, parallel over the batch with
 * per-thread reused workspaces and a serial GEMM inside; a 1x1 stride-1 unpadded convolution is a GEMM
 * with no im2col. With fewer images than threads the images run one by one and the GEMM itself is
 * parallel. {@link ConvReference} is the plain reference.
 */
public final class ConvKernels {
  private ConvKernels() {}

  /** Per-chunk partial weight gradients for the deterministic reduction (owned by the calling thread). */
  private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[0][]);

  /** y[N,O,outH,outW] = conv(x[N,C,H,W], w[O,C,kh,kw]) + bias[O] (bias may be null); y overwritten. */
  public static void conv2dForward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    check(g, x, "x", g.batch() * g.inPlane());
    check(g, w, "w", g.outChannels() * g.patchSize());
    check(g, y, "y", g.batch() * g.outPlane());
    if (bias != null) {
      check(g, bias, "bias", g.outChannels());
    }
    if (useBatchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        for (int n = s; n < e; n++) {
          forwardImage(g, x, w, bias, y, n, false);
        }
      });
    } else {
      for (int n = 0; n < g.batch(); n++) {
        forwardImage(g, x, w, bias, y, n, true);
      }
    }
  }

  /** dx[N,C,H,W] = gradient with respect to the input; dx overwritten. */
  public static void conv2dBackwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    check(g, dy, "dy", g.batch() * g.outPlane());
    check(g, w, "w", g.outChannels() * g.patchSize());
    check(g, dx, "dx", g.batch() * g.inPlane());
    if (useBatchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        for (int n = s; n < e; n++) {
          backwardInputImage(g, dy, w, dx, n, false);
        }
      });
    } else {
      for (int n = 0; n < g.batch(); n++) {
        backwardInputImage(g, dy, w, dx, n, true);
      }
    }
  }

  /** dw += gradient with respect to the weight, dBias += gradient w.r.t. the bias (dBias may be null). */
  public static void conv2dBackwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    check(g, x, "x", g.batch() * g.inPlane());
    check(g, dy, "dy", g.batch() * g.outPlane());
    check(g, dw, "dw", g.outChannels() * g.patchSize());
    if (dBias != null) {
      check(g, dBias, "dBias", g.outChannels());
    }
    int O = g.outChannels();
    int wSize = O * g.patchSize();
    if (useBatchParallel(g)) {
      int chunks = Parallel.chunks(g.batch(), 1);
      int partSize = wSize + O;
      float[][] parts = partials(chunks, partSize);
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        int chunk = chunkIndex(g.batch(), chunks, s);
        float[] part = parts[chunk];
        Arrays.fill(part, 0, partSize, 0f);
        for (int n = s; n < e; n++) {
          backwardWeightImage(g, x, dy, part, 0, part, wSize, n, false);
        }
      });
      // deterministic reduction in chunk order
      for (int c = 0; c < chunks; c++) {
        float[] part = parts[c];
        for (int i = 0; i < wSize; i++) {
          dw[i] += part[i];
        }
        if (dBias != null) {
          for (int o = 0; o < O; o++) {
            dBias[o] += part[wSize + o];
          }
        }
      }
    } else {
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

  private static int chunkIndex(int n, int chunks, int start) {
    for (int c = 0; c < chunks; c++) {
      if (Parallel.chunkStart(n, chunks, c) == start) {
        return c;
      }
    }
    throw new IllegalStateException("unknown chunk start " + start);
  }

  private static float[][] partials(int chunks, int size) {
    float[][] p = PARTIALS.get();
    if (p.length < chunks) {
      p = Arrays.copyOf(p, chunks);
      PARTIALS.set(p);
    }
    for (int i = 0; i < chunks; i++) {
      if (p[i] == null || p[i].length < size) {
        p[i] = new float[size];
      }
    }
    return p;
  }

  static boolean isPointwise(Conv2dGeometry g) {
    return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padTop() == 0
        && g.padLeft() == 0 && g.padBottom() == 0 && g.padRight() == 0;
  }

  private static void gemm(boolean parallel, boolean tA, boolean tB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                           float[] c, int cOff, int ldc) {
    if (parallel) {
      Gemm.sgemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      Gemm.sgemmSerial(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
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
      gemm(parallelGemm, false, false, O, P, K, 1f, w, 0, K, x, xOff, P, beta, y, yOff, P);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      im2col(g, x, xOff, col);
      gemm(parallelGemm, false, false, O, P, K, 1f, w, 0, K, col, 0, P, beta, y, yOff, P);
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
      gemm(parallelGemm, true, false, K, P, O, 1f, w, 0, K, dy, dyOff, P, 0f, dx, dxOff, P);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      gemm(parallelGemm, true, false, K, P, O, 1f, w, 0, K, dy, dyOff, P, 0f, col, 0, P);
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
      gemm(parallelGemm, false, true, O, K, P, 1f, dy, dyOff, P, x, xOff, P, 1f, dw, dwOff, K);
    } else {
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      im2col(g, x, xOff, col);
      gemm(parallelGemm, false, true, O, K, P, 1f, dy, dyOff, P, col, 0, P, 1f, dw, dwOff, K);
    }
    if (db != null) {
      for (int o = 0; o < O; o++) {
        int base = dyOff + o * P;
        float s = 0f;
        for (int p = 0; p < P; p++) {
          s += dy[base + p];
        }
        db[dbOff + o] += s;
      }
    }
  }

  /** col[(c*KH+ki)*KW+kj][oh*OW+ow] = x[c][oh*sh-padTop+ki][ow*sw-padLeft+kj] (0 outside). */
  static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] col) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), KH = g.kernelH(), KW = g.kernelW();
    int OH = g.outH(), OW = g.outW(), sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
    int P = OH * OW;
    int row = 0;
    for (int c = 0; c < C; c++) {
      int xc = xOff + c * H * W;
      for (int ki = 0; ki < KH; ki++) {
        for (int kj = 0; kj < KW; kj++, row++) {
          int base = row * P;
          // valid ow range: 0 <= ow*sw - pl + kj < W
          int owLo = Math.max(0, ceilDiv(pl - kj, sw));
          int owHi = Math.min(OW, floorDiv(W - 1 + pl - kj, sw) + 1); // exclusive
          if (owHi < owLo) {
            owHi = owLo;
          }
          for (int oh = 0; oh < OH; oh++) {
            int ih = oh * sh - pt + ki;
            int dst = base + oh * OW;
            if (ih < 0 || ih >= H) {
              Arrays.fill(col, dst, dst + OW, 0f);
              continue;
            }
            if (owLo > 0) {
              Arrays.fill(col, dst, dst + owLo, 0f);
            }
            int src = xc + ih * W - pl + kj;
            if (sw == 1) {
              if (owHi > owLo) {
                System.arraycopy(x, src + owLo, col, dst + owLo, owHi - owLo);
              }
            } else {
              for (int ow = owLo; ow < owHi; ow++) {
                col[dst + ow] = x[src + ow * sw];
              }
            }
            if (owHi < OW) {
              Arrays.fill(col, dst + owHi, dst + OW, 0f);
            }
          }
        }
      }
    }
  }

  /** dx[c][ih][iw] = sum of col entries that im2col copied from there; dx overwritten for this image. */
  static void col2im(Conv2dGeometry g, float[] col, float[] dx, int dxOff) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), KH = g.kernelH(), KW = g.kernelW();
    int OH = g.outH(), OW = g.outW(), sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
    int P = OH * OW;
    Arrays.fill(dx, dxOff, dxOff + C * H * W, 0f);
    int row = 0;
    for (int c = 0; c < C; c++) {
      int xc = dxOff + c * H * W;
      for (int ki = 0; ki < KH; ki++) {
        for (int kj = 0; kj < KW; kj++, row++) {
          int base = row * P;
          int owLo = Math.max(0, ceilDiv(pl - kj, sw));
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
