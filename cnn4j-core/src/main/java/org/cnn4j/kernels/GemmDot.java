package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = alpha * A * B^T + beta * C} for a small C and a long k (A is m x k, B is n x k, both
 * row-major, so every element of C is a dot product of two contiguous rows). This is the shape of a
 * convolution's weight gradient when the patch is tiny (FashionCNN conv1: 32 x 9 over k = 784), where
 * packing and 8 x 32 tiles would waste most of the work. Blocks of 4 x 3 dot products share their
 * loads; lanes are reduced once per element. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmDot {
  private GemmDot() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();

  static void sgemmNT(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, boolean parallel) {
    int mBlocks = (m + 3) / 4;
    if (parallel) {
      Parallel.forRange(mBlocks, 1, (s, e) -> rows(s * 4, Math.min(m, e * 4), n, k, alpha, a, aOff, lda, b, bOff,
          ldb, beta, c, cOff, ldc));
    } else {
      rows(0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  private static void rows(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b,
                           int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int n3 = n - n % 3;
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int j = 0;
      for (; j < n3; j += 3) {
        block4x3(i, j, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
      for (; j < n; j++) {
        for (int r = 0; r < 4; r++) {
          one(i + r, j, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
      }
    }
    for (; i < i1; i++) {
      for (int j = 0; j < n; j++) {
        one(i, j, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
    }
  }

  private static void put(float[] c, int idx, float dot, float alpha, float beta) {
    float v = alpha * dot;
    c[idx] = beta == 0f ? v : v + beta * c[idx];
  }

  private static void one(int i, int j, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                          int ldb, float beta, float[] c, int cOff, int ldc) {
    int ai = aOff + i * lda, bi = bOff + j * ldb;
    FloatVector acc = FloatVector.zero(S);
    int p = 0;
    for (int end = k - V; p <= end; p += V) {
      acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), acc);
    }
    float s = VectorLanes.sum(acc);
    for (; p < k; p++) {
      s += a[ai + p] * b[bi + p];
    }
    put(c, cOff + i * ldc + j, s, alpha, beta);
  }

  private static void block4x3(int i, int j, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                               int ldb, float beta, float[] c, int cOff, int ldc) {
    int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb;
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    int p = 0;
    for (int end = k - V; p <= end; p += V) {
      FloatVector x0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector x1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector x2 = FloatVector.fromArray(S, b, b2 + p);
      FloatVector y = FloatVector.fromArray(S, a, a0 + p);
      c00 = y.fma(x0, c00);
      c01 = y.fma(x1, c01);
      c02 = y.fma(x2, c02);
      y = FloatVector.fromArray(S, a, a1 + p);
      c10 = y.fma(x0, c10);
      c11 = y.fma(x1, c11);
      c12 = y.fma(x2, c12);
      y = FloatVector.fromArray(S, a, a2 + p);
      c20 = y.fma(x0, c20);
      c21 = y.fma(x1, c21);
      c22 = y.fma(x2, c22);
      y = FloatVector.fromArray(S, a, a3 + p);
      c30 = y.fma(x0, c30);
      c31 = y.fma(x1, c31);
      c32 = y.fma(x2, c32);
    }
    // through an array: a vector argument of VectorLanes.sum would be boxed here (C2 stops inlining)
    float[] lanes = VectorLanes.scratch();
    c00.intoArray(lanes, 0);
    c01.intoArray(lanes, V);
    c02.intoArray(lanes, 2 * V);
    c10.intoArray(lanes, 3 * V);
    c11.intoArray(lanes, 4 * V);
    c12.intoArray(lanes, 5 * V);
    c20.intoArray(lanes, 6 * V);
    c21.intoArray(lanes, 7 * V);
    c22.intoArray(lanes, 8 * V);
    c30.intoArray(lanes, 9 * V);
    c31.intoArray(lanes, 10 * V);
    c32.intoArray(lanes, 11 * V);
    // the sums go to the front of the same array (sum t is stored at index t <= t * V, over lanes already
    // summed): no allocation per block
    float[] s = lanes;
    for (int t = 0; t < 12; t++) {
      s[t] = VectorLanes.sum(lanes, t * V);
    }
    for (; p < k; p++) {
      float y0 = a[a0 + p], y1 = a[a1 + p], y2 = a[a2 + p], y3 = a[a3 + p];
      float x0 = b[b0 + p], x1 = b[b1 + p], x2 = b[b2 + p];
      s[0] += y0 * x0;
      s[1] += y0 * x1;
      s[2] += y0 * x2;
      s[3] += y1 * x0;
      s[4] += y1 * x1;
      s[5] += y1 * x2;
      s[6] += y2 * x0;
      s[7] += y2 * x1;
      s[8] += y2 * x2;
      s[9] += y3 * x0;
      s[10] += y3 * x1;
      s[11] += y3 * x2;
    }
    for (int r = 0; r < 4; r++) {
      int ci = cOff + (i + r) * ldc + j;
      put(c, ci, s[3 * r], alpha, beta);
      put(c, ci + 1, s[3 * r + 1], alpha, beta);
      put(c, ci + 2, s[3 * r + 2], alpha, beta);
    }
  }
}
