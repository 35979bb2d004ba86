package org.cnn4j.kernels;

/**
 * A convolution whose (trimmed) kernel covers the whole unpadded input, e.g. ResNet-18's layer4 at 32x32 input
 * (3x3 p1 on a 1x1 map, trimmed to its centre tap by {@link ConvTapTrim}) or a 2x2 s2 conv on a 2x2 map: the
 * output is 1x1 and the patch of image n is exactly its NCHW slice {@code x[n*K, (n+1)*K)} with the weight's
 * OIHW order, so the conv is a dense layer over the whole batch: {@code y[N,O] = x[N,K] w[O,K]^T}. One (parallel)
 * GEMM per pass instead of per-chunk GEMMs with 32 columns and an im2col/scatter around them.
 */
final class ConvDense {
  private ConvDense() {}

  static final boolean ENABLED = !"false".equals(System.getProperty("cnn4j.conv.dense"));

  static boolean applies(Conv2dGeometry g) {
    return ENABLED && g.kernelH() == g.inH() && g.kernelW() == g.inW() && g.padTop() == 0 && g.padLeft() == 0
        && g.padBottom() == 0 && g.padRight() == 0;
  }

  static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
    int N = g.batch(), O = g.outChannels(), K = g.patchSize();
    Gemm.sgemm(false, true, N, O, K, 1f, x, 0, K, w, 0, K, 0f, y, 0, O);
    if (bias != null || relu) {
      for (int n = 0; n < N; n++) {
        int r = n * O;
        for (int o = 0; o < O; o++) {
          float v = bias == null ? y[r + o] : y[r + o] + bias[o];
          y[r + o] = relu ? Math.max(v, 0f) : v;
        }
      }
    }
  }

  static void backwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    int N = g.batch(), O = g.outChannels(), K = g.patchSize();
    Gemm.sgemm(false, false, N, K, O, 1f, dy, 0, O, w, 0, K, 0f, dx, 0, K);
  }

  /** dw (+)= dy^T x, dBias += column sums of dy (in image order: deterministic). */
  static void backwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, boolean overwriteDw, float[] dBias) {
    int N = g.batch(), O = g.outChannels(), K = g.patchSize();
    Gemm.sgemm(true, false, O, K, N, 1f, dy, 0, O, x, 0, K, overwriteDw ? 0f : 1f, dw, 0, K);
    if (dBias != null) {
      for (int n = 0; n < N; n++) {
        int r = n * O;
        for (int o = 0; o < O; o++) {
          dBias[o] += dy[r + o];
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Per output position: every output reads the whole (tiny) input through an H x W window of the kernel
  // (ResNet-18's layer3 at 32x32 input: 3x3 p1 on 2x2, each output uses 4 of the 9 taps). For output position p
  // the conv is y[:, :, p] = x[N, C*H*W] w_p[O, C*H*W]^T with w_p the kernel window of p: P dense GEMMs with
  // K = C*H*W instead of one im2col GEMM with K = C*KH*KW, and no zero taps multiplied.

  private static final ThreadLocal<float[][]> BUF = ThreadLocal.withInitial(() -> new float[3][0]);

  private static float[] buf(int slot, int size) {
    float[][] b = BUF.get();
    if (b[slot].length < size) {
      b[slot] = new float[size];
    }
    return b[slot];
  }

  /** True when every output position's kernel window covers exactly the whole unpadded input. */
  static boolean appliesPerPosition(Conv2dGeometry g) {
    if (!ENABLED || g.outH() * g.outW() > 16 || g.outH() * g.outW() < 2) {
      return false;
    }
    for (int oh = 0; oh < g.outH(); oh++) {
      int k0 = g.padTop() - oh * g.strideH();
      if (k0 < 0 || k0 + g.inH() > g.kernelH()) {
        return false;
      }
    }
    for (int ow = 0; ow < g.outW(); ow++) {
      int k0 = g.padLeft() - ow * g.strideW();
      if (k0 < 0 || k0 + g.inW() > g.kernelW()) {
        return false;
      }
    }
    return true;
  }

  /**
   * All P windows in one pass over w: out[p*R*H*W + (r*H + i)*W + j] = w[r][ki0(p)+i][kj0(p)+j] with r = (o, c);
   * kept in {@code views} when given (derived once per forward), otherwise in a per-thread buffer.
   */
  private static float[] windows(Conv2dGeometry g, float[] w, WeightViews views) {
    int n = g.outH() * g.outW() * g.outChannels() * g.inChannels() * g.inH() * g.inW();
    return WeightViews.derived(views, n, size -> buf(0, size), out -> windowsInto(g, w, out));
  }

  private static void windowsInto(Conv2dGeometry g, float[] w, float[] out) {
    int rows = g.outChannels() * g.inChannels(), plane = rows * g.inH() * g.inW();
    int[] first = windowOffsets(g);
    Parallel.forRange(rows, 4096, (s, e) -> KernelWindows.gather(w, g.kernelH(), g.kernelW(), first, g.inH(),
        g.inW(), out, plane, s, e));
  }

  /** dw[window of p] (+)= parts[p] for all p, in p order (one pass over dw; dw written whole on overwrite). */
  private static void windowsAdd(Conv2dGeometry g, float[] parts, float[] dw, boolean overwrite) {
    int rows = g.outChannels() * g.inChannels(), plane = rows * g.inH() * g.inW();
    int[] first = windowOffsets(g);
    Parallel.forRange(rows, 4096, (s, e) -> KernelWindows.scatterAdd(parts, plane, g.inH(), g.inW(), dw,
        g.kernelH(), g.kernelW(), first, overwrite, s, e));
  }

  /** The top-left tap of each output position's window inside a KH x KW kernel. */
  private static int[] windowOffsets(Conv2dGeometry g) {
    int OW = g.outW(), P = g.outH() * OW;
    int[] first = new int[P];
    for (int p = 0; p < P; p++) {
      first[p] = (g.padTop() - (p / OW) * g.strideH()) * g.kernelW() + g.padLeft() - (p % OW) * g.strideW();
    }
    return first;
  }

  static void forwardPerPosition(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu,
                                 WeightViews views) {
    int N = g.batch(), O = g.outChannels(), K = g.inPlane(), P = g.outH() * g.outW();
    float[] t = buf(1, N * O);
    float[] ws = windows(g, w, views);
    for (int p = 0; p < P; p++) {
      Gemm.sgemm(false, true, N, O, K, 1f, x, 0, K, ws, p * O * K, K, 0f, t, 0, O);
      int pos = p;
      // the strided scatter into NCHW: both threads, disjoint images
      Parallel.forRange(N, ROWS_GRAIN / O + 1, (n0, n1) -> {
        for (int n = n0; n < n1; n++) {
          int src = n * O, dst = n * O * P + pos;
          for (int o = 0; o < O; o++) {
            float v = bias == null ? t[src + o] : t[src + o] + bias[o];
            y[dst + o * P] = relu ? Math.max(v, 0f) : v;
          }
        }
      });
    }
  }

  /** Floats per chunk of the strided gathers and scatters between NCHW and the per-position matrices. */
  private static final int ROWS_GRAIN = 4096;

  /** dy[:, :, p] as a dense [N, O] matrix (in the calling thread's buffer; gathered by both threads). */
  private static float[] gatherDy(Conv2dGeometry g, float[] dy, int p) {
    int N = g.batch(), O = g.outChannels(), P = g.outH() * g.outW();
    float[] t = buf(1, N * O);
    Parallel.forRange(N, ROWS_GRAIN / O + 1, (n0, n1) -> {
      for (int n = n0; n < n1; n++) {
        int src = n * O * P + p, dst = n * O;
        for (int o = 0; o < O; o++) {
          t[dst + o] = dy[src + o * P];
        }
      }
    });
    return t;
  }

  static void backwardInputPerPosition(Conv2dGeometry g, float[] dy, float[] w, float[] dx, WeightViews views) {
    int N = g.batch(), O = g.outChannels(), K = g.inPlane(), P = g.outH() * g.outW();
    float[] ws = windows(g, w, views);
    for (int p = 0; p < P; p++) {
      float[] dyp = gatherDy(g, dy, p);
      Gemm.sgemm(false, false, N, K, O, 1f, dyp, 0, O, ws, p * O * K, K, p == 0 ? 0f : 1f, dx, 0, K);
    }
  }

  static void backwardWeightPerPosition(Conv2dGeometry g, float[] x, float[] dy, float[] dw, boolean overwriteDw,
                                        float[] dBias) {
    int N = g.batch(), O = g.outChannels(), K = g.inPlane(), P = g.outH() * g.outW();
    float[] parts = buf(2, P * O * K);
    for (int p = 0; p < P; p++) {
      float[] dyp = gatherDy(g, dy, p);
      Gemm.sgemm(true, false, O, K, N, 1f, dyp, 0, O, x, 0, K, 0f, parts, p * O * K, K);
      if (dBias != null) {
        for (int n = 0; n < N; n++) {
          int r = n * O;
          for (int o = 0; o < O; o++) {
            dBias[o] += dyp[r + o];
          }
        }
      }
    }
    windowsAdd(g, parts, dw, overwriteDw);
  }
}
