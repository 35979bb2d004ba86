package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * 1x1 convolution with stride 1 and no padding as plain GEMMs on the images in place (NCHW makes image n the
 * matrix {@code [C, H*W]}): forward {@code y_n = W x_n}, input gradient {@code dx_n = W^T dy_n}. No im2col, no
 * copies. Parallel over the batch with serial GEMMs, or image by image with a parallel GEMM when the batch is
 * smaller than the thread count. (The weight gradient {@code dW = sum_n dy_n x_n^T} is faster with several images
 * side by side, which the general paths of {@link ConvKernels} do.)
 */
final class ConvPointwise {
  private ConvPointwise() {}

  /** Switch off with -Dcnn4j.conv.pointwise=false (for A/B timing). */
  static final boolean ENABLED = !"false".equals(System.getProperty("cnn4j.conv.pointwise"));

  /** Output positions per image from which one GEMM per image keeps the vector tiles full. */
  static final int MIN_POSITIONS = 128;

  static boolean applies(Conv2dGeometry g) {
    return ENABLED && ConvKernels.isPointwise(g) && g.inH() * g.inW() >= MIN_POSITIONS;
  }

  private static boolean batchParallel(Conv2dGeometry g) {
    return g.batch() >= Parallel.threads() || Parallel.inWorker();
  }

  static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
    if (batchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> forwardRange(g, x, w, bias, y, relu, s, e, false));
    } else {
      forwardRange(g, x, w, bias, y, relu, 0, g.batch(), true);
    }
  }

  private static void forwardRange(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu,
                                   int s, int e, boolean parallelGemm) {
    int O = g.outChannels(), C = g.inChannels(), P = g.inH() * g.inW();
    for (int n = s; n < e; n++) {
      int yOff = n * O * P;
      float beta = 0f;
      if (bias != null) {
        for (int o = 0; o < O; o++) {
          Arrays.fill(y, yOff + o * P, yOff + (o + 1) * P, bias[o]);
        }
        beta = 1f;
      }
      Gemm.multiply(parallelGemm, false, false, O, P, C, w, 0, C, x, n * C * P, P, beta, y, yOff, P);
      if (relu) {
        for (int i = yOff; i < yOff + O * P; i++) {
          y[i] = Math.max(y[i], 0f);
        }
      }
    }
  }

  static void backwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    int O = g.outChannels(), C = g.inChannels(), P = g.inH() * g.inW();
    if (batchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> {
        for (int n = s; n < e; n++) {
          Gemm.sgemmSerial(true, false, C, P, O, 1f, w, 0, C, dy, n * O * P, P, 0f, dx, n * C * P, P);
        }
      });
    } else {
      for (int n = 0; n < g.batch(); n++) {
        Gemm.sgemm(true, false, C, P, O, 1f, w, 0, C, dy, n * O * P, P, 0f, dx, n * C * P, P);
      }
    }
  }
}
