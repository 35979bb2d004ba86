package org.cnn4j.kernels;

/** Elementwise activations over flat arrays, parallel over contiguous chunks. */
public final class ActivationKernels {
  private ActivationKernels() {}

  private static final int GRAIN = 1 << 15;

  /** y = max(x, 0); NaN propagates as in PyTorch. */
  public static void relu(float[] x, float[] y, int n) {
    Parallel.forRange(n, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        y[i] = Math.max(x[i], 0f);
      }
    });
  }

  /** dx (+)= dy where y > 0 (the gradient of ReLU from its output; 0 at 0 as in PyTorch). */
  public static void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
    Parallel.forRange(n, GRAIN, (s, e) -> Loops.reluBackward(y, dy, dx, s, e - s, accumulate));
  }
}
