package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Adaptive average pooling over NCHW planes to a fixed output size, with PyTorch's windows: output
 * cell i along an axis of input size I and output size O averages input [floor(i*I/O), ceil((i+1)*I/O)).
 * Windows may overlap when O does not divide I. Parallel over planes.
 */
public final class AdaptivePoolKernels {
  private AdaptivePoolKernels() {}

  static int start(int i, int in, int out) {
    return (int) ((long) i * in / out);
  }

  static int end(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
  }

  /** y[p, i, j] = mean of x[p, window(i), window(j)] for planes p in [0, planes). y overwritten. */
  public static void avgForward(float[] x, int planes, int h, int w, int oh, int ow, float[] y) {
    Parallel.forRange(planes, Math.max(1, 4096 / Math.max(1, h * w)), (p0, p1) -> {
      for (int p = p0; p < p1; p++) {
        int xo = p * h * w, yo = p * oh * ow;
        for (int i = 0; i < oh; i++) {
          int hs = start(i, h, oh), he = end(i, h, oh);
          for (int j = 0; j < ow; j++) {
            int ws = start(j, w, ow), we = end(j, w, ow);
            float s = 0;
            for (int r = hs; r < he; r++) {
              for (int c = ws; c < we; c++) {
                s += x[xo + r * w + c];
              }
            }
            y[yo + i * ow + j] = s / ((he - hs) * (we - ws));
          }
        }
      }
    });
  }

  /** Gradient of {@link #avgForward}: each dy cell spread evenly over its window. dx overwritten. */
  public static void avgBackward(float[] dy, int planes, int h, int w, int oh, int ow, float[] dx) {
    Parallel.forRange(planes, Math.max(1, 4096 / Math.max(1, h * w)), (p0, p1) -> {
      Arrays.fill(dx, p0 * h * w, p1 * h * w, 0f);
      for (int p = p0; p < p1; p++) {
        int xo = p * h * w, yo = p * oh * ow;
        for (int i = 0; i < oh; i++) {
          int hs = start(i, h, oh), he = end(i, h, oh);
          for (int j = 0; j < ow; j++) {
            int ws = start(j, w, ow), we = end(j, w, ow);
            float g = dy[yo + i * ow + j] / ((he - hs) * (we - ws));
            for (int r = hs; r < he; r++) {
              for (int c = ws; c < we; c++) {
                dx[xo + r * w + c] += g;
              }
            }
          }
        }
      }
    });
  }
}
