package org.cnn4j.kernels;

/**
 * Vectorised inner loops shared by the normalisation and activation kernels. Dispatches to
 * {@link LoopsVector} when the Vector API is enabled, otherwise runs the scalar code here, which is
 * also the reference the tests compare against.
 */
final class Loops {
  private Loops() {}

  private static final boolean VECTOR = VectorSupport.ENABLED;

  /** Sum of a[off, off+len). */
  static float sum(float[] a, int off, int len) {
    return VECTOR ? LoopsVector.sum(a, off, len) : sumScalar(a, off, len);
  }

  /** Sum of (a[i] - mean)^2 over [off, off+len). */
  static float sumSquaredDeviation(float[] a, int off, int len, float mean) {
    return VECTOR ? LoopsVector.sumSquaredDeviation(a, off, len, mean) : sumSquaredDeviationScalar(a, off, len, mean);
  }

  /** Sum over j < len of b[bOff + j] * (a[aOff + j] - mean). */
  static float dotCentered(float[] a, int aOff, float[] b, int bOff, int len, float mean) {
    return VECTOR ? LoopsVector.dotCentered(a, aOff, b, bOff, len, mean) : dotCenteredScalar(a, aOff, b, bOff, len, mean);
  }

  /** ReLU's backward into another array: dst[dstOff + j] = y[off + j] > 0 ? dy[off + j] : 0 for j < len. */
  static void reluMask(float[] y, float[] dy, int off, float[] dst, int dstOff, int len) {
    if (VECTOR) {
      LoopsVector.reluMask(y, dy, off, dst, dstOff, len);
    } else {
      reluMaskScalar(y, dy, off, dst, dstOff, len);
    }
  }

  /** dx = (accumulate ? dx : 0) + (y > 0 ? dy : 0) over [off, off+len). */
  static void reluBackward(float[] y, float[] dy, float[] dx, int off, int len, boolean accumulate) {
    if (VECTOR) {
      LoopsVector.reluBackward(y, dy, dx, off, len, accumulate);
    } else {
      reluBackwardScalar(y, dy, dx, off, len, accumulate);
    }
  }

  /**
   * out[outOff + j] = max(x[off + j] * scale + shift, 0) for j < len (batch norm's affine and ReLU; multiply
   * then add, no FMA, so results equal the scalar expression bit for bit).
   */
  static void affineRelu(float[] x, int off, float[] out, int outOff, int len, float scale, float shift) {
    if (VECTOR) {
      LoopsVector.affineRelu(x, off, out, outOff, len, scale, shift);
    } else {
      for (int j = 0; j < len; j++) {
        out[outOff + j] = Math.max(x[off + j] * scale + shift, 0f);
      }
    }
  }

  /**
   * dst[j] (+)= x[j] * scale + shift over [off, off+len), added to dst when {@code accumulate} (multiply then
   * add, no FMA, as {@link #affineRelu}).
   */
  static void affineInto(float[] x, float[] dst, int off, int len, float scale, float shift, boolean accumulate) {
    if (VECTOR) {
      LoopsVector.affineInto(x, dst, off, len, scale, shift, accumulate);
    } else {
      affineIntoScalar(x, dst, off, len, scale, shift, accumulate);
    }
  }

  static void affineIntoScalar(float[] x, float[] dst, int off, int len, float scale, float shift,
                               boolean accumulate) {
    for (int i = off, end = off + len; i < end; i++) {
      float v = x[i] * scale + shift;
      dst[i] = accumulate ? dst[i] + v : v;
    }
  }

  static float sumScalar(float[] a, int off, int len) {
    double s = 0;
    for (int i = off, end = off + len; i < end; i++) {
      s += a[i];
    }
    return (float) s;
  }

  static float sumSquaredDeviationScalar(float[] a, int off, int len, float mean) {
    double s = 0;
    for (int i = off, end = off + len; i < end; i++) {
      double d = a[i] - mean;
      s += d * d;
    }
    return (float) s;
  }

  static float dotCenteredScalar(float[] a, int aOff, float[] b, int bOff, int len, float mean) {
    double s = 0;
    for (int j = 0; j < len; j++) {
      s += (double) b[bOff + j] * (a[aOff + j] - mean);
    }
    return (float) s;
  }

