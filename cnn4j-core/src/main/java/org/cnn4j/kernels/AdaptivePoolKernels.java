package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Adaptive average and max pooling over {@code [planes, D, H, W]} to a fixed output size (1-D and 2-D
 * inputs pass D = H = 1, or D = 1), with PyTorch's windows: output cell i along an axis of input size I
 * and output size O covers input {@code [floor(i*I/O), ceil((i+1)*I/O))}. Windows may overlap when O does
 * not divide I, and repeat cells when O > I. Max: the first maximum in row-major window order wins, NaN
 * propagates; {@code arg} receives the winner's index inside its input plane. Parallel over planes.
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
    avgForward(x, planes, 1, h, w, 1, oh, ow, y);
  }

  /** Gradient of {@link #avgForward(float[], int, int, int, int, int, float[])}; dx overwritten. */
  public static void avgBackward(float[] dy, int planes, int h, int w, int oh, int ow, float[] dx) {
    avgBackward(dy, planes, 1, h, w, 1, oh, ow, dx);
  }

  /** 3-D form: y[p, i, j, k] = mean of x over the adaptive window. y overwritten. */
  public static void avgForward(float[] x, int planes, int d, int h, int w, int od, int oh, int ow, float[] y) {
    check(x, planes, d, h, w, od, oh, ow, y.length, y.length, "avgForward");
    int inPlane = d * h * w;
    boolean global = od * oh * ow == 1;
    if (global && inPlane == 1) { // ResNet's 1x1 maps at 32x32 input: the sum of one value, 0 + x, as below
      ElementwiseKernels.addScalar(x, 0f, y, planes);
      return;
    }
    Parallel.forRange(planes, grain(inPlane), (p0, p1) -> {
      for (int p = p0; p < p1; p++) {
        if (global) { // the sum in plane()'s order, without its window arithmetic (ResNet's 1x1 maps: 11 ns a plane)
          float s = 0;
          for (int c = p * inPlane, end = c + inPlane; c < end; c++) {
            s += x[c];
          }
          y[p] = s / inPlane;
        } else {
          plane(x, y, null, null, p, d, h, w, od, oh, ow, false);
        }
      }
    });
  }

  /** Gradient of the 3-D {@code avgForward}: each dy cell spread evenly over its window. dx overwritten. */
  public static void avgBackward(float[] dy, int planes, int d, int h, int w, int od, int oh, int ow, float[] dx) {
    check(dx, planes, d, h, w, od, oh, ow, dy.length, dy.length, "avgBackward");
    int inPlane = d * h * w;
    boolean global = od * oh * ow == 1;
    if (global && inPlane == 1) { // dy / 1 is dy
      ElementwiseKernels.copy(dy, dx, planes);
      return;
    }
    Parallel.forRange(planes, grain(inPlane), (p0, p1) -> {
      if (global) {
        for (int p = p0; p < p1; p++) {
          Arrays.fill(dx, p * inPlane, (p + 1) * inPlane, dy[p] / inPlane);
        }
        return;
      }
      Arrays.fill(dx, p0 * inPlane, p1 * inPlane, 0f);
      for (int p = p0; p < p1; p++) {
        plane(null, dy, dx, null, p, d, h, w, od, oh, ow, false);
      }
    });
  }

  /**
   * Adaptive max pooling; y overwritten, arg (may be null) receives the in-plane index of each maximum.
   * The backward is {@link PoolNdKernels#scatter}.
   */
  public static void maxForward(float[] x, int planes, int d, int h, int w, int od, int oh, int ow, float[] y,
                                int[] arg) {
    check(x, planes, d, h, w, od, oh, ow, y.length, arg == null ? y.length : arg.length, "maxForward");
    Parallel.forRange(planes, grain(d * h * w), (p0, p1) -> {
      for (int p = p0; p < p1; p++) {
        plane(x, y, null, arg, p, d, h, w, od, oh, ow, true);
      }
    });
  }

  /**
   * One plane. Average forward: x != null, writes y = yOrDy. Average backward: x == null, adds yOrDy into dx.
   * Max forward: max = true, writes y and arg.
   */
  private static void plane(float[] x, float[] yOrDy, float[] dx, int[] arg, int p, int d, int h, int w, int od,
                            int oh, int ow, boolean max) {
    int xo = p * d * h * w;
    int o = p * od * oh * ow;
    for (int i = 0; i < od; i++) {
      int ds = start(i, d, od), de = end(i, d, od);
      for (int j = 0; j < oh; j++) {
        int hs = start(j, h, oh), he = end(j, h, oh);
        for (int k = 0; k < ow; k++, o++) {
          int ws = start(k, w, ow), we = end(k, w, ow);
          if (max) {
            float best = Float.NEGATIVE_INFINITY;
            int bi = -1;
            for (int a = ds; a < de; a++) {
              for (int r = hs; r < he; r++) {
                int row = (a * h + r) * w;
                for (int c = row + ws, end = row + we; c < end; c++) {
                  float v = x[xo + c];
                  if (bi < 0 || v > best || v != v && best == best) {
                    best = v;
                    bi = c;
                  }
                }
              }
            }
            yOrDy[o] = best;
            if (arg != null) {
              arg[o] = bi;
            }
            continue;
          }
          int cells = (de - ds) * (he - hs) * (we - ws);
          if (x != null) {
            float s = 0;
            for (int a = ds; a < de; a++) {
              for (int r = hs; r < he; r++) {
                int row = xo + (a * h + r) * w;
                for (int c = row + ws, end = row + we; c < end; c++) {
                  s += x[c];
                }
              }
            }
            yOrDy[o] = s / cells;
          } else {
            float g = yOrDy[o] / cells;
            for (int a = ds; a < de; a++) {
              for (int r = hs; r < he; r++) {
                int row = xo + (a * h + r) * w;
                for (int c = row + ws, end = row + we; c < end; c++) {
                  dx[c] += g;
                }
              }
            }
          }
        }
      }
    }
  }

  private static int grain(int inPlane) {
    return Math.max(1, 4096 / Math.max(1, inPlane));
  }

  private static void check(float[] x, int planes, int d, int h, int w, int od, int oh, int ow, int yLen, int argLen,
                            String what) {
    if (planes <= 0 || d <= 0 || h <= 0 || w <= 0 || od <= 0 || oh <= 0 || ow <= 0) {
      throw new IllegalArgumentException("adaptive pool " + what + ": sizes must be positive, got planes=" + planes
          + ", input " + d + "x" + h + "x" + w + ", output " + od + "x" + oh + "x" + ow);
    }
    long in = (long) planes * d * h * w, out = (long) planes * od * oh * ow;
    if (x.length < in || yLen < out || argLen < out) {
      throw new IllegalArgumentException("adaptive pool " + what + ": arrays too short for planes=" + planes
          + ", input " + d + "x" + h + "x" + w + ", output " + od + "x" + oh + "x" + ow + " (input array " + x.length
          + ", output array " + yLen + ")");
    }
  }
}
