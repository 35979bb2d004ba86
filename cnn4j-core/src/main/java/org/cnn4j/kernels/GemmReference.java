package org.cnn4j.kernels;

/**
 * The plain triple-loop reference for {@link Gemm#sgemm}: same signature, same semantics, no tricks.
 * Accumulates in double so that it is a good yardstick for the fast path.
 */
public final class GemmReference {
  private GemmReference() {}

  /** C = alpha * op(A) * op(B) + beta * C, row-major; see {@link Gemm#sgemm}. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
    Gemm.checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s += (double) av * bv;
        }
        int ci = cOff + i * ldc + j;
        double r = alpha * s;
        if (beta != 0f) {
          r += (double) beta * c[ci];
        }
        c[ci] = (float) r;
      }
    }
  }
}
