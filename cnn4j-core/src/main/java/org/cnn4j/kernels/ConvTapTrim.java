package org.cnn4j.kernels;

/**
 * Exact reduction of a convolution whose kernel has taps that never touch the input (they only ever multiply
 * padding zeros): on tiny spatial maps, e.g. ResNet-18's layer4 at 32x32 input (3x3 p1 on a 1x1 map: only the
 * centre tap reads data, so the conv is a 1x1 conv with 9x less work) or a 3x3 s2 p1 conv from 2x2 to 1x1
 * (a 2x2 conv). The kernel rows {@code [kiLo, kiHi]} and columns {@code [kjLo, kjHi]} that can read data form the
 * trimmed kernel; padding shrinks by the same amount so the output grid is unchanged. The forward pass and the
 * input gradient are those of the trimmed geometry with the sliced weights; the weight gradient of a dead tap is
 * exactly zero (dw is left unchanged there, or written 0 when a fresh gradient is overwritten) and the live taps
 * get the trimmed geometry's weight gradient.
 */
final class ConvTapTrim {
  private ConvTapTrim() {}

  /** Switch off with -Dcnn4j.conv.taptrim=false. */
  static final boolean ENABLED = !"false".equals(System.getProperty("cnn4j.conv.taptrim"));

  private static final ThreadLocal<float[][]> BUF = ThreadLocal.withInitial(() -> new float[2][0]);

  /** The trimmed geometry, or null when every tap can read data (or the trim cannot be expressed). */
  static Conv2dGeometry trim(Conv2dGeometry g) {
    if (!ENABLED) {
      return null;
    }
    int[] h = range(g.inH(), g.kernelH(), g.strideH(), g.padTop(), g.padBottom(), g.outH());
    int[] w = range(g.inW(), g.kernelW(), g.strideW(), g.padLeft(), g.padRight(), g.outW());
    if (h == null || w == null) {
      return null;
    }
    int kh = h[1] - h[0] + 1, kw = w[1] - w[0] + 1;
    if (kh == g.kernelH() && kw == g.kernelW()) {
      return null;
    }
    Conv2dGeometry t = new Conv2dGeometry(g.batch(), g.inChannels(), g.inH(), g.inW(), g.outChannels(), kh, kw,
        g.strideH(), g.strideW(), g.padTop() - h[0], g.padLeft() - w[0], h[2], w[2]);
    if (t.outH() != g.outH() || t.outW() != g.outW()) {
      return null;
    }
    return t;
  }

  /**
   * {lo, hi, padEnd'} of the taps along one axis that read data for some output, or the whole kernel when the
   * trimmed geometry would need negative padding; null if no tap reads data (cannot happen for a valid geometry).
   */
  private static int[] range(int in, int k, int s, int pad, int padEndOrig, int out) {
    int lo = -1, hi = -1;
    for (int t = 0; t < k; t++) {
      boolean live = false;
      for (int o = 0; o < out && !live; o++) {
        int i = o * s - pad + t;
        live = i >= 0 && i < in;
      }
      if (live) {
        if (lo < 0) {
          lo = t;
        }
        hi = t;
      }
    }
    if (lo < 0) {
      return null;
    }
    int kt = hi - lo + 1;
    int padStart = pad - lo;
    int padEnd = (out - 1) * s + kt - in - padStart;
    if (padStart < 0 || padEnd < 0) {
      return new int[] {0, k - 1, padEndOrig};
    }
    return new int[] {lo, hi, padEnd};
  }

  private static float[] buf(int slot, int size) {
    float[][] b = BUF.get();
    if (b[slot].length < size) {
      b[slot] = new float[size];
    }
    return b[slot];
  }

  /**
   * The live taps of w ([O, C, KH, KW]) as [O, C, kh, kw]: kept in {@code views} when given (derived once per
   * forward), otherwise in a per-thread buffer.
   */
  static float[] sliceWeights(Conv2dGeometry g, Conv2dGeometry t, float[] w, WeightViews views) {
    int n = g.outChannels() * g.inChannels() * t.kernelH() * t.kernelW();
    return WeightViews.derived(views, n, size -> buf(0, size), out -> slice(g, t, w, out));
  }

  private static void slice(Conv2dGeometry g, Conv2dGeometry t, float[] w, float[] out) {
    int[] first = {firstTap(g, t)};
    // strided reads of the whole weight (memory bound for ResNet's layer4: 9.4 MB): both threads, disjoint rows
    Parallel.forRange(g.outChannels() * g.inChannels(), 4096, (s, e) -> KernelWindows.gather(w, g.kernelH(),
        g.kernelW(), first, t.kernelH(), t.kernelW(), out, 0, s, e));
  }

  /** A per-thread buffer for the trimmed weight gradient (contents unspecified: it is overwritten). */
  static float[] gradBuffer(Conv2dGeometry t) {
    return buf(1, t.outChannels() * t.patchSize());
  }

  /** dw[live taps] += dwt; with {@code overwrite} dw is written whole (0 at the dead taps). */
  static void putGrad(Conv2dGeometry g, Conv2dGeometry t, float[] dwt, float[] dw, boolean overwrite) {
    int rows = g.outChannels() * g.inChannels();
    int[] first = {firstTap(g, t)};
    Parallel.forRange(rows, 4096, (s, e) -> KernelWindows.scatterAdd(dwt, 0, t.kernelH(), t.kernelW(), dw,
        g.kernelH(), g.kernelW(), first, overwrite, s, e));
  }

  /**
   * Index of the trimmed kernel's top-left tap inside one original KH x KW kernel: padding shrank by the rows
   * and columns of taps cut off.
   */
  private static int firstTap(Conv2dGeometry g, Conv2dGeometry t) {
    return (g.padTop() - t.padTop()) * g.kernelW() + g.padLeft() - t.padLeft();
  }
}
