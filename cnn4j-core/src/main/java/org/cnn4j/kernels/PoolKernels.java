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
    if (is2x2(g) && VectorSupport.ENABLED && PoolVector.supported()) {
      // the vectorised byte-window kernel, then the window code turned into flat indices
      byte[] win = scratchWindow(planes * outPlane);
      int W = g.inW(), OH = g.outH(), OW = g.outW();
      Parallel.forRange(planes, grain(inPlane), (s, e) -> {
        PoolVector.forward2x2(g.inH(), W, OH, OW, x, y, win, s, e);
        if (argmax != null) {
          for (int pl = s; pl < e; pl++) {
            for (int i = 0; i < OH; i++) {
              int o = (pl * OH + i) * OW;
              int r0 = pl * inPlane + 2 * i * W;
              for (int j = 0; j < OW; j++) {
                int code = win[o + j];
                argmax[o + j] = r0 + 2 * j + (code & 1) + (code >> 1) * W;
              }
            }
          }
        }
      });
      return;
    }
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      for (int pl = s; pl < e; pl++) {
        if (is2x2(g)) {
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

  /**
   * Max pooling with a compact argmax: {@code window[i]} receives the position of the maximum inside the
   * window of output i, {@code (ih - oh*strideH + padH) * kernelW + (iw - ow*strideW + padW)} (row-major
   * in the kernel window, read as an unsigned byte), so the kernel window may have at most 256 cells.
   * window may be null. y overwritten. The 2x2 stride-2 unpadded case is vectorised.
   */
  public static void maxPool2dForwardWindow(Pool2dGeometry g, float[] x, float[] y, byte[] window) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    int outPlane = g.outH() * g.outW();
    check(x, "x", (long) planes * inPlane, g);
    check(y, "y", (long) planes * outPlane, g);
    checkWindow(g, window, (long) planes * outPlane, window == null);
    if (is2x2(g) && VectorSupport.ENABLED && PoolVector.supported()) {
      byte[] win = window != null ? window : scratchWindow(planes * outPlane);
      Parallel.forRange(planes, grain(inPlane),
          (s, e) -> PoolVector.forward2x2(g.inH(), g.inW(), g.outH(), g.outW(), x, y, win, s, e));
      return;
    }
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      for (int pl = s; pl < e; pl++) {
        maxPlaneWindow(g, x, y, window, pl);
      }
    });
  }

  /** dx overwritten: each dy goes to the window position recorded by the byte-window forward, the rest is 0. */
  public static void maxPool2dBackwardWindow(Pool2dGeometry g, float[] dy, byte[] window, float[] dx) {
    maxBackwardWindow(g, dy, window, dx, false);
  }

  /** As {@link #maxPool2dBackwardWindow} but adds into dx. */
  public static void maxPool2dBackwardWindowAccumulate(Pool2dGeometry g, float[] dy, byte[] window, float[] dx) {
    maxBackwardWindow(g, dy, window, dx, true);
  }

  private static void maxBackwardWindow(Pool2dGeometry g, float[] dy, byte[] window, float[] dx, boolean acc) {
    int planes = g.batch() * g.channels();
    int inPlane = g.inH() * g.inW();
    int outPlane = g.outH() * g.outW();
    check(dy, "dy", (long) planes * outPlane, g);
    check(dx, "dx", (long) planes * inPlane, g);
    checkWindow(g, window, (long) planes * outPlane, false);
    if (is2x2(g) && VectorSupport.ENABLED && PoolVector.supported()) {
      Parallel.forRange(planes, grain(inPlane),
          (s, e) -> PoolVector.backward2x2(g.inH(), g.inW(), g.outH(), g.outW(), dy, window, dx, acc, s, e));
      return;
    }
    int OH = g.outH(), OW = g.outW(), W = g.inW(), KW = g.kernelW();
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      if (!acc) {
        Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      }
      for (int pl = s; pl < e; pl++) {
        int xb = pl * inPlane;
        for (int i = 0; i < OH; i++) {
          int h0 = i * g.strideH() - g.padH();
          for (int j = 0; j < OW; j++) {
            int o = pl * outPlane + i * OW + j;
            int code = window[o] & 0xff;
            int ih = h0 + code / KW, iw = j * g.strideW() - g.padW() + code % KW;
            dx[xb + ih * W + iw] += dy[o];
          }
        }
      }
    });
  }

  private static final ThreadLocal<byte[][]> WIN = ThreadLocal.withInitial(() -> new byte[1][0]);

  private static byte[] scratchWindow(int n) {
    byte[][] h = WIN.get();
    if (h[0].length < n) {
      h[0] = new byte[n];
    }
    return h[0];
  }

  /**
   * True when {@code g} takes the vectorised 2x2 stride-2 max-pooling path; other windows are faster through
   * {@link PoolNdKernels} (vectorised rows for any kernel and stride), which is what {@code nn.PoolNd} uses then.
   */
  public static boolean hasVectorPath(Pool2dGeometry g) {
    return is2x2(g) && VectorSupport.ENABLED && PoolVector.supported();
  }

  private static boolean is2x2(Pool2dGeometry g) {
    return g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0
        && g.padW() == 0;
  }

  private static void checkWindow(Pool2dGeometry g, byte[] window, long need, boolean nullOk) {
    if (g.kernelH() * g.kernelW() > 256) {
      throw new IllegalArgumentException("maxPool2d: a byte window supports kernels of at most 256 cells, got " + g);
    }
    if (window == null ? !nullOk : window.length < need) {
      throw new IllegalArgumentException("maxPool2d: window is " + (window == null ? "null" : "of length "
          + window.length) + ", needs " + need + " elements for " + g);
    }
  }

  private static void maxPlaneWindow(Pool2dGeometry g, float[] x, float[] y, byte[] window, int pl) {
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
              bi = (ih - h0) * KW + (iw - w0);
            }
          }
        }
        y[yb + i * OW + j] = best;
        if (window != null) {
          window[yb + i * OW + j] = (byte) bi;
        }
      }
    }
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

  private static void check(float[] a, String name, long need, Pool2dGeometry g) {
    if (a == null || a.length < need) {
      throw new IllegalArgumentException("pool2d: " + name + " is " + (a == null ? "null" : "of length " + a.length)
          + ", needs " + need + " elements for " + g);
    }
  }
}
