package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * 1-, 2- and 3-D window pooling (max, min, average, power-average) over {@code [N, C, spatial...]} tensors,
 * with PyTorch 1.13's semantics for every option of {@link PoolNdGeometry}; parallel over the {@code N*C}
 * planes, which are independent, so results do not depend on the thread count.
 *
 * <ul>
 *   <li>Max and min pooling visit only the real cells of a (possibly dilated) window, so a padded cell
 *       never wins; the first extreme in row-major window order wins, NaN propagates (the first NaN
 *       wins). {@code arg} receives the winner's index inside its input plane, or -1 for a window that
 *       holds no input cell at all (possible only with dilation; its output is -inf for max, +inf for
 *       min and it passes no gradient).
 *   <li>Average pooling (no dilation): window {@code [o*s - p, min(o*s - p + k, I + p))} per axis, summed
 *       over its cells inside the input; divided by {@code divisorOverride} when non-zero, else by the
 *       window size up to the right padding ({@code countIncludePad}) or by the number of input cells.
 *       A window with no input cell gives 0.
 * </ul>
 *
 * The 2x2/2 max pool of FashionCNN has a faster, vectorised path in {@link PoolKernels}.
 */
public final class PoolNdKernels {
  private PoolNdKernels() {}

  /**
   * Max pooling ({@code min = false}) or min pooling ({@code min = true}); y overwritten; arg (may be null)
   * receives the in-plane index of each winner.
   */
  public static void maxForward(PoolNdGeometry g, float[] x, float[] y, int[] arg, boolean min) {
    maxForward(g, x, y, arg, min, VECTOR);
  }

  /** True when the Vector API rows may run (the scalar path is always available, and tested against them). */
  static final boolean VECTOR = VectorSupport.ENABLED && PoolNdVector.supported();

  /** Rows with fewer interior outputs than this stay scalar (a masked vector step costs more than a few scalars). */
  static final int MIN_VECTOR_ROW = 4;

  static void maxForward(PoolNdGeometry g, float[] x, float[] y, int[] arg, boolean min, boolean vector) {
    check(x, "x", (long) g.planes() * g.inPlane(), g);
    check(y, "y", (long) g.planes() * g.outPlane(), g);
    if (arg != null && arg.length < (long) g.planes() * g.outPlane()) {
      throw new IllegalArgumentException("poolNd: arg has " + arg.length + " elements, needs "
          + (long) g.planes() * g.outPlane() + " for " + g);
    }
    float sign = min ? -1f : 1f;
    if (vector && PoolNdVector.planeTapsPay(g)) {
      TapOffsets taps = PoolNdVector.planeTaps(g);
      Parallel.forRange(g.planes(), grain(g.inPlane()), (s, e) -> {
        for (int pl = s; pl < e; pl++) {
          PoolNdVector.maxPlane(taps, sign, x, pl * g.inPlane(), y, arg, pl * g.outPlane());
        }
      });
      return;
    }
    Plan plan = plan(g, vector);
    Parallel.forRange(g.planes(), grain(g.inPlane()), (s, e) -> {
      int[] rows = new int[g.kernel(0) * g.kernel(1)];
      for (int pl = s; pl < e; pl++) {
        maxPlane(g, plan, sign, x, y, arg, pl, rows);
      }
    });
  }

  /** Gradient of {@link #maxForward}: dx overwritten with zeros, then each dy added at its winner. */
  public static void maxBackward(PoolNdGeometry g, float[] dy, int[] arg, float[] dx) {
    scatter(g.planes(), g.inPlane(), g.outPlane(), dy, arg, dx);
  }

