package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API versions of {@link ActivationKernels}' piecewise-linear functions; loaded only when
 * {@link VectorSupport#ENABLED}. Each lane performs the scalar code's operations in the scalar code's
 * order (compare, blend, add, multiply, divide, min, max are exact IEEE operations), and the tail runs
 * the scalar code itself, so results are bit-identical to {@link ActivationKernels#forwardScalar}.
 */
final class ActivationKernelsVector {
  private ActivationKernelsVector() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  static void forward(ActivationKernels.Fn fn, float param, float[] x, float[] y, int s, int e) {
    int i = s, vEnd = s + S.loopBound(e - s);
    switch (fn) {
      case RELU6 -> {
        for (; i < vEnd; i += L) {
          FloatVector.fromArray(S, x, i).max(0f).min(6f).intoArray(y, i);
        }
      }
      case LEAKY_RELU -> {
        for (; i < vEnd; i += L) {
          FloatVector v = FloatVector.fromArray(S, x, i);
          v.mul(param).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
      }
      case HARDSWISH -> {
        for (; i < vEnd; i += L) {
          FloatVector v = FloatVector.fromArray(S, x, i);
          v.mul(v.add(3f).max(0f).min(6f)).div(6f).intoArray(y, i);
        }
      }
      case HARDSIGMOID -> {
        for (; i < vEnd; i += L) {
          FloatVector.fromArray(S, x, i).add(3f).max(0f).min(6f).div(6f).intoArray(y, i);
        }
      }
      default -> throw new IllegalArgumentException(fn + " has no vector path");
    }
    ActivationKernels.forwardScalar(fn, param, x, y, i, e);
  }

  static void backward(ActivationKernels.Fn fn, float param, float[] x, float[] dy, float[] dx, int s, int e) {
    int i = s, vEnd = s + S.loopBound(e - s);
    FloatVector zero = FloatVector.zero(S);
    switch (fn) {
      case RELU6 -> {
        for (; i < vEnd; i += L) {
          FloatVector v = FloatVector.fromArray(S, x, i);
          VectorMask<Float> inside = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
          zero.blend(FloatVector.fromArray(S, dy, i), inside).intoArray(dx, i);
        }
      }
      case LEAKY_RELU -> {
        for (; i < vEnd; i += L) {
          FloatVector g = FloatVector.fromArray(S, dy, i);
          VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
          g.mul(param).blend(g, positive).intoArray(dx, i);
        }
      }
      case HARDSWISH -> {
        for (; i < vEnd; i += L) {
          FloatVector v = FloatVector.fromArray(S, x, i), g = FloatVector.fromArray(S, dy, i);
          FloatVector middle = g.mul(v.div(3f).add(0.5f));
          g.blend(middle, v.compare(VectorOperators.LE, 3f)).blend(zero, v.compare(VectorOperators.LT, -3f)).intoArray(dx, i);
        }
      }
      case HARDSIGMOID -> {
        for (; i < vEnd; i += L) {
          FloatVector v = FloatVector.fromArray(S, x, i);
          VectorMask<Float> inside = v.compare(VectorOperators.GT, -3f).and(v.compare(VectorOperators.LT, 3f));
          zero.blend(FloatVector.fromArray(S, dy, i).div(6f), inside).intoArray(dx, i);
        }
      }
      default -> throw new IllegalArgumentException(fn + " has no vector path");
    }
    ActivationKernels.backwardScalar(fn, param, x, null, dy, dx, i, e);
  }
}
