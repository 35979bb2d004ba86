package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Pooling over NCHW tensors, parallel over the {@code N*C} planes (each plane is independent, so the
 * results do not depend on the thread count). Max pooling treats padding as -infinity and propagates
 * NaN; the first maximum in row-major window order wins. Average pooling counts padding
 * ({@code count_include_pad=true}, PyTorch's default): the divisor is always {@code kernelH*kernelW}.
 */
public final class PoolKernels {
  private PoolKernels() {}

  /** Max pooling; argmax (may be null) receives, per output element, the flat index into x of the max. y overwritten. */
  public static void maxPool2dForward(Pool2dGeometry g, float[] x, float[] y, int[] argmax) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    int outPlane = g.outH() * g.outW();
    check(x, "x", (long) planes * inPlane, g);
    check(y, "y", (long) planes * outPlane, g);
    if (argmax != null && argmax.length < (long) planes * outPlane) {
      throw new IllegalArgumentException("maxPool2d: argmax has " + argmax.length + " elements, needs "
          + (long) planes * outPlane + " for " + g);
    }
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      for (int pl = s; pl < e; pl++) {
        if (g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0
            && g.padW() == 0) {
          maxPlane2x2(g, x, y, argmax, pl);
        } else {
          maxPlane(g, x, y, argmax, pl);
        }
      }
    });
  }

  /** dx overwritten with zeros, then dx[argmax[i]] += dy[i]. */
  public static void maxPool2dBackward(Pool2dGeometry g, float[] dy, int[] argmax, float[] dx) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    int outPlane = g.outH() * g.outW();
    check(dy, "dy", (long) planes * outPlane, g);
    check(dx, "dx", (long) planes * inPlane, g);
    if (argmax == null || argmax.length < (long) planes * outPlane) {
      throw new IllegalArgumentException("maxPool2dBackward: argmax is missing or too short for " + g);
    }
    // argmax of plane p always points into plane p, so planes are independent
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      for (int i = s * outPlane, end = e * outPlane; i < end; i++) {
        dx[argmax[i]] += dy[i];
      }
    });
  }

  /** Average pooling, count_include_pad=true. y overwritten. */
  public static void avgPool2dForward(Pool2dGeometry g, float[] x, float[] y) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    check(x, "x", (long) planes * inPlane, g);
    check(y, "y", (long) planes * g.outH() * g.outW(), g);
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      for (int pl = s; pl < e; pl++) {
        avgPlane(g, x, y, pl);
      }
    });
  }

  /** Gradient of {@link #avgPool2dForward}; dx overwritten. */
  public static void avgPool2dBackward(Pool2dGeometry g, float[] dy, float[] dx) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    check(dy, "dy", (long) planes * g.outH() * g.outW(), g);
    check(dx, "dx", (long) planes * inPlane, g);
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      for (int pl = s; pl < e; pl++) {
        avgBackPlane(g, dy, dx, pl);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------

  private static int grain(int inPlane) {
    return Math.max(1, 16_384 / Math.max(1, inPlane));
  }

  private static void maxPlane2x2(Pool2dGeometry g, float[] x, float[] y, int[] argmax, int pl) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    int xb = pl * H * W;
    int yb = pl * OH * OW;
    for (int i = 0; i < OH; i++) {
      int r0 = xb + 2 * i * W;
      int r1 = r0 + W;
      int yo = yb + i * OW;
      for (int j = 0; j < OW; j++) {
        int i0 = r0 + 2 * j;
        int i1 = r1 + 2 * j;
        float best = x[i0];
        int bi = i0;
        float v = x[i0 + 1];
        if (v > best || v != v && best == best) {
          best = v;
          bi = i0 + 1;
        }
        v = x[i1];
        if (v > best || v != v && best == best) {
          best = v;
          bi = i1;
        }
        v = x[i1 + 1];
        if (v > best || v != v && best == best) {
          best = v;
          bi = i1 + 1;
        }
        y[yo + j] = best;
        if (argmax != null) {
          argmax[yo + j] = bi;
        }
      }
    }
  }

  private static void maxPlane(Pool2dGeometry g, float[] x, float[] y, int[] argmax, int pl) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    int KH = g.kernelH(), KW = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
    int xb = pl * H * W;
    int yb = pl * OH * OW;
    for (int i = 0; i < OH; i++) {
      int h0 = i * sh - ph;
      int hLo = Math.max(0, h0), hHi = Math.min(H, h0 + KH);
      for (int j = 0; j < OW; j++) {
        int w0 = j * sw - pw;
        int wLo = Math.max(0, w0), wHi = Math.min(W, w0 + KW);
        float best = Float.NEGATIVE_INFINITY;
        int bi = -1;
        for (int ih = hLo; ih < hHi; ih++) {
          int row = xb + ih * W;
          for (int iw = wLo; iw < wHi; iw++) {
            float v = x[row + iw];
            if (bi < 0 || v > best || v != v && best == best) {
              best = v;
              bi = row + iw;
            }
          }
        }
        y[yb + i * OW + j] = best;
        if (argmax != null) {
          argmax[yb + i * OW + j] = bi;
        }
      }
    }
  }

  private static void avgPlane(Pool2dGeometry g, float[] x, float[] y, int pl) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    int KH = g.kernelH(), KW = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
    float inv = 1f / (KH * KW);
    int xb = pl * H * W;
    int yb = pl * OH * OW;
    for (int i = 0; i < OH; i++) {
      int h0 = i * sh - ph;
      int hLo = Math.max(0, h0), hHi = Math.min(H, h0 + KH);
      for (int j = 0; j < OW; j++) {
        int w0 = j * sw - pw;
        int wLo = Math.max(0, w0), wHi = Math.min(W, w0 + KW);
        float s = 0f;
        for (int ih = hLo; ih < hHi; ih++) {
          int row = xb + ih * W;
          for (int iw = wLo; iw < wHi; iw++) {
            s += x[row + iw];
          }
        }
        y[yb + i * OW + j] = s * inv;
      }
    }
  }

  private static void avgBackPlane(Pool2dGeometry g, float[] dy, float[] dx, int pl) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    int KH = g.kernelH(), KW = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
    float inv = 1f / (KH * KW);
    int xb = pl * H * W;
    int yb = pl * OH * OW;
    for (int i = 0; i < OH; i++) {
      int h0 = i * sh - ph;
      int hLo = Math.max(0, h0), hHi = Math.min(H, h0 + KH);
      for (int j = 0; j < OW; j++) {
        int w0 = j * sw - pw;
        int wLo = Math.max(0, w0), wHi = Math.min(W, w0 + KW);
        float d = dy[yb + i * OW + j] * inv;
        for (int ih = hLo; ih < hHi; ih++) {
          int row = xb + ih * W;
          for (int iw = wLo; iw < wHi; iw++) {
            dx[row + iw] += d;
          }
        }
      }
    }
  }

  private static void check(float[] a, String name, long need, Pool2dGeometry g) {
    if (a == null || a.length < need) {
      throw new IllegalArgumentException("pool2d: " + name + " is " + (a == null ? "null" : "of length " + a.length)
          + ", needs " + need + " elements for " + g);
    }
  }
}