  /**
   * dx[p*inPlane + arg[o]] += dy[o] for each plane p and its outputs o (arg -1: skipped), after zeroing
   * dx: the backward of every arg-recording pool (window, adaptive, global).
   */
  public static void scatter(int planes, int inPlane, int outPlane, float[] dy, int[] arg, float[] dx) {
    if (dy.length < (long) planes * outPlane || arg == null || arg.length < (long) planes * outPlane
        || dx.length < (long) planes * inPlane) {
      throw new IllegalArgumentException("poolNd backward: dy (" + dy.length + "), arg (" + (arg == null ? "null"
          : arg.length) + ") or dx (" + dx.length + ") too short for " + planes + " planes of " + inPlane + " -> "
          + outPlane);
    }
    Parallel.forRange(planes, grain(inPlane), (s, e) -> {
      Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      for (int pl = s; pl < e; pl++) {
        int xb = pl * inPlane;
        for (int o = pl * outPlane, end = o + outPlane; o < end; o++) {
          int a = arg[o];
          if (a >= 0) {
            dx[xb + a] += dy[o];
          }
        }
      }
    });
  }

  /** Average pooling; y overwritten. divisorOverride 0 means none. */
  public static void avgForward(PoolNdGeometry g, float[] x, float[] y, boolean countIncludePad, int divisorOverride) {
    avgForward(g, x, y, countIncludePad, divisorOverride, VECTOR);
  }

  static void avgForward(PoolNdGeometry g, float[] x, float[] y, boolean countIncludePad, int divisorOverride,
                         boolean vector) {
    check(x, "x", (long) g.planes() * g.inPlane(), g);
    check(y, "y", (long) g.planes() * g.outPlane(), g);
    noDilation(g);
    Plan plan = plan(g, vector);
    Parallel.forRange(g.planes(), grain(g.inPlane()), (s, e) -> {
      int[] rows = new int[g.kernel(0) * g.kernel(1)];
      for (int pl = s; pl < e; pl++) {
        avgForwardPlane(g, plan, countIncludePad, divisorOverride, x, y, pl, rows);
      }
    });
  }

  /** Gradient of {@link #avgForward}; dx overwritten. */
  public static void avgBackward(PoolNdGeometry g, float[] dy, float[] dx, boolean countIncludePad,
                                 int divisorOverride) {
    avgBackward(g, dy, dx, countIncludePad, divisorOverride, VECTOR);
  }

  static void avgBackward(PoolNdGeometry g, float[] dy, float[] dx, boolean countIncludePad, int divisorOverride,
                          boolean vector) {
    check(dy, "dy", (long) g.planes() * g.outPlane(), g);
    check(dx, "dx", (long) g.planes() * g.inPlane(), g);
    noDilation(g);
    Plan plan = plan(g, vector);
    int inPlane = g.inPlane();
    Parallel.forRange(g.planes(), grain(inPlane), (s, e) -> {
      Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      int[] rows = new int[g.kernel(0) * g.kernel(1)];
      for (int pl = s; pl < e; pl++) {
        avgBackwardPlane(g, plan, countIncludePad, divisorOverride, dy, dx, pl, rows);
      }
    });
  }

  /**
   * Power-average (LP) pooling as PyTorch's LPPool1d/2d ({@code avg_pool(x^p) * k} then {@code ^(1/p)}):
   * {@code y = (K/W * sum over the window of x^p)^(1/p)} with K the full window size and W the part of it
   * up to the input's end (they differ only in ceil mode's last window). Requires no padding and no
   * dilation. y overwritten.
   */
  public static void lpForward(PoolNdGeometry g, float[] x, float[] y, double p) {
    check(x, "x", (long) g.planes() * g.inPlane(), g);
    check(y, "y", (long) g.planes() * g.outPlane(), g);
    lpGeometry(g);
    Taps td = taps(g, 0), th = taps(g, 1), tw = taps(g, 2);
    Parallel.forRange(g.planes(), grain(g.inPlane()), (s, e) -> {
      for (int pl = s; pl < e; pl++) {
        lpPlane(g, td, th, tw, p, x, y, null, null, pl);
      }
    });
  }

