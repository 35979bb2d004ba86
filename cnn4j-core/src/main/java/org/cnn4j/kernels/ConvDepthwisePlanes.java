package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Depthwise 1-D/2-D convolution (one input channel per group) on whole planes: every kernel tap becomes one long
 * contiguous axpy (forward, input gradient) or dot product (weight gradient), whatever the stride, dilation and
 * padding.
 *
 * <p>The zero-padded input plane ({@code Wq} = padded width, the span the output reads) is split by rows into
 * {@code sh} phase planes of {@code Hq x Wq}, phase {@code rp} holding padded rows {@code a*sh + rp}. Output
 * {@code (oh, ow)} reads tap {@code (kh, kw)} at padded {@code (oh*sh + kh*dh, ow*sw + kw*dw)}, which is phase
 * {@code (kh*dh) % sh}, row {@code oh + (kh*dh)/sh}, column {@code ow*sw + kw*dw}. The output is computed at full
 * column resolution, laid out {@code Wq} wide: a tap is the flat shift {@code acc[i] += w * phase[i + shift]},
 * and output {@code (oh, ow)} is {@code acc[oh*Wq + ow*sw]}. The other columns are junk (a column stride of 2
 * costs twice the multiply-adds, all of them vectorised, instead of a strided gather of the input); in the
 * backward passes the upstream gradient is laid out the same way with zeros there, so they contribute nothing.
 * For stride 1 this is the classic shifted-input scheme.
 */
final class ConvDepthwisePlanes {
  private ConvDepthwisePlanes() {}

  /** Per-thread scratch: phases, output/upstream plane, phase gradients. */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

  private static float[] scratch(int slot, int size) {
    float[][] s = SCRATCH.get();
    if (s[slot].length < size) {
      s[slot] = new float[size];
    }
    return s[slot];
  }

  static boolean applies(ConvNdGeometry g) {
    return g.inChannelsPerGroup() == 1 && g.in()[0] == 1 && g.kernel()[0] == 1 && g.out()[0] == 1;
  }

  /** The plane layout of one geometry. */
  private record Layout(int sh, int sw, int hq, int wq, int oh, int ow, int len, int[] tapOffset) {
    int phases() {
      return sh * hq * wq;
    }

    static Layout of(ConvNdGeometry g) {
      int[] out = g.out(), k = g.kernel(), s = g.stride(), d = g.dilation();
      int hp = (out[1] - 1) * s[1] + (k[1] - 1) * d[1] + 1, wp = (out[2] - 1) * s[2] + (k[2] - 1) * d[2] + 1;
      int hq = (hp + s[1] - 1) / s[1];
      int[] off = new int[k[1] * k[2]];
      for (int kh = 0; kh < k[1]; kh++) {
        for (int kw = 0; kw < k[2]; kw++) {
          int rh = kh * d[1];
          off[kh * k[2] + kw] = (rh % s[1]) * hq * wp + (rh / s[1]) * wp + kw * d[2];
        }
      }
      return new Layout(s[1], s[2], hq, wp, out[1], out[2], (out[1] - 1) * wp + (out[2] - 1) * s[2] + 1, off);
    }
  }

  /** Columns [jLo, jHi) of a padded row that hold input (the rest is padding). */
  private static int jLo(ConvNdGeometry g, Layout l) {
    return Math.min(l.wq, g.pad()[2]);
  }

  private static int jHi(ConvNdGeometry g, Layout l) {
    return Math.max(jLo(g, l), Math.min(l.wq, g.pad()[2] + g.in()[2]));
  }

  /** Phase planes of input plane x[xOff ...] (zero outside the input). */
  private static void phases(ConvNdGeometry g, Layout l, float[] x, int xOff, float[] p) {
    int ih = g.in()[1], iw = g.in()[2], pt = g.pad()[1], pl = g.pad()[2];
    int lo = jLo(g, l), hi = jHi(g, l);
    int q = 0;
    for (int rp = 0; rp < l.sh; rp++) {
      for (int a = 0; a < l.hq; a++, q += l.wq) {
        int r = a * l.sh + rp - pt;
        if (r < 0 || r >= ih) {
          Arrays.fill(p, q, q + l.wq, 0f);
          continue;
        }
        Arrays.fill(p, q, q + lo, 0f);
        System.arraycopy(x, xOff + r * iw + lo - pl, p, q + lo, hi - lo);
        Arrays.fill(p, q + hi, q + l.wq, 0f);
      }
    }
  }

  /** dx plane[xOff ...] = the phase-plane gradient dp gathered back (positions no tap reads get 0). */
  private static void unphases(ConvNdGeometry g, Layout l, float[] dp, float[] dx, int xOff) {
    int ih = g.in()[1], iw = g.in()[2], pt = g.pad()[1], pl = g.pad()[2];
    int lo = jLo(g, l), hi = jHi(g, l);
    if (l.hq * l.sh - pt < ih || hi - lo < iw) {
      Arrays.fill(dx, xOff, xOff + ih * iw, 0f); // trailing input rows/columns that no output reads
    }
    int q = 0;
    for (int rp = 0; rp < l.sh; rp++) {
      for (int a = 0; a < l.hq; a++, q += l.wq) {
        int r = a * l.sh + rp - pt;
        if (r >= 0 && r < ih) {
          System.arraycopy(dp, q + lo, dx, xOff + r * iw + lo - pl, hi - lo);
        }
      }
    }
  }

