package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * 1/2/3-D convolution with groups and dilation (NC[D]HW input, O(C/groups)[kD]kHkW weight), forward and both
 * backward passes. Picks a path per geometry:
 * <ul>
 *   <li>groups 1, dilation 1, a single depth slice (every Conv1d and Conv2d without the new options, and their
 *       transposed forms): the tuned 2-D kernels of {@link ConvKernels} (a 1-D conv is a 2-D conv of height 1);</li>
 *   <li>one input channel per group (depthwise, also with a channel multiplier): {@link ConvDepthwise}, direct
 *       loops without im2col;</li>
 *   <li>otherwise: per group, {@link Im2colNd} of a few images side by side and one {@link Gemm} with that group's
 *       weights (GEMM {@code [O/g, C/g*kvol] x [C/g*kvol, images*P]}).</li>
 * </ul>
 * Parallel over the batch (static chunks; weight gradients are reduced in chunk order), so results are
 * deterministic for a given thread count. {@link ConvNdReference} is the plain reference.
 */
public final class ConvNd {
  private ConvNd() {}

  private static final ChunkPartials PARTIALS = new ChunkPartials();

  /** Target GEMM width (images side by side) of the im2col path (1024 and 2048 measured no better). */
  static final int COLUMNS = 256;

  /** y = conv(x, w) + bias (bias may be null); y overwritten. */
  public static void forward(ConvNdGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    check(g, x, "x", (long) g.batch() * g.inPlane());
    check(g, w, "w", g.weightSize());
    check(g, y, "y", (long) g.batch() * g.outPlane());
    if (bias != null) {
      check(g, bias, "bias", g.outChannels());
    }
    Conv2dGeometry c2 = asConv2d(g);
    if (c2 != null) {
      ConvKernels.conv2dForward(c2, x, w, bias, y);
    } else if (g.inChannelsPerGroup() == 1) {
      ConvDepthwise.forward(g, x, w, bias, y);
    } else if (batchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> forwardRange(g, x, w, bias, y, s, e, false));
    } else {
      forwardRange(g, x, w, bias, y, 0, g.batch(), true);
    }
  }

  /** dx = gradient of sum(conv(x, w) * dy) with respect to x; dx overwritten. */
  public static void backwardInput(ConvNdGeometry g, float[] dy, float[] w, float[] dx) {
    check(g, dy, "dy", (long) g.batch() * g.outPlane());
    check(g, w, "w", g.weightSize());
    check(g, dx, "dx", (long) g.batch() * g.inPlane());
    Conv2dGeometry c2 = asConv2d(g);
    if (c2 != null) {
      ConvKernels.conv2dBackwardInput(c2, dy, w, dx);
    } else if (g.inChannelsPerGroup() == 1) {
      ConvDepthwise.backwardInput(g, dy, w, dx);
    } else if (batchParallel(g)) {
      Parallel.forRange(g.batch(), 1, (s, e) -> backwardInputRange(g, dy, w, dx, s, e, false));
    } else {
      backwardInputRange(g, dy, w, dx, 0, g.batch(), true);
    }
  }

  /** dw += gradient with respect to w; dBias += gradient with respect to the bias (dBias may be null). */
  public static void backwardWeight(ConvNdGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    backwardWeight(g, x, dy, dw, false, dBias);
  }

  /** As above, with dw overwritten when {@code overwriteDw} (see {@link ConvKernels}' weight gradient). */
  public static void backwardWeight(ConvNdGeometry g, float[] x, float[] dy, float[] dw, boolean overwriteDw,
                                    float[] dBias) {
    check(g, x, "x", (long) g.batch() * g.inPlane());
    check(g, dy, "dy", (long) g.batch() * g.outPlane());
    check(g, dw, "dw", g.weightSize());
    if (dBias != null) {
      check(g, dBias, "dBias", g.outChannels());
    }
    Conv2dGeometry c2 = asConv2d(g);
    if (c2 != null) {
      ConvKernels.conv2dBackwardWeight(c2, x, dy, dw, overwriteDw, dBias);
      return;
    }
    if (overwriteDw) {
      java.util.Arrays.fill(dw, 0, g.weightSize(), 0f);
    }
    if (g.inChannelsPerGroup() == 1) {
      ConvDepthwise.backwardWeight(g, x, dy, dw, dBias);
      return;
    }
    int wSize = g.weightSize(), O = g.outChannels();
    if (!batchParallel(g)) {
      float[] part = new float[wSize + O];
      backwardWeightRange(g, x, dy, part, 0, g.batch(), true);
      addPartial(part, wSize, O, dw, dBias);
      return;
    }
    int chunks = Parallel.chunks(g.batch(), 1);
    float[][] parts = PARTIALS.get(chunks, wSize + O);
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      float[] part = parts[Parallel.chunkIndex(g.batch(), chunks, s)];
      Arrays.fill(part, 0, wSize + O, 0f);
      backwardWeightRange(g, x, dy, part, s, e, false);
    });
    for (int c = 0; c < chunks; c++) {
      addPartial(parts[c], wSize, O, dw, dBias);
    }
  }

  /**
   * The same geometry as a {@link Conv2dGeometry} when the tuned 2-D kernels compute it exactly (groups 1,
   * dilation 1, one depth slice, and their floored output size equal to this one); null otherwise.
   */
  static Conv2dGeometry asConv2d(ConvNdGeometry g) {
    int[] in = g.in(), out = g.out(), k = g.kernel(), s = g.stride(), d = g.dilation(), p = g.pad();
    if (g.groups() != 1 || d[0] != 1 || d[1] != 1 || d[2] != 1 || in[0] != 1 || out[0] != 1 || k[0] != 1
        || p[0] != 0) {
      return null;
    }
    int pb = Math.max(0, g.padAfter(1)), pr = Math.max(0, g.padAfter(2));
    if (in[1] + p[1] + pb < k[1] || in[2] + p[2] + pr < k[2]) {
      return null;
    }
    Conv2dGeometry c2 = new Conv2dGeometry(g.batch(), g.inChannels(), in[1], in[2], g.outChannels(), k[1], k[2], s[1],
        s[2], p[1], p[2], pb, pr);
    return c2.outH() == out[1] && c2.outW() == out[2] ? c2 : null;
  }

  private static boolean batchParallel(ConvNdGeometry g) {
    return g.batch() >= Parallel.threads() || Parallel.inWorker();
  }

  /**
   * Images per GEMM: enough columns (>= 256) for full tiles, the im2col block kept within 8 MB.
   */
  private static int imagesPerGemm(ConvNdGeometry g, int rangeLen) {
    int P = g.outSpatial();
    long K = g.patchSize();
    int G = Math.max(1, (COLUMNS + P - 1) / P);
    while (G > 1 && K * G * P > (1L << 21)) {
      G--;
    }
    return Math.max(1, Math.min(G, rangeLen));
  }

  private static void forwardRange(ConvNdGeometry g, float[] x, float[] w, float[] bias, float[] y, int s, int e,
                                   boolean parallelGemm) {
    int groups = g.groups(), cg = g.inChannelsPerGroup(), og = g.outChannelsPerGroup();
    int K = g.patchSize(), P = g.outSpatial(), IS = g.inSpatial();
    int G = imagesPerGemm(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    float[] out = G > 1 ? Workspace.get(Workspace.CONV_COL2, og * G * P) : null;
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      for (int grp = 0; grp < groups; grp++) {
        for (int i = 0; i < gn; i++) {
          Im2colNd.im2col(g, cg, x, (n0 + i) * g.inPlane() + grp * cg * IS, col, i * P, N);
        }
        if (gn == 1) {
          int yOff = n0 * g.outPlane() + grp * og * P;
          float beta = 0f;
          if (bias != null) {
            for (int o = 0; o < og; o++) {
              Arrays.fill(y, yOff + o * P, yOff + (o + 1) * P, bias[grp * og + o]);
            }
            beta = 1f;
          }
          Gemm.multiply(parallelGemm, false, false, og, P, K, w, grp * og * K, K, col, 0, P, beta, y, yOff, P);
          continue;
        }
        Gemm.multiply(parallelGemm, false, false, og, N, K, w, grp * og * K, K, col, 0, N, 0f, out, 0, N);
        for (int i = 0; i < gn; i++) {
          int yOff = (n0 + i) * g.outPlane() + grp * og * P;
          for (int o = 0; o < og; o++) {
            float b = bias == null ? 0f : bias[grp * og + o];
            int src = o * N + i * P, dst = yOff + o * P;
            for (int p = 0; p < P; p++) {
              y[dst + p] = out[src + p] + b;
            }
          }
        }
      }
    }
  }

  /** dy of group {@code grp} of images [n0, n0+gn) side by side: [og, gn*P]; dy itself when gn == 1. */
  private static float[] gatherDy(ConvNdGeometry g, float[] dy, int n0, int gn, int grp) {
    int og = g.outChannelsPerGroup(), P = g.outSpatial(), N = gn * P;
    float[] dyG = Workspace.get(Workspace.CONV_COL2, og * N);
    for (int i = 0; i < gn; i++) {
      int off = (n0 + i) * g.outPlane() + grp * og * P;
      for (int o = 0; o < og; o++) {
        System.arraycopy(dy, off + o * P, dyG, o * N + i * P, P);
      }
    }
    return dyG;
  }

  private static void backwardInputRange(ConvNdGeometry g, float[] dy, float[] w, float[] dx, int s, int e,
                                         boolean parallelGemm) {
    int groups = g.groups(), cg = g.inChannelsPerGroup(), og = g.outChannelsPerGroup();
    int K = g.patchSize(), P = g.outSpatial(), IS = g.inSpatial();
    int G = imagesPerGemm(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    Arrays.fill(dx, s * g.inPlane(), e * g.inPlane(), 0f);
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      for (int grp = 0; grp < groups; grp++) {
        if (gn == 1) {
          Gemm.multiply(parallelGemm, true, false, K, N, og, w, grp * og * K, K, dy, n0 * g.outPlane() + grp * og * P, P, 0f,
              col, 0, N);
        } else {
          float[] dyG = gatherDy(g, dy, n0, gn, grp);
          Gemm.multiply(parallelGemm, true, false, K, N, og, w, grp * og * K, K, dyG, 0, N, 0f, col, 0, N);
        }
        for (int i = 0; i < gn; i++) {
          Im2colNd.col2im(g, cg, col, i * P, N, dx, (n0 + i) * g.inPlane() + grp * cg * IS);
        }
      }
    }
  }

  /** part[0, wSize) += dW and part[wSize, wSize + O) += dBias over images [s, e). */
  private static void backwardWeightRange(ConvNdGeometry g, float[] x, float[] dy, float[] part, int s, int e,
                                          boolean parallelGemm) {
    int groups = g.groups(), cg = g.inChannelsPerGroup(), og = g.outChannelsPerGroup();
    int K = g.patchSize(), P = g.outSpatial(), IS = g.inSpatial(), wSize = g.weightSize();
    int G = imagesPerGemm(g, e - s);
    float[] col = Workspace.get(Workspace.CONV_COL, K * G * P);
    for (int n0 = s; n0 < e; n0 += G) {
      int gn = Math.min(G, e - n0), N = gn * P;
      for (int grp = 0; grp < groups; grp++) {
        for (int i = 0; i < gn; i++) {
          Im2colNd.im2col(g, cg, x, (n0 + i) * g.inPlane() + grp * cg * IS, col, i * P, N);
        }
        float[] dyG;
        int dyOff, ld;
        if (gn == 1) {
          dyG = dy;
          dyOff = n0 * g.outPlane() + grp * og * P;
          ld = P;
        } else {
          dyG = gatherDy(g, dy, n0, gn, grp);
          dyOff = 0;
          ld = N;
        }
        Gemm.multiply(parallelGemm, false, true, og, K, N, dyG, dyOff, ld, col, 0, N, 1f, part, grp * og * K, K);
        for (int o = 0; o < og; o++) {
          part[wSize + grp * og + o] += ConvDepthwise.sum(dyG, dyOff + o * ld, N);
        }
      }
    }
  }

  private static void addPartial(float[] part, int wSize, int O, float[] dw, float[] dBias) {
    for (int i = 0; i < wSize; i++) {
      dw[i] += part[i];
    }
    if (dBias != null) {
      for (int o = 0; o < O; o++) {
        dBias[o] += part[wSize + o];
      }
    }
  }

  static void check(ConvNdGeometry g, float[] a, String name, long need) {
    if (a == null) {
      throw new IllegalArgumentException("conv: " + name + " is null for " + g);
    }
    if (a.length < need) {
      throw new IllegalArgumentException("conv: " + name + " has " + a.length + " elements, needs " + need + " for " + g);
    }
  }
}
