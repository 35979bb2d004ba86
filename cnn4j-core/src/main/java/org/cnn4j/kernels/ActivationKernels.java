package org.cnn4j.kernels;

/**
 * Elementwise activations over flat arrays, parallel over contiguous chunks (static partition, so the
 * results do not depend on the thread count). Formulas, including the value of the derivative at the
 * kinks, are PyTorch 1.13's CPU kernels. The piecewise-linear functions (ReLU, ReLU6, LeakyReLU,
 * Hardsigmoid, Hardswish) have a Vector API path ({@link ActivationKernelsVector}) that performs the
 * same IEEE operations in the same order as the scalar code here, so both give bit-identical results;
 * the transcendental ones (exp, tanh, erf) stay scalar, since the Vector API's versions may round
 * differently before and after the JIT compiles the caller.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  private static final int GRAIN = 1 << 15;
  private static final boolean VECTOR = VectorSupport.ENABLED;

  /** SELU's constants (Klambauer et al. 2017), as in PyTorch. */
  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  public static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** The elementwise functions with one optional parameter ({@code param} below). */
  public enum Fn {
    /** min(max(x, 0), 6). */
    RELU6,
    /** x > 0 ? x : param * x (param = negative slope). */
    LEAKY_RELU,
    /** x > 0 ? x : param * (exp(x) - 1) (param = alpha). */
    ELU,
    /** scale * (x > 0 ? x : alpha * (exp(x) - 1)) with SELU's constants. */
    SELU,
    /** x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)). */
    GELU,
    /** 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
    GELU_TANH,
    /** x * sigmoid(x) (Swish). */
    SILU,
    /** 1 / (1 + exp(-x)). */
    SIGMOID,
    /** tanh(x). */
    TANH,
    /** x * min(max(x + 3, 0), 6) / 6. */
    HARDSWISH,
    /** min(max(x + 3, 0), 6) / 6. */
    HARDSIGMOID;

    /** True when the vectorised path covers this function. */
    boolean vectorised() {
      return this == RELU6 || this == LEAKY_RELU || this == HARDSWISH || this == HARDSIGMOID;
    }
  }

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

  /** y[i] = fn(x[i]) for i < n. */
  public static void forward(Fn fn, float param, float[] x, float[] y, int n) {
    boolean vector = VECTOR && fn.vectorised();
    Parallel.forRange(n, GRAIN, (s, e) -> {
      if (vector) {
        ActivationKernelsVector.forward(fn, param, x, y, s, e);
      } else {
        forwardScalar(fn, param, x, y, s, e);
      }
    });
  }

  /**
   * dx[i] = dy[i] * fn'(x[i]) for i < n, overwriting dx. {@code y} is the forward's output: SIGMOID and
   * TANH differentiate from it, the others from {@code x}.
   */
  public static void backward(Fn fn, float param, float[] x, float[] y, float[] dy, float[] dx, int n) {
    boolean vector = VECTOR && fn.vectorised();
    Parallel.forRange(n, GRAIN, (s, e) -> {
      if (vector) {
        ActivationKernelsVector.backward(fn, param, x, dy, dx, s, e);
      } else {
        backwardScalar(fn, param, x, y, dy, dx, s, e);
      }
    });
  }

  /** The scalar forward over [s, e): the reference for the vector path. */
  static void forwardScalar(Fn fn, float param, float[] x, float[] y, int s, int e) {
    switch (fn) {
      case RELU6 -> {
        for (int i = s; i < e; i++) {
          y[i] = Math.min(Math.max(x[i], 0f), 6f);
        }
      }
      case LEAKY_RELU -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          y[i] = v > 0f ? v : v * param;
        }
      }
      case ELU -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          y[i] = v > 0f ? v : (float) (param * Math.expm1(v));
        }
      }
      case SELU -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          y[i] = (float) (v > 0f ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v));
        }
      }
      case GELU -> {
        for (int i = s; i < e; i++) {
          double v = x[i];
          y[i] = (float) (0.5 * v * erfc(-v * SQRT1_2));
        }
      }
      case GELU_TANH -> {
        for (int i = s; i < e; i++) {
          double v = x[i];
          y[i] = (float) (0.5 * v * (1 + tanh(K_BETA * (v + K_KAPPA * v * v * v))));
        }
      }
      case SILU -> {
        for (int i = s; i < e; i++) {
          double v = x[i];
          y[i] = (float) (v / (1 + Math.exp(-v)));
        }
      }
      case SIGMOID -> {
        for (int i = s; i < e; i++) {
          y[i] = (float) (1 / (1 + Math.exp(-(double) x[i])));
        }
      }
      case TANH -> {
        for (int i = s; i < e; i++) {
          y[i] = (float) tanh(x[i]);
        }
      }
      case HARDSWISH -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          y[i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
        }
      }
      case HARDSIGMOID -> {
        for (int i = s; i < e; i++) {
          y[i] = Math.min(Math.max(x[i] + 3f, 0f), 6f) / 6f;
        }
      }
    }
  }

  /** The scalar backward over [s, e): the reference for the vector path. */
  static void backwardScalar(Fn fn, float param, float[] x, float[] y, float[] dy, float[] dx, int s, int e) {
    switch (fn) {
      case RELU6 -> { // hardtanh's backward: 0 at and beyond both ends
        for (int i = s; i < e; i++) {
          float v = x[i];
          dx[i] = v > 0f && v < 6f ? dy[i] : 0f;
        }
      }
      case LEAKY_RELU -> {
        for (int i = s; i < e; i++) {
          dx[i] = x[i] > 0f ? dy[i] : dy[i] * param;
        }
      }
      case ELU -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          dx[i] = v > 0f ? dy[i] : (float) (dy[i] * param * Math.exp(v));
        }
      }
      case SELU -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          dx[i] = (float) (v > 0f ? dy[i] * SELU_SCALE : dy[i] * SELU_SCALE * SELU_ALPHA * Math.exp(v));
        }
      }
      case GELU -> { // Phi(x) + x phi(x)
        for (int i = s; i < e; i++) {
          double v = x[i];
          double cdf = 0.5 * erfc(-v * SQRT1_2), pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
          dx[i] = (float) (dy[i] * (cdf + v * pdf));
        }
      }
      case GELU_TANH -> {
        for (int i = s; i < e; i++) {
          double v = x[i];
          double t = tanh(K_BETA * (v + K_KAPPA * v * v * v));
          double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K_BETA * (1 + 3 * K_KAPPA * v * v);
          dx[i] = (float) (dy[i] * d);
        }
      }
      case SILU -> {
        for (int i = s; i < e; i++) {
          double v = x[i];
          double sg = 1 / (1 + Math.exp(-v));
          dx[i] = (float) (dy[i] * sg * (1 + v * (1 - sg)));
        }
      }
      case SIGMOID -> {
        for (int i = s; i < e; i++) {
          float o = y[i];
          dx[i] = dy[i] * (1f - o) * o;
        }
      }
      case TANH -> {
        for (int i = s; i < e; i++) {
          float o = y[i];
          dx[i] = dy[i] * (1f - o * o);
        }
      }
      case HARDSWISH -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          dx[i] = v < -3f ? 0f : v <= 3f ? dy[i] * (v / 3f + 0.5f) : dy[i];
        }
      }
      case HARDSIGMOID -> {
        for (int i = s; i < e; i++) {
          float v = x[i];
          dx[i] = v > -3f && v < 3f ? dy[i] / 6f : 0f;
        }
      }
    }
  }

  // ------------------------------------------------------------------ PReLU

  /**
   * PReLU over [n, c, inner]: y = x > 0 ? x : w * x with w = weight[channel] (or weight[0] when the
   * weight has one element). Parallel over channels.
   */
  public static void prelu(float[] x, float[] weight, float[] y, int n, int c, int inner) {
    boolean shared = weight.length == 1;
    Parallel.forRange(c, 1, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        float w = weight[shared ? 0 : ch];
        for (int b = 0; b < n; b++) {
          for (int i = (b * c + ch) * inner, end = i + inner; i < end; i++) {
            float v = x[i];
            y[i] = v > 0f ? v : w * v;
          }
        }
      }
    });
  }

  /**
   * PReLU's backward: dx = x > 0 ? dy : w * dy (overwriting dx; skipped when dx is null) and
   * dWeight += sum(x > 0 ? 0 : x * dy) per channel, or over everything for a one-element weight (the
   * per-channel partial sums are then added in channel order, independent of the thread count).
   */
  public static void preluBackward(float[] x, float[] weight, float[] dy, float[] dx, float[] dWeight,
                                   int n, int c, int inner) {
    boolean shared = weight.length == 1;
    double[] partial = new double[c];
    Parallel.forRange(c, 1, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        float w = weight[shared ? 0 : ch];
        double s = 0;
        for (int b = 0; b < n; b++) {
          for (int i = (b * c + ch) * inner, end = i + inner; i < end; i++) {
            float v = x[i], g = dy[i];
            if (v > 0f) {
              if (dx != null) {
                dx[i] = g;
              }
            } else {
              if (dx != null) {
                dx[i] = w * g;
              }
              s += (double) v * g;
            }
          }
        }
        partial[ch] = s;
      }
    });
    if (dWeight == null) {
      return;
    }
    if (shared) {
      double s = 0;
      for (double p : partial) {
        s += p;
      }
      dWeight[0] += (float) s;
    } else {
      for (int ch = 0; ch < c; ch++) {
        dWeight[ch] += (float) partial[ch];
      }
    }
  }

  /**
   * tanh(x) = (e^2x - 1) / (e^2x + 1) in double: one Math.exp (an intrinsic) instead of Math.tanh,
   * which costs about twice as much; below |x| = 0.01, where e^2x - 1 would cancel, a Taylor series.
   * Rounded to float it is within one ulp of Math.tanh (checked over every 97th float). NaN, signed
   * zero and saturation (|x| >= 20, where tanh is 1 in double) as Math.tanh.
   */
  static double tanh(double x) {
    if (!(Math.abs(x) < 20)) {
      return x != x ? x : Math.signum(x);
    }
    if (Math.abs(x) < 0.01) { // (e - 1) would cancel: Taylor series, error below x^9 < 1e-18 relative
      double x2 = x * x;
      return x * (1 - x2 * (1.0 / 3 - x2 * (2.0 / 15 - x2 * (17.0 / 315))));
    }
    double e = Math.exp(2 * x);
    return (e - 1) / (e + 1);
  }

  // ------------------------------------------------------------------ erf

  static final double SQRT1_2 = 0.70710678118654752440;
  static final double INV_SQRT_2PI = 0.39894228040143267794;
  static final double K_BETA = 0.79788456080286535588; // sqrt(2 / pi)
  static final double K_KAPPA = 0.044715;

  /**
   * The complementary error function with a relative error below 1.2e-7 everywhere (the Chebyshev
   * fit of Numerical Recipes' erfcc), so GELU(x) = 0.5 x erfc(-x / sqrt 2) keeps float precision for
   * negative x, where 1 + erf(x / sqrt 2) would cancel.
   */
  public static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }
}
