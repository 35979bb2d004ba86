package org.cnn4j.kernels;

/**
 * Parameter updates, parallel over contiguous chunks of each parameter (elements are independent, so
 * results do not depend on the thread count). Loops are branch-free so the JIT vectorises them.
 */
public final class OptimizerKernels {
  private OptimizerKernels() {}

  private static final int GRAIN = 1 << 14;

  /**
   * One Adam step (PyTorch's formulation, L2 weight decay added to the gradient):
   * {@code g' = g + wd*w; m = b1*m + (1-b1)*g'; v = b2*v + (1-b2)*g'^2; w -= stepSize * m / (sqrt(v)/sqrtBc2 + eps)}
   * with {@code stepSize = lr / (1 - b1^t)} and {@code sqrtBc2 = sqrt(1 - b2^t)}.
   */
  public static void adam(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2, float eps,
                          float weightDecay, float stepSize, float sqrtBc2) {
    float invSqrtBc2 = 1f / sqrtBc2;
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) {
        float gi = g[i] + weightDecay * w[i];
        float mi = beta1 * m[i] + (1 - beta1) * gi;
        float vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
      }
    });
  }

  /**
   * One SGD step with momentum buffer {@code buf} (null when momentum is 0), as PyTorch:
   * {@code d = g + wd*w; buf = first ? d : momentum*buf + (1-dampening)*d; d = nesterov ? d + momentum*buf : buf; w -= lr*d}.
   */
  public static void sgd(float[] w, float[] g, float[] buf, boolean first, float lr, float momentum, float dampening,
                         float weightDecay, boolean nesterov) {
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (buf == null) {
        for (int i = s; i < e; i++) {
          w[i] -= lr * (g[i] + weightDecay * w[i]);
        }
        return;
      }
      for (int i = s; i < e; i++) {
        float d = g[i] + weightDecay * w[i];
        float b = first ? d : momentum * buf[i] + (1 - dampening) * d;
        buf[i] = b;
        w[i] -= lr * (nesterov ? d + momentum * b : b);
      }
    });
  }
}
