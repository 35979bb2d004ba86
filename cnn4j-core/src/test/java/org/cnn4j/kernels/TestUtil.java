package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

final class TestUtil {
  private TestUtil() {}

  static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  static float[] nans(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, Float.NaN);
    return a;
  }

  /** |actual - expected| <= tol * (1 + |expected|) elementwise over [0, n). */
  static void assertClose(String what, float[] expected, float[] actual, int n, double tol) {
    for (int i = 0; i < n; i++) {
      double e = expected[i], a = actual[i];
      if (Double.isNaN(e) != Double.isNaN(a) || Math.abs(a - e) > tol * (1 + Math.abs(e))) {
        fail(what + ": element " + i + " expected " + e + " but was " + a + " (tol " + tol + ")");
      }
    }
  }

  /** The relative tolerance for a sum of k products of values in [-1, 1]. */
  static double tolFor(int k) {
    return 2e-6 * Math.max(1, k);
  }
}