  /** The upstream plane dy[yOff ...] laid out as the output (row stride wq, column stride sw), zeros elsewhere. */
  private static void spread(Layout l, float[] dy, int yOff, float[] q) {
    if (l.sw == 1) {
      for (int r = 0; r < l.oh; r++) {
        System.arraycopy(dy, yOff + r * l.ow, q, r * l.wq, l.ow);
        Arrays.fill(q, r * l.wq + l.ow, (r + 1) * l.wq, 0f);
      }
      return;
    }
    Arrays.fill(q, 0, l.oh * l.wq, 0f);
    for (int r = 0; r < l.oh; r++) {
      int src = yOff + r * l.ow, dst = r * l.wq;
      for (int c = 0; c < l.ow; c++) {
        q[dst + c * l.sw] = dy[src + c];
      }
    }
  }

  private static void axpy(float w, float[] src, int srcOff, float[] dst, int dstOff, int len) {
    if (VectorSupport.ENABLED) {
      ConvVector.axpy(w, src, srcOff, dst, dstOff, len);
      return;
    }
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] += w * src[srcOff + i];
    }
  }

  private static int grain(ConvNdGeometry g) {
    long work = (long) g.outSpatial() * g.kernelVolume();
    return (int) Math.max(1, 16384 / Math.max(1, work));
  }

  static void forward(ConvNdGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    Layout l = Layout.of(g);
    int O = g.outChannels(), mult = g.outChannelsPerGroup(), kv = g.kernelVolume(), os = g.outSpatial();
    Parallel.forRange(g.batch() * O, grain(g), (s, e) -> {
      float[] p = scratch(0, l.phases()), acc = scratch(1, l.oh * l.wq);
      int loaded = -1;
      for (int u = s; u < e; u++) {
        int n = u / O, oc = u % O, plane = n * g.inChannels() + oc / mult;
        if (plane != loaded) {
          phases(g, l, x, plane * g.inSpatial(), p);
          loaded = plane;
        }
        Arrays.fill(acc, 0, l.len, bias == null ? 0f : bias[oc]);
        for (int t = 0; t < kv; t++) {
          axpy(w[oc * kv + t], p, l.tapOffset[t], acc, 0, l.len);
        }
        int yOff = u * os;
        for (int r = 0; r < l.oh; r++) {
          if (l.sw == 1) {
            System.arraycopy(acc, r * l.wq, y, yOff + r * l.ow, l.ow);
          } else {
            for (int c = 0; c < l.ow; c++) {
              y[yOff + r * l.ow + c] = acc[r * l.wq + c * l.sw];
            }
          }
        }
      }
    });
  }

  static void backwardInput(ConvNdGeometry g, float[] dy, float[] w, float[] dx) {
    Layout l = Layout.of(g);
    int C = g.inChannels(), O = g.outChannels(), mult = g.outChannelsPerGroup(), kv = g.kernelVolume();
    Parallel.forRange(g.batch() * C, grain(g), (s, e) -> {
      float[] dq = scratch(1, l.oh * l.wq), dp = scratch(2, l.phases());
      for (int u = s; u < e; u++) {
        int n = u / C, c = u % C;
        Arrays.fill(dp, 0, l.phases(), 0f);
        for (int j = 0; j < mult; j++) {
          int oc = c * mult + j;
          spread(l, dy, (n * O + oc) * g.outSpatial(), dq);
          for (int t = 0; t < kv; t++) {
            axpy(w[oc * kv + t], dq, 0, dp, l.tapOffset[t], l.len);
          }
        }
        unphases(g, l, dp, dx, u * g.inSpatial());
      }
    });
  }

  static void backwardWeight(ConvNdGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    Layout l = Layout.of(g);
    int C = g.inChannels(), O = g.outChannels(), mult = g.outChannelsPerGroup(), kv = g.kernelVolume();
    Parallel.forRange(O, 1, (s, e) -> {
      float[] p = scratch(0, l.phases()), dq = scratch(1, l.oh * l.wq);
      float[] acc = new float[kv];
      for (int oc = s; oc < e; oc++) {
        Arrays.fill(acc, 0f);
        float b = 0f;
        for (int n = 0; n < g.batch(); n++) {
          int yOff = (n * O + oc) * g.outSpatial();
          phases(g, l, x, (n * C + oc / mult) * g.inSpatial(), p);
          spread(l, dy, yOff, dq);
          for (int t = 0; t < kv; t++) {
            acc[t] += ConvDepthwise.dot(dq, 0, p, l.tapOffset[t], 1, l.len);
          }
          if (dBias != null) {
            b += ConvDepthwise.sum(dy, yOff, g.outSpatial());
          }
        }
        for (int t = 0; t < kv; t++) {
          dw[oc * kv + t] += acc[t];
        }
        if (dBias != null) {
          dBias[oc] += b;
        }
      }
    });
  }
}
