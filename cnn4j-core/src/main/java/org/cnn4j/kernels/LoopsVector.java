package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API versions of {@link Loops}; loaded only when {@link VectorSupport#ENABLED}. */
final class LoopsVector {
  private LoopsVector() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  static float sum(float[] a, int off, int len) {
    FloatVector acc = FloatVector.zero(S);
    int i = off, end = off + len, vEnd = off + S.loopBound(len);
    for (; i < vEnd; i += L) {
      acc = acc.add(FloatVector.fromArray(S, a, i));
    }
    float s = VectorLanes.sum(acc);
    for (; i < end; i++) {
      s += a[i];
    }
    return s;
  }

  static float sumSquaredDeviation(float[] a, int off, int len, float mean) {
    FloatVector acc = FloatVector.zero(S);
    FloatVector m = FloatVector.broadcast(S, mean);
    int i = off, end = off + len, vEnd = off + S.loopBound(len);
    for (; i < vEnd; i += L) {
      FloatVector d = FloatVector.fromArray(S, a, i).sub(m);
      acc = d.fma(d, acc);
    }
    float s = VectorLanes.sum(acc);
    for (; i < end; i++) {
      float d = a[i] - mean;
      s += d * d;
    }
    return s;
  }

  static float dotCentered(float[] a, int aOff, float[] b, int bOff, int len, float mean) {
    FloatVector acc = FloatVector.zero(S);
    FloatVector m = FloatVector.broadcast(S, mean);
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector d = FloatVector.fromArray(S, a, aOff + j).sub(m);
      acc = d.fma(FloatVector.fromArray(S, b, bOff + j), acc);
    }
    float s = VectorLanes.sum(acc);
    for (; j < len; j++) {
      s += b[bOff + j] * (a[aOff + j] - mean);
    }
    return s;
  }

  static void affineRelu(float[] x, int off, float[] out, int outOff, int len, float scale, float shift) {
    FloatVector a = FloatVector.broadcast(S, scale), b = FloatVector.broadcast(S, shift), zero = FloatVector.zero(S);
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector.fromArray(S, x, off + j).mul(a).add(b).max(zero).intoArray(out, outOff + j);
    }
    for (; j < len; j++) {
      out[outOff + j] = Math.max(x[off + j] * scale + shift, 0f);
    }
  }

  static void affineInto(float[] x, float[] dst, int off, int len, float scale, float shift, boolean accumulate) {
    FloatVector a = FloatVector.broadcast(S, scale), b = FloatVector.broadcast(S, shift);
    int i = off, vEnd = off + S.loopBound(len);
    for (; i < vEnd; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i).mul(a).add(b);
      if (accumulate) {
        v = FloatVector.fromArray(S, dst, i).add(v);
      }
      v.intoArray(dst, i);
    }
    Loops.affineIntoScalar(x, dst, i, off + len - i, scale, shift, accumulate);
  }

  static void reluMask(float[] y, float[] dy, int off, float[] dst, int dstOff, int len) {
    FloatVector zero = FloatVector.zero(S);
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      VectorMask<Float> positive = FloatVector.fromArray(S, y, off + j).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, dy, off + j), positive).intoArray(dst, dstOff + j);
    }
    for (; j < len; j++) {
      dst[dstOff + j] = y[off + j] > 0f ? dy[off + j] : 0f;
    }
  }

  static void reluBackward(float[] y, float[] dy, float[] dx, int off, int len, boolean accumulate) {
    FloatVector zero = FloatVector.zero(S);
    int i = off, end = off + len, vEnd = off + S.loopBound(len);
    for (; i < vEnd; i += L) {
      VectorMask<Float> positive = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
      FloatVector g = zero.blend(FloatVector.fromArray(S, dy, i), positive);
      if (accumulate) {
        g = g.add(FloatVector.fromArray(S, dx, i));
      }
      g.intoArray(dx, i);
    }
    for (; i < end; i++) {
      float g = y[i] > 0f ? dy[i] : 0f;
      dx[i] = accumulate ? dx[i] + g : g;
    }
  }

  // Row sweeps of batch norm on small planes (NormKernels' sweep variants): per-position coefficient arrays,
  // multiply then add (no FMA) so that each result equals Loops' scalar version bit for bit.

  static void addRow(float[] a, int off, float[] acc, int len) {
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, a, off + j)).intoArray(acc, j);
    }
    for (; j < len; j++) {
      acc[j] += a[off + j];
    }
  }

  static void addSquaredDeviationsRow(float[] x, int off, float[] center, float[] acc, int len) {
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector d = FloatVector.fromArray(S, x, off + j).sub(FloatVector.fromArray(S, center, j));
      FloatVector.fromArray(S, acc, j).add(d.mul(d)).intoArray(acc, j);
    }
    for (; j < len; j++) {
      float d = x[off + j] - center[j];
      acc[j] += d * d;
    }
  }

  static void affineRow(float[] x, int off, float[] scale, float[] shift, float[] y, boolean relu, int len) {
    FloatVector zero = FloatVector.zero(S);
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, off + j).mul(FloatVector.fromArray(S, scale, j))
          .add(FloatVector.fromArray(S, shift, j));
      (relu ? v.max(zero) : v).intoArray(y, off + j);
    }
    Loops.affineRowScalar(x, off + j, scale, shift, j, y, relu, len - j);
  }

  static void addGradientSumsRow(float[] g, int gOff, float[] x, int off, float[] center, float[] sumG,
                                 float[] sumGX, int len) {
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector gv = FloatVector.fromArray(S, g, gOff + j);
      FloatVector.fromArray(S, sumG, j).add(gv).intoArray(sumG, j);
      FloatVector d = FloatVector.fromArray(S, x, off + j).sub(FloatVector.fromArray(S, center, j));
      FloatVector.fromArray(S, sumGX, j).add(d.mul(gv)).intoArray(sumGX, j);
    }
    for (; j < len; j++) {
      float gj = g[gOff + j];
      sumG[j] += gj;
      sumGX[j] += (x[off + j] - center[j]) * gj;
    }
  }

  static void linearRow(float[] k, float[] g, int gOff, float[] a, float[] x, int off, float[] bias, float[] dx,
                        boolean accumulate, int len) {
    int j = 0, vEnd = S.loopBound(len);
    for (; j < vEnd; j += L) {
      FloatVector v = FloatVector.fromArray(S, k, j).mul(FloatVector.fromArray(S, g, gOff + j))
          .add(FloatVector.fromArray(S, a, j).mul(FloatVector.fromArray(S, x, off + j)))
          .add(FloatVector.fromArray(S, bias, j));
      if (accumulate) {
        v = FloatVector.fromArray(S, dx, off + j).add(v);
      }
      v.intoArray(dx, off + j);
    }
    for (; j < len; j++) {
      float v = k[j] * g[gOff + j] + a[j] * x[off + j] + bias[j];
      dx[off + j] = accumulate ? dx[off + j] + v : v;
    }
  }
}
