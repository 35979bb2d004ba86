package org.cnn4j.kernels;

/**
 * The portable GEMM path used when the Vector API module is not available at runtime. Plain Java
 * loops written so that HotSpot's auto-vectoriser can handle the inner loop (row of C += a * row of
 * B); transposed B is packed first so that the inner loop is always contiguous.
 */
final class GemmScalar {
  private GemmScalar() {}

  private static final ThreadLocal<float[][]> PACK = ThreadLocal.withInitial(() -> new float[1][0]);

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc, boolean parallel) {
    final float[] bb;
    final int bo;
    final int lb;
    if (transB && k > 0) {
      float[][] holder = PACK.get();
      if (holder[0].length < k * n) {
        holder[0] = new float[k * n];
      }
      bb = holder[0];
      for (int j = 0; j < n; j++) {
        int src = bOff + j * ldb;
        for (int p = 0; p < k; p++) {
          bb[p * n + j] = b[src + p];
        }
      }
      bo = 0;
      lb = n;
    } else {
      bb = b;
      bo = bOff;
      lb = ldb;
    }
    Parallel.RangeBody body = (i0, i1) -> rows(transA, i0, i1, n, k, alpha, a, aOff, lda, bb, bo, lb, beta, c, cOff, ldc);
    if (parallel) {
      Parallel.forRange(m, Math.max(1, (int) (32_768L / Math.max(1L, (long) n * k)) + 1), body);
    } else {
      body.run(0, m);
    }
  }

  private static void rows(boolean transA, int i0, int i1, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * ldc;
      if (beta == 0f) {
        java.util.Arrays.fill(c, ci, ci + n, 0f);
      } else if (beta != 1f) {
        for (int j = 0; j < n; j++) {
          c[ci + j] *= beta;
        }
      }
      for (int p = 0; p < k; p++) {
        float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        int bi = bOff + p * ldb;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bi + j];
        }
      }
    }
  }
}
