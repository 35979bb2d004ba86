package org.cnn4j.kernels;

/**
 * Row-major single-precision GEMM: {@code C = alpha * op(A) * op(B) + beta * C}, {@code op(X) = X} or
 * {@code X^T}.
 *
 * <p>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}.
 * {@code lda/ldb/ldc} are the row strides (in elements) of the matrices as stored (so for
 * {@code transA} the stored A is {@code k x m} with row stride {@code lda}); {@code aOff/bOff/cOff}
 * are start offsets. {@code beta == 0} means C is overwritten: its old contents, even NaN, are
 * ignored. Only C is modified.
 *
 * <p>Large problems use the {@link Parallel} pool unless called from inside a pool body. The result
 * for each element does not depend on the thread count (the k-summation order is fixed).
 */
public final class Gemm {
  private Gemm() {}

  /** Below this many multiply-adds a call stays on the calling thread. */
  static final long PARALLEL_MIN_FMAS = 1L << 18;

  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
    checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0f) {
      scaleC(m, n, beta, c, cOff, ldc);
      return;
    }
    boolean parallel = Parallel.threads() > 1 && !Parallel.inWorker()
        && (long) m * n * k >= PARALLEL_MIN_FMAS;
    if (VectorSupport.ENABLED) {
      vector(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, parallel);
    } else {
      GemmScalar.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, parallel);
    }
  }

  /**
   * {@code C = op(A) op(B) + beta C} ({@code alpha} 1): {@link #sgemm} when {@code parallel}, else
   * {@link #sgemmSerial}; for the conv kernels, which decide per call whether the batch or the GEMM is parallel.
   */
  static void multiply(boolean parallel, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (parallel) {
      sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      sgemmSerial(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** The same as {@link #sgemm} but never uses the pool (for callers that parallelise themselves). */
  public static void sgemmSerial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc) {
    checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0f) {
      scaleC(m, n, beta, c, cOff, ldc);
      return;
    }
    if (VectorSupport.ENABLED) {
      vector(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, false);
    } else {
      GemmScalar.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, false);
    }
  }

  /** The fraction of a padded MR x NR tiling that does useful work for an m x n result. */
  private static double tileEfficiency(int m, int n, int mr, int nr) {
    return (double) m / ((m + mr - 1) / mr * mr) * n / ((n + nr - 1) / nr * nr);
  }

  private static void vector(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, boolean parallel) {
    int mr = GemmVector.MR, nr = GemmVector.NR;
    // Small C, long k, B transposed, and C too small for whole tiles (m < 2 MR or n < NR): independent dot
    // products of contiguous rows beat packing (32x9x784, FashionCNN conv1's weight gradient: 55 vs 38 GFLOP/s on
    // one thread; 16x27x1024: 58 vs 30). With whole tiles the packed kernel wins since B^T is packed by register
    // transposes (64x64x256 / 64x64x1024 / 32x128x512: 30 / 58 / 48 -> 114 / 110 / 119).
    if (!transA && transB && (m < 2 * mr || n < nr) && k >= 256 && (long) m * n <= 4096
        && k >= 4L * Math.min(m, n)) {
      GemmDot.sgemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, parallel);
      return;
    }
    // A narrow C (n well below the vector tile width) wastes most of each tile: compute the
    // transposed product C^T = op(B)^T op(A)^T into a scratch buffer instead, then add it in.
    if (k >= 8 && n < nr && tileEfficiency(n, m, mr, nr) > 1.25 * tileEfficiency(m, n, mr, nr)) {
      float[] t = Workspace.get(Workspace.GEMM_T, n * m);
      GemmVector.sgemm(!transB, !transA, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, 0f, t, 0, m, parallel);
      for (int i = 0; i < m; i++) {
        int ci = cOff + i * ldc;
        if (beta == 0f) {
          for (int j = 0; j < n; j++) {
            c[ci + j] = t[j * m + i];
          }
        } else {
          for (int j = 0; j < n; j++) {
            c[ci + j] = t[j * m + i] + beta * c[ci + j];
          }
        }
      }
      return;
    }
    GemmVector.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, parallel);
  }

  private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      if (beta == 0f) {
        java.util.Arrays.fill(c, ci, ci + n, 0f);
      } else if (beta != 1f) {
        for (int j = 0; j < n; j++) {
          c[ci + j] *= beta;
        }
      }
    }
  }

  static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("sgemm: negative size m=" + m + ", n=" + n + ", k=" + k);
    }
    if (aOff < 0 || bOff < 0 || cOff < 0) {
      throw new IllegalArgumentException("sgemm: negative offset aOff=" + aOff + ", bOff=" + bOff + ", cOff=" + cOff);
    }
    // stored A is (transA ? k x m : m x k), row stride lda
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    checkMatrix("A", a, aOff, lda, aRows, aCols);
    checkMatrix("B", b, bOff, ldb, bRows, bCols);
    checkMatrix("C", c, cOff, ldc, m, n);
  }

  private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
    if (rows == 0 || cols == 0) {
      return;
    }
    if (x == null) {
      throw new IllegalArgumentException("sgemm: " + name + " is null");
    }
    if (ld < cols) {
      throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld + " < " + cols
          + " columns of the stored " + name + " (" + rows + " x " + cols + ")");
    }
    long last = (long) off + (long) (rows - 1) * ld + cols;
    if (last > x.length) {
      throw new IllegalArgumentException("sgemm: " + name + " (" + rows + " x " + cols + ", ld=" + ld
          + ", offset=" + off + ") needs " + last + " elements, array has " + x.length);
    }
  }
}
