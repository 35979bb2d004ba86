package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API dot products and sums for the convolution kernels (loaded only when {@link VectorSupport#ENABLED}).
 * Lane sums go through {@link VectorLanes}, so results do not depend on JIT state.
 */
final class ConvVector {
  private ConvVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int LANES = S.length();

  /** sum_i a[aOff + i] * b[bOff + i], i in [0, len): two vector accumulators, then the tail in order. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i <= len - 2 * LANES; i += 2 * LANES) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(S, a, aOff + i + LANES).fma(FloatVector.fromArray(S, b, bOff + i + LANES), acc1);
    }
    for (; i <= len - LANES; i += LANES) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
    }
    float s = VectorLanes.sum(acc0.add(acc1));
    for (; i < len; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /** dst[dstOff + i] += w * src[srcOff + i], i in [0, len) (each element once: no order question). */
  static void axpy(float w, float[] src, int srcOff, float[] dst, int dstOff, int len) {
    FloatVector wv = FloatVector.broadcast(S, w);
    int i = 0;
    for (; i <= len - LANES; i += LANES) {
      FloatVector.fromArray(S, src, srcOff + i).fma(wv, FloatVector.fromArray(S, dst, dstOff + i))
          .intoArray(dst, dstOff + i);
    }
    for (; i < len; i++) {
      dst[dstOff + i] = Math.fma(w, src[srcOff + i], dst[dstOff + i]);
    }
  }

  /** sum of a[off, off + len). */
  static float sum(float[] a, int off, int len) {
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i <= len - 2 * LANES; i += 2 * LANES) {
      acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
      acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + LANES));
    }
    for (; i <= len - LANES; i += LANES) {
      acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
    }
    float s = VectorLanes.sum(acc0.add(acc1));
    for (; i < len; i++) {
      s += a[off + i];
    }
    return s;
  }
}
