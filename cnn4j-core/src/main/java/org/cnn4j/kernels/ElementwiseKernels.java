package org.cnn4j.kernels;

/**
 * Same-shape elementwise arithmetic over flat arrays, parallel over contiguous chunks (static partition, one
 * IEEE operation per element: results do not depend on the thread count). These are the residual joins of
 * ResNets and the accumulation of a gradient that reaches a tensor from two consumers; run on the calling thread
 * they were a serial stretch in which the other core waited (ResNet-18 at batch 64: ~1 ms a step).
 */
public final class ElementwiseKernels {
  private ElementwiseKernels() {}

  /** Below two of these per thread a chunk costs more to hand over than it saves. */
  private static final int GRAIN = 1 << 15;

  /** The four binary operations, applied as {@code y = x (op) z}. */
  public enum Op { ADD, SUB, MUL, DIV }

  /** y[i] = x[i] (op) z[i] for i < n. */
  public static void binary(Op op, float[] x, float[] z, float[] y, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      switch (op) {
        case ADD -> {
          for (int i = s; i < e; i++) {
            y[i] = x[i] + z[i];
          }
        }
        case SUB -> {
          for (int i = s; i < e; i++) {
            y[i] = x[i] - z[i];
          }
        }
        case MUL -> {
          for (int i = s; i < e; i++) {
            y[i] = x[i] * z[i];
          }
        }
        case DIV -> {
          for (int i = s; i < e; i++) {
            y[i] = x[i] / z[i];
          }
        }
      }
    });
  }

  /** y[i] = max(x[i] + z[i], 0) for i < n (a residual join and its ReLU; NaN propagates, as ReLU's max does). */
  public static void addRelu(float[] x, float[] z, float[] y, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        y[i] = Math.max(x[i] + z[i], 0f);
      }
    });
  }

  /** y[i] = x[i] + c for i < n. */
  public static void addScalar(float[] x, float c, float[] y, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        y[i] = x[i] + c;
      }
    });
  }

  /** dst[i] = src[i] for i < n. */
  public static void copy(float[] src, float[] dst, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> System.arraycopy(src, s, dst, s, e - s));
  }

  /** dst[i] = -src[i] for i < n. */
  public static void negate(float[] src, float[] dst, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        dst[i] = -src[i];
      }
    });
  }

  /** acc[i] += src[i] for i < n. */
  public static void accumulate(float[] acc, float[] src, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        acc[i] += src[i];
      }
    });
  }

  /** db[i] = -(dy[i] * x[i] / (z[i] * z[i])): the gradient of x / z with respect to z. */
  public static void divisorGradient(float[] dy, float[] x, float[] z, float[] db, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        db[i] = -(dy[i] * x[i] / (z[i] * z[i]));
      }
    });
  }
}
