package org.cnn4j.kernels;

/**
 * Parameter updates of the optimizers in {@code org.cnn4j.optim}, one method per update rule, each the
 * per-element arithmetic of PyTorch 1.13's single-tensor implementation (the CPU default), in the same
 * order of operations (no fused multiply-add), so that results follow PyTorch's to float32 round-off.
 *
 * <p>Work is split into contiguous chunks over both cores ({@link Parallel#forRange}); elements are
 * independent, so results do not depend on the thread count. Each chunk runs on the Vector API
 * ({@code OptimizerKernelsVector}) when {@link VectorSupport#ENABLED}, otherwise on the scalar loops
 * here. Both paths perform the same IEEE operations per element and give bit-identical results (tested).
 *
 * <p>Scalar hyper-parameters arrive precomputed by the optimizer (bias corrections, step sizes), so a
 * kernel is one pass over its arrays.
 */
public final class OptimizerKernels {
  private OptimizerKernels() {}

  private static final int GRAIN = 1 << 14;
  private static final boolean VECTOR = VectorSupport.ENABLED;

  // ------------------------------------------------------------------ SGD

  /**
   * One SGD step with momentum buffer {@code buf} (null when momentum is 0), as PyTorch:
   * {@code d = g + wd*w; buf = first ? d : momentum*buf + (1-dampening)*d; d = nesterov ? d + momentum*buf : buf; w -= lr*d}.
   */
  public static void sgd(float[] w, float[] g, float[] buf, boolean first, float lr, float momentum, float dampening,
                         float weightDecay, boolean nesterov) {
    float oneMinusDampening = 1 - dampening;
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (VECTOR) OptimizerKernelsVector.sgd(w, g, buf, first, lr, momentum, oneMinusDampening, weightDecay, nesterov, s, e);
      else sgdScalar(w, g, buf, first, lr, momentum, oneMinusDampening, weightDecay, nesterov, s, e);
    });
  }

  static void sgdScalar(float[] w, float[] g, float[] buf, boolean first, float lr, float momentum, float oneMinusDampening,
                        float weightDecay, boolean nesterov, int s, int e) {
    if (buf == null) {
      for (int i = s; i < e; i++) w[i] = w[i] - lr * (g[i] + weightDecay * w[i]);
      return;
    }
    for (int i = s; i < e; i++) {
      float d = g[i] + weightDecay * w[i];
      float b = first ? d : momentum * buf[i] + oneMinusDampening * d;
      buf[i] = b;
      w[i] = w[i] - lr * (nesterov ? d + momentum * b : b);
    }
  }

  // ------------------------------------------------------------------ Adam, AdamW

  /**
   * One Adam or AdamW step (PyTorch 1.13 {@code _single_tensor_adam} / {@code _single_tensor_adamw}):
   * <pre>
   * w = w * decay                                  (AdamW: decay = 1 - lr*weight_decay; Adam: 1)
   * g' = g + l2*w                                  (Adam: l2 = weight_decay; AdamW: 0)
   * m = b1*m + (1-b1)*g';  v = b2*v + (1-b2)*g'*g'
   * vmax = max(vmax, v)                            (amsgrad only; vmax null otherwise)
   * w = w - stepSize * (m / (sqrt(amsgrad ? vmax : v) / sqrtBc2 + eps))
   * </pre>
   * with {@code stepSize = lr / (1 - b1^t)} and {@code sqrtBc2 = sqrt(1 - b2^t)}.
   */
  public static void adam(float[] w, float[] g, float[] m, float[] v, float[] vmax, float beta1, float beta2, float eps,
                          float l2, float decay, float stepSize, float sqrtBc2) {
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (VECTOR) OptimizerKernelsVector.adam(w, g, m, v, vmax, beta1, beta2, eps, l2, decay, stepSize, sqrtBc2, s, e);
      else adamScalar(w, g, m, v, vmax, beta1, beta2, eps, l2, decay, stepSize, sqrtBc2, s, e);
    });
  }

  static void adamScalar(float[] w, float[] g, float[] m, float[] v, float[] vmax, float beta1, float beta2, float eps,
                         float l2, float decay, float stepSize, float sqrtBc2, int s, int e) {
    float c1 = 1 - beta1, c2 = 1 - beta2;
    for (int i = s; i < e; i++) {
      float wi = w[i] * decay;
      float gi = g[i] + l2 * wi;
      float mi = beta1 * m[i] + c1 * gi;
      float vi = beta2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      if (vmax != null) {
        vi = Math.max(vmax[i], vi);
        vmax[i] = vi;
      }
      float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
      w[i] = wi - stepSize * (mi / denom);
    }
  }

  // ------------------------------------------------------------------ RMSprop

  /**
   * One RMSprop step (PyTorch 1.13 {@code _single_tensor_rmsprop}):
   * <pre>
   * g' = g + wd*w;  sq = alpha*sq + (1-alpha)*g'*g'
   * centered: ga = alpha*ga + (1-alpha)*g';  avg = sqrt(sq - ga*ga) + eps      (ga null when not centered)
   * else:     avg = sqrt(sq) + eps
   * momentum: buf = momentum*buf + g'/avg;  w = w - lr*buf                     (buf null without momentum)
   * else:     w = w - lr*(g'/avg)
   * </pre>
   */
  public static void rmsprop(float[] w, float[] g, float[] sq, float[] ga, float[] buf, float lr, float alpha, float eps,
                             float weightDecay, float momentum) {
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (VECTOR) OptimizerKernelsVector.rmsprop(w, g, sq, ga, buf, lr, alpha, eps, weightDecay, momentum, s, e);
      else rmspropScalar(w, g, sq, ga, buf, lr, alpha, eps, weightDecay, momentum, s, e);
    });
  }

  static void rmspropScalar(float[] w, float[] g, float[] sq, float[] ga, float[] buf, float lr, float alpha, float eps,
                            float weightDecay, float momentum, int s, int e) {
    float c = 1 - alpha;
    for (int i = s; i < e; i++) {
      float gi = g[i] + weightDecay * w[i];
      float si = alpha * sq[i] + c * gi * gi;
      sq[i] = si;
      float avg;
      if (ga != null) {
        float ai = alpha * ga[i] + c * gi;
        ga[i] = ai;
        avg = (float) Math.sqrt(si - ai * ai) + eps;
      } else {
        avg = (float) Math.sqrt(si) + eps;
      }
      if (buf != null) {
        float b = momentum * buf[i] + gi / avg;
        buf[i] = b;
        w[i] = w[i] - lr * b;
      } else {
        w[i] = w[i] - lr * (gi / avg);
      }
    }
  }

  // ------------------------------------------------------------------ Adagrad

  /**
   * One Adagrad step (PyTorch 1.13 {@code _single_tensor_adagrad}, dense gradients):
   * {@code g' = g + wd*w; sum = sum + g'*g'; w = w - clr * (g' / (sqrt(sum) + eps))} with
   * {@code clr = lr / (1 + (t - 1) * lr_decay)}.
   */
  public static void adagrad(float[] w, float[] g, float[] sum, float clr, float eps, float weightDecay) {
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (VECTOR) OptimizerKernelsVector.adagrad(w, g, sum, clr, eps, weightDecay, s, e);
      else adagradScalar(w, g, sum, clr, eps, weightDecay, s, e);
    });
  }

  static void adagradScalar(float[] w, float[] g, float[] sum, float clr, float eps, float weightDecay, int s, int e) {
    for (int i = s; i < e; i++) {
      float gi = g[i] + weightDecay * w[i];
      float si = sum[i] + gi * gi;
      sum[i] = si;
      w[i] = w[i] - clr * (gi / ((float) Math.sqrt(si) + eps));
    }
  }

  // ------------------------------------------------------------------ NAdam

  /**
   * One NAdam step (PyTorch 1.13 {@code _single_tensor_nadam}):
   * <pre>
   * g' = g + wd*w;  m = b1*m + (1-b1)*g';  v = b2*v + (1-b2)*g'*g'
   * denom = sqrt(v / bc2) + eps
   * w = w + gradCoef * (g' / denom);  w = w + momentumCoef * (m / denom)      (two roundings, as PyTorch)
   * </pre>
   * with {@code bc2 = 1 - b2^t}, {@code gradCoef = -lr (1 - mu_t) / (1 - prod mu)} and
   * {@code momentumCoef = -lr mu_{t+1} / (1 - mu_product_next)} computed by the optimizer.
   */
  public static void nadam(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2, float eps, float weightDecay,
                           float bc2, float gradCoef, float momentumCoef) {
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      if (VECTOR) OptimizerKernelsVector.nadam(w, g, m, v, beta1, beta2, eps, weightDecay, bc2, gradCoef, momentumCoef, s, e);
      else nadamScalar(w, g, m, v, beta1, beta2, eps, weightDecay, bc2, gradCoef, momentumCoef, s, e);
    });
  }

  static void nadamScalar(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2, float eps, float weightDecay,
                          float bc2, float gradCoef, float momentumCoef, int s, int e) {
    float c1 = 1 - beta1, c2 = 1 - beta2;
    for (int i = s; i < e; i++) {
      float gi = g[i] + weightDecay * w[i];
      float mi = beta1 * m[i] + c1 * gi;
      float vi = beta2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi / bc2) + eps;
      float wi = w[i] + gradCoef * (gi / denom);
      w[i] = wi + momentumCoef * (mi / denom);
    }
  }

  // ------------------------------------------------------------------ regularisation

  /**
   * Keras' L1L2 penalty of {@code w}: {@code l1 * sum|w| + l2 * sum w^2}, accumulated in double (not
   * vectorised: summation order must stay fixed, and the term is tiny next to a forward pass).
   */
  public static double l1l2Penalty(float[] w, float l1, float l2) {
    double abs = 0, sq = 0;
    for (float x : w) {
      abs += Math.abs(x);
      sq += (double) x * x;
    }
    return l1 * abs + l2 * sq;
  }

  /**
   * Adds {@code scale * d/dw (l1*sum|w| + l2*sum w^2) = scale * (l1*sign(w) + 2*l2*w)} into {@code grad}
   * (sign(0) = 0, as TensorFlow's gradient of abs).
   */
  public static void addL1L2Gradient(float[] w, float[] grad, float l1, float l2, float scale) {
    float a = scale * l1, b = scale * 2 * l2;
    Parallel.forRange(w.length, GRAIN, (s, e) -> {
      for (int i = s; i < e; i++) grad[i] += a * Math.signum(w[i]) + b * w[i];
    });
  }
}
