package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Deterministic horizontal sums. {@code reduceLanes(ADD)} may add the lanes in any order, and does so
 * differently before and after the JIT compiles the caller, which made identical runs differ in the
 * last bits. Here the lanes are added as a fixed tree of elementwise adds: lane i += lane i + half,
 * halving until lane 0 holds the sum.
 */
final class VectorLanes {
  private VectorLanes() {}

  static float sum(FloatVector v) {
    for (int half = v.length() / 2; half >= 1; half /= 2) {
      v = v.add(v.slice(half));
    }
    return v.lane(0);
  }
}