  static void reluMaskScalar(float[] y, float[] dy, int off, float[] dst, int dstOff, int len) {
    for (int j = 0; j < len; j++) {
      dst[dstOff + j] = y[off + j] > 0f ? dy[off + j] : 0f;
    }
  }

  static void reluBackwardScalar(float[] y, float[] dy, float[] dx, int off, int len, boolean accumulate) {
    for (int i = off, end = off + len; i < end; i++) {
      float g = y[i] > 0f ? dy[i] : 0f;
      dx[i] = accumulate ? dx[i] + g : g;
    }
  }
  // ---- row sweeps of batch norm on small planes: c[j] are per-position coefficients, a row is [off, off+len)

  /** acc[j] += a[off + j] for j < len. */
  static void addRow(float[] a, int off, float[] acc, int len) {
    if (VECTOR) {
      LoopsVector.addRow(a, off, acc, len);
    } else {
      addRowScalar(a, off, acc, len);
    }
  }

  /** acc[j] += (x[off + j] - center[j])^2 for j < len. */
  static void addSquaredDeviationsRow(float[] x, int off, float[] center, float[] acc, int len) {
    if (VECTOR) {
      LoopsVector.addSquaredDeviationsRow(x, off, center, acc, len);
    } else {
      addSquaredDeviationsRowScalar(x, off, center, acc, len);
    }
  }

  /** y[off + j] = x[off + j] * scale[j] + shift[j], then max(., 0) when relu, for j < len. */
  static void affineRow(float[] x, int off, float[] scale, float[] shift, float[] y, boolean relu, int len) {
    if (VECTOR) {
      LoopsVector.affineRow(x, off, scale, shift, y, relu, len);
    } else {
      affineRowScalar(x, off, scale, shift, 0, y, relu, len);
    }
  }

  /** sumG[j] += g[gOff + j]; sumGX[j] += (x[off + j] - center[j]) * g[gOff + j] for j < len. */
  static void addGradientSumsRow(float[] g, int gOff, float[] x, int off, float[] center, float[] sumG, float[] sumGX,
                                 int len) {
    if (VECTOR) {
      LoopsVector.addGradientSumsRow(g, gOff, x, off, center, sumG, sumGX, len);
    } else {
      addGradientSumsRowScalar(g, gOff, x, off, center, sumG, sumGX, len);
    }
  }

  /** dx[off + j] (+)= k[j] * g[gOff + j] + a[j] * x[off + j] + bias[j] for j < len. */
  static void linearRow(float[] k, float[] g, int gOff, float[] a, float[] x, int off, float[] bias, float[] dx,
                        boolean accumulate, int len) {
    if (VECTOR) {
      LoopsVector.linearRow(k, g, gOff, a, x, off, bias, dx, accumulate, len);
    } else {
      linearRowScalar(k, g, gOff, a, x, off, bias, dx, accumulate, len);
    }
  }

  static void addRowScalar(float[] a, int off, float[] acc, int len) {
    for (int j = 0; j < len; j++) {
      acc[j] += a[off + j];
    }
  }

  static void addSquaredDeviationsRowScalar(float[] x, int off, float[] center, float[] acc, int len) {
    for (int j = 0; j < len; j++) {
      float d = x[off + j] - center[j];
      acc[j] += d * d;
    }
  }

  /** As {@link #affineRow} with the coefficients read from {@code cOff} on (the vector version's tail). */
  static void affineRowScalar(float[] x, int off, float[] scale, float[] shift, int cOff, float[] y, boolean relu,
                              int len) {
    for (int j = 0; j < len; j++) {
      float v = x[off + j] * scale[cOff + j] + shift[cOff + j];
      y[off + j] = relu ? Math.max(v, 0f) : v;
    }
  }

  static void addGradientSumsRowScalar(float[] g, int gOff, float[] x, int off, float[] center, float[] sumG,
                                       float[] sumGX, int len) {
    for (int j = 0; j < len; j++) {
      float gj = g[gOff + j];
      sumG[j] += gj;
      sumGX[j] += (x[off + j] - center[j]) * gj;
    }
  }

  static void linearRowScalar(float[] k, float[] g, int gOff, float[] a, float[] x, int off, float[] bias, float[] dx,
                              boolean accumulate, int len) {
    for (int j = 0; j < len; j++) {
      float v = k[j] * g[gOff + j] + a[j] * x[off + j] + bias[j];
      dx[off + j] = accumulate ? dx[off + j] + v : v;
    }
  }
}
