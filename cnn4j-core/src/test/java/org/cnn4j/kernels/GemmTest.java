package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {

  private static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 47, 64, 100};

  /** Runs the fast GEMM and the reference on one random problem and compares. */
  private static void check(SplittableRandom r, boolean tA, boolean tB, int m, int n, int k, float alpha, float beta,
                            int padA, int padB, int padC, int offA, int offB, int offC, boolean serial) {
    int aRows = tA ? k : m, aCols = tA ? m : k;
    int bRows = tB ? n : k, bCols = tB ? k : n;
    int lda = aCols + padA, ldb = bCols + padB, ldc = n + padC;
    float[] a = TestUtil.random(r, offA + Math.max(0, aRows * lda));
    float[] b = TestUtil.random(r, offB + Math.max(0, bRows * ldb));
    float[] c0 = beta == 0f ? TestUtil.nans(offC + m * ldc) : TestUtil.random(r, offC + m * ldc);
    // padding columns of C must be left alone: make them recognisable
    float[] expected = c0.clone();
    float[] actual = c0.clone();
    GemmReference.sgemm(tA, tB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, expected, offC, ldc);
    if (serial) {
      Gemm.sgemmSerial(tA, tB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, actual, offC, ldc);
    } else {
      Gemm.sgemm(tA, tB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, actual, offC, ldc);
    }
    String what = "sgemm(tA=" + tA + ", tB=" + tB + ", m=" + m + ", n=" + n + ", k=" + k + ", alpha=" + alpha
        + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ", off=" + offA + "/" + offB + "/"
        + offC + ")";
    TestUtil.assertClose(what, expected, actual, expected.length, TestUtil.tolFor(k) * (Math.abs(alpha) + 1));
  }

  @Test
  void allTransposesAllSmallShapesMatchReference() {
    SplittableRandom r = new SplittableRandom(1);
    for (boolean tA : new boolean[] {false, true}) {
      for (boolean tB : new boolean[] {false, true}) {
        for (int m : SIZES) {
          for (int n : SIZES) {
            int k = SIZES[r.nextInt(SIZES.length)];
            check(r, tA, tB, m, n, k, 1f, 0f, 0, 0, 0, 0, 0, 0, r.nextBoolean());
          }
        }
      }
    }
  }

  @Test
  void alphaBetaOffsetsAndLeadingDimensions() {
    SplittableRandom r = new SplittableRandom(2);
    float[] alphas = {1f, -0.5f, 2f};
    float[] betas = {0f, 1f, 0.25f, -1f};
    for (int t = 0; t < 120; t++) {
      boolean tA = r.nextBoolean(), tB = r.nextBoolean();
      int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)], k = SIZES[r.nextInt(SIZES.length)];
      check(r, tA, tB, m, n, k, alphas[r.nextInt(3)], betas[r.nextInt(4)], r.nextInt(5), r.nextInt(5), r.nextInt(5),
          r.nextInt(9), r.nextInt(9), r.nextInt(9), r.nextBoolean());
    }
  }

  @Test
  void largeRaggedShapesUseBlockingAndThreads() {
    SplittableRandom r = new SplittableRandom(3);
    int[][] shapes = {{257, 300, 385}, {100, 2304, 60}, {64, 144, 288}, {32, 784, 9}, {515, 33, 700}, {1, 1000, 513},
        {700, 1, 300}, {130, 517, 1}, {3, 4200, 5}, {512, 16, 300}, {600, 9, 50}, {32, 9, 784}, {7, 5, 1000},
        {70, 100, 1600}, // several k blocks of a transposed B in full panels
        {43, 600, 1541}}; // columns split over threads, the last k block ragged (k % 4 = 1)
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        check(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1f, t == 3 ? 0.5f : 0f, 3, 1, 2, 5, 0, 7, false);
      }
    }
  }

  @Test
  void betaZeroIgnoresNaNAndResultIndependentOfThreading() {
    SplittableRandom r = new SplittableRandom(4);
    int m = 203, n = 301, k = 157;
    float[] a = TestUtil.random(r, m * k);
    float[] b = TestUtil.random(r, k * n);
    float[] c1 = TestUtil.nans(m * n);
    float[] c2 = TestUtil.nans(m * n);
    Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
    Gemm.sgemmSerial(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
    assertArrayEquals(c2, c1, "parallel and serial GEMM must agree bit for bit");
    for (float v : c1) {
      if (Float.isNaN(v)) {
        throw new AssertionError("NaN leaked from C into the result with beta = 0");
      }
    }
  }

  @Test
  void degenerateSizes() {
    float[] c = {1f, 2f, 3f, 4f};
    Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0.5f, c, 0, 2);
    assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, c);
    Gemm.sgemm(false, false, 0, 2, 3, 1f, new float[0], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
    float[] nan = TestUtil.nans(4);
    Gemm.sgemm(false, false, 2, 2, 3, 0f, new float[6], 0, 3, new float[6], 0, 2, 0f, nan, 0, 2);
    assertArrayEquals(new float[4], nan);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[3], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 1, new float[4], 0, 2, 0f, new float[4], 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, -1, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
  }

  @Test
  void scalarFallbackPathMatchesReference() {
    SplittableRandom r = new SplittableRandom(5);
    for (int t = 0; t < 40; t++) {
      boolean tA = r.nextBoolean(), tB = r.nextBoolean();
      int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)], k = SIZES[r.nextInt(SIZES.length)];
      int lda = (tA ? m : k) + 1, ldb = (tB ? k : n) + 2, ldc = n + 3;
      float[] a = TestUtil.random(r, (tA ? k : m) * lda);
      float[] b = TestUtil.random(r, (tB ? n : k) * ldb);
      float beta = t % 2 == 0 ? 0f : 0.5f;
      float[] c0 = beta == 0f ? TestUtil.nans(m * ldc) : TestUtil.random(r, m * ldc);
      float[] expected = c0.clone();
      float[] actual = c0.clone();
      GemmReference.sgemm(tA, tB, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, beta, expected, 0, ldc);
      GemmScalar.sgemm(tA, tB, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, beta, actual, 0, ldc, r.nextBoolean());
      TestUtil.assertClose("scalar sgemm m=" + m + " n=" + n + " k=" + k, expected, actual, expected.length,
          TestUtil.tolFor(k) * 3);
    }
  }
}