  /**
   * Gradient of {@link #lpForward} given its output y: {@code dx_i = dy * (K/W) * x_i^(p-1) * y / S} with S the
   * scaled sum ({@code = y^p}); a window whose sum is 0 passes no gradient (PyTorch gives NaN there). dx
   * overwritten.
   */
  public static void lpBackward(PoolNdGeometry g, float[] x, float[] y, float[] dy, float[] dx, double p) {
    check(x, "x", (long) g.planes() * g.inPlane(), g);
    check(y, "y", (long) g.planes() * g.outPlane(), g);
    check(dy, "dy", (long) g.planes() * g.outPlane(), g);
    check(dx, "dx", (long) g.planes() * g.inPlane(), g);
    lpGeometry(g);
    Taps td = taps(g, 0), th = taps(g, 1), tw = taps(g, 2);
    int inPlane = g.inPlane();
    Parallel.forRange(g.planes(), grain(inPlane), (s, e) -> {
      Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      for (int pl = s; pl < e; pl++) {
        lpPlane(g, td, th, tw, p, x, y, dy, dx, pl);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Per output index along one internal axis: the first input index of the window inside the input, the
   * number of window taps inside the input (taps are {@code dilation} apart), and the window size up to
   * the right padding (average pooling's count_include_pad divisor factor).
   */
  record Taps(int[] first, int[] count, int[] padded, int step) {}

  static Taps taps(PoolNdGeometry g, int t) {
    int o = g.out(t), in = g.in(t), k = g.kernel(t), s = g.stride(t), p = g.pad(t), d = g.dilation(t);
    int[] first = new int[o], count = new int[o], padded = new int[o];
    for (int i = 0; i < o; i++) {
      int start = i * s - p;
      int lo = start >= 0 ? 0 : (-start + d - 1) / d; // first tap with start + lo*d >= 0
      int hi = Math.min(k, (in - start + d - 1) / d); // taps with start + j*d < in
      first[i] = start + lo * d;
      count[i] = Math.max(0, hi - lo);
      padded[i] = Math.min(start + k, in + p) - start;
    }
    return new Taps(first, count, padded, d);
  }

  /**
   * What the window passes share: the taps along each axis, the interior outputs of a row, and when the
   * vector rows run ({@code count > 0}: that many interior outputs) their lane maps.
   */
  private record Plan(Taps td, Taps th, Taps tw, int[] interior, int count, int[][] maps) {}

  private static Plan plan(PoolNdGeometry g, boolean vector) {
    int[] in = interior(g);
    int count = vector && in[1] - in[0] >= MIN_VECTOR_ROW ? in[1] - in[0] : 0;
    int[][] maps = count > 0 ? PoolNdVector.maps(g.stride(2), count) : null;
    return new Plan(taps(g, 0), taps(g, 1), taps(g, 2), in, count, maps);
  }

  /** {lo, hi}: the outputs [lo, hi) of a row whose W window lies entirely inside the input (lo = hi: none). */
  static int[] interior(PoolNdGeometry g) {
    int W = g.in(2), k = g.kernel(2), s = g.stride(2), p = g.pad(2), d = g.dilation(2);
    int lo = (p + s - 1) / s;
    int last = W - 1 + p - (k - 1) * d; // the largest window start (+ p) whose last tap is inside
    int hi = last < 0 ? 0 : Math.min(g.out(2), last / s + 1);
    return new int[] {lo, Math.max(lo, hi)};
  }

  /** In-plane offsets of the input rows (D, H order) the window of output (od, oh) covers; returns their count. */
  private static int windowRows(PoolNdGeometry g, Taps td, Taps th, int od, int oh, int[] rows) {
    int H = g.in(1), W = g.in(2);
    int fd = td.first()[od], nd = td.count()[od], fh = th.first()[oh], nh = th.count()[oh];
    int n = 0;
    for (int a = 0, id = fd; a < nd; a++, id += td.step()) {
      for (int b = 0, ih = fh; b < nh; b++, ih += th.step()) {
        rows[n++] = (id * H + ih) * W;
      }
    }
    return n;
  }

  private static void maxPlane(PoolNdGeometry g, Plan plan, float sign, float[] x, float[] y, int[] arg, int pl,
                               int[] rows) {
    int OD = g.out(0), OH = g.out(1), OW = g.out(2);
    Taps td = plan.td(), th = plan.th(), tw = plan.tw();
    int dw = tw.step();
    int xb = pl * g.inPlane();
    int[] in = plan.interior();
    int[][] maps = plan.maps();
    int vEnd = in[1], count = plan.count();
    int o = pl * g.outPlane();
    for (int od = 0; od < OD; od++) {
      for (int oh = 0; oh < OH; oh++, o += OW) {
        int nRows = windowRows(g, td, th, od, oh, rows);
        boolean vec = count > 0 && nRows > 0;
        if (vec) {
          PoolNdVector.maxRow(x, xb, rows, nRows, g.kernel(2), g.stride(2), g.pad(2), dw, sign, in[0], count, maps, y,
              arg, o);
        }
        for (int ow = 0; ow < OW; ow++) {
          if (ow == in[0] && vec) {
            ow = vEnd - 1;
            continue;
          }
          int fw = tw.first()[ow], nw = tw.count()[ow];
          float best = Float.NEGATIVE_INFINITY; // of sign * x
          int bi = -1;
          for (int r = 0; r < nRows; r++) {
            int row = rows[r];
            for (int c = 0, iw = row + fw; c < nw; c++, iw += dw) {
              float v = sign * x[xb + iw];
              if (bi < 0 || v > best || v != v && best == best) {
                best = v;
                bi = iw;
              }
            }
          }
          y[o + ow] = sign * best;
          if (arg != null) {
            arg[o + ow] = bi;
          }
        }
      }
    }
  }

  private static int divisor(int override, boolean includePad, int padded, int cells) {
    return override != 0 ? override : includePad ? padded : cells;
  }

  private static void avgForwardPlane(PoolNdGeometry g, Plan plan, boolean includePad, int override, float[] x,
                                      float[] y, int pl, int[] rows) {
    int OD = g.out(0), OH = g.out(1), OW = g.out(2);
    int xb = pl * g.inPlane();
    Taps td = plan.td(), th = plan.th(), tw = plan.tw();
    int[] in = plan.interior();
    int[][] maps = plan.maps();
    int vEnd = in[1], count = plan.count();
    int o = pl * g.outPlane();
    for (int od = 0; od < OD; od++) {
      for (int oh = 0; oh < OH; oh++, o += OW) {
        int nRows = windowRows(g, td, th, od, oh, rows);
        int paddedDH = td.padded()[od] * th.padded()[oh];
        boolean vec = count > 0 && nRows > 0;
        if (vec) {
          // interior W windows: K cells along W, and the padded size along W is K
          int k = g.kernel(2);
          PoolNdVector.avgRow(x, xb, rows, nRows, k, g.stride(2), g.pad(2),
              divisor(override, includePad, paddedDH * k, nRows * k), in[0], count, maps, y, o);
        }
        for (int ow = 0; ow < OW; ow++) {
          if (ow == in[0] && vec) {
            ow = vEnd - 1;
            continue;
          }
          int fw = tw.first()[ow], nw = tw.count()[ow];
          int cells = nRows * nw;
          if (cells == 0) {
            y[o + ow] = 0f;
            continue;
          }
          float sum = 0f;
          for (int r = 0; r < nRows; r++) {
            for (int iw = xb + rows[r] + fw, end = iw + nw; iw < end; iw++) {
              sum += x[iw];
            }
          }
          y[o + ow] = sum / divisor(override, includePad, paddedDH * tw.padded()[ow], cells);
        }
      }
    }
  }

  /**
   * Adds dy / divisor into every input cell of each window, output by output in row-major order (the vector
   * rows keep that order for every dx cell).
   */
  private static void avgBackwardPlane(PoolNdGeometry g, Plan plan, boolean includePad, int override, float[] dy,
                                       float[] dx, int pl, int[] rows) {
    int OD = g.out(0), OH = g.out(1), OW = g.out(2);
    int xb = pl * g.inPlane();
    Taps td = plan.td(), th = plan.th(), tw = plan.tw();
    int[] in = plan.interior();
    int[][] maps = plan.maps();
    int vEnd = in[1], count = plan.count();
    int o = pl * g.outPlane();
    for (int od = 0; od < OD; od++) {
      for (int oh = 0; oh < OH; oh++, o += OW) {
        int nRows = windowRows(g, td, th, od, oh, rows);
        if (nRows == 0) {
          continue;
        }
        int paddedDH = td.padded()[od] * th.padded()[oh];
        boolean vec = count > 0;
        for (int ow = 0; ow < OW; ow++) {
          if (ow == in[0] && vec) {
            int k = g.kernel(2);
            PoolNdVector.avgBackRow(dy, o, divisor(override, includePad, paddedDH * k, nRows * k), dx, xb, rows, nRows,
                k, g.stride(2), g.pad(2), in[0], count, maps);
            ow = vEnd - 1;
            continue;
          }
          int fw = tw.first()[ow], nw = tw.count()[ow];
          int cells = nRows * nw;
          if (cells == 0) {
            continue;
          }
          float d = dy[o + ow] / divisor(override, includePad, paddedDH * tw.padded()[ow], cells);
          for (int r = 0; r < nRows; r++) {
            for (int iw = xb + rows[r] + fw, end = iw + nw; iw < end; iw++) {
              dx[iw] += d;
            }
          }
        }
      }
    }
  }

  /** Forward when dy == null (writes y), backward otherwise (adds into dx). */
  private static void lpPlane(PoolNdGeometry g, Taps td, Taps th, Taps tw, double p, float[] x, float[] y,
                              float[] dy, float[] dx, int pl) {
    int H = g.in(1), W = g.in(2), OD = g.out(0), OH = g.out(1), OW = g.out(2);
    int full = g.kernel(0) * g.kernel(1) * g.kernel(2);
    int xb = pl * g.inPlane();
    int o = pl * g.outPlane();
    for (int od = 0; od < OD; od++) {
      int fd = td.first()[od], nd = td.count()[od];
      for (int oh = 0; oh < OH; oh++) {
        int fh = th.first()[oh], nh = th.count()[oh];
        for (int ow = 0; ow < OW; ow++, o++) {
          int fw = tw.first()[ow], nw = tw.count()[ow];
          // no padding: the window size up to the input's end is the number of cells
          float scale = (float) full / (nd * nh * nw);
          if (dy == null) {
            float sum = 0f;
            for (int id = fd; id < fd + nd; id++) {
              for (int ih = fh; ih < fh + nh; ih++) {
                int row = xb + (id * H + ih) * W;
                for (int iw = row + fw, end = iw + nw; iw < end; iw++) {
                  sum += pow(x[iw], p);
                }
              }
            }
            y[o] = (float) Math.pow((sum / (nd * nh * nw)) * full, 1.0 / p);
          } else {
            double yv = y[o];
            double sum = Math.pow(yv, p);
            if (sum == 0 || !(yv == yv)) {
              continue;
            }
            float f = (float) (dy[o] * scale * yv / sum);
            for (int id = fd; id < fd + nd; id++) {
              for (int ih = fh; ih < fh + nh; ih++) {
                int row = xb + (id * H + ih) * W;
                for (int iw = row + fw, end = iw + nw; iw < end; iw++) {
                  dx[iw] += f * pow(x[iw], p - 1);
                }
              }
            }
          }
        }
      }
    }
  }

  private static float pow(float v, double p) {
    if (p == 1) {
      return v;
    }
    if (p == 2) {
      return v * v;
    }
    return (float) Math.pow(v, p);
  }

  private static void noDilation(PoolNdGeometry g) {
    if (g.dilated()) {
      throw new IllegalArgumentException("poolNd: average pooling has no dilation, got " + g);
    }
  }

  private static void lpGeometry(PoolNdGeometry g) {
    if (g.dilated() || g.pad(0) != 0 || g.pad(1) != 0 || g.pad(2) != 0) {
      throw new IllegalArgumentException("poolNd: LP pooling has no padding and no dilation, got " + g);
    }
  }

  static int grain(int inPlane) {
    return Math.max(1, 16_384 / Math.max(1, inPlane));
  }

  private static void check(float[] a, String name, long need, PoolNdGeometry g) {
    if (a == null || a.length < need) {
      throw new IllegalArgumentException("poolNd: " + name + " is " + (a == null ? "null" : "of length " + a.length)
          + ", needs " + need + " elements for " + g);
    }
  }
}
