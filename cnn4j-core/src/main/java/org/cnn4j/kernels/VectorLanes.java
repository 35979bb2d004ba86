package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane utilities: deterministic horizontal sums, and the index vectors of the two-vector permutes the
 * pooling and Winograd kernels use.
 *
 * <p>Sums: {@code reduceLanes(ADD)} may add the lanes in any order, and does so differently before and
 * after the JIT compiles the caller, which made identical runs differ in the last bits. Here the lanes are
 * added as a fixed tree of elementwise adds: lane i += lane i + half, halving until lane 0 holds the sum.
 * Each level is a rearrange by a constant shuffle (one permute instruction). An earlier version used
 * {@code v.slice(half)} in a loop; C2 does not intrinsify a slice whose origin is not a compile-time
 * constant, so calls it did not unroll built their shuffle through the Java fallback (FashionCNN's conv1
 * weight gradient, 288 sums per image, ran 1.22 ms before and 0.58 ms after).
 */
final class VectorLanes {
  private VectorLanes() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();
  // lane i reads lane (i + half) mod V; only lanes below half matter at each level
  private static final VectorShuffle<Float> HALF8 = rotate(8);
  private static final VectorShuffle<Float> HALF4 = rotate(4);
  private static final VectorShuffle<Float> HALF2 = rotate(2);
  private static final VectorShuffle<Float> HALF1 = rotate(1);

  private static VectorShuffle<Float> rotate(int half) {
    return VectorShuffle.fromOp(S, i -> (i + half) % V);
  }

  // Index vectors for selectFrom over two concatenated vectors (lanes 0..V-1 from the first, V..2V-1 from
  // the second): EVEN / ODD pick lanes 2j / 2j+1 (split even and odd columns); INTERLEAVE_LO / _HI zip the
  // two vectors' first / second halves (lane 2t from the first vector, 2t+1 from the second).
  static final FloatVector EVEN = pick(0);
  static final FloatVector ODD = pick(1);
  static final FloatVector INTERLEAVE_LO = zip(0, 1);
  static final FloatVector INTERLEAVE_HI = zip(V / 2, 1);
  // The same zips of groups of 2 and 4 lanes (lanes 0-1 from the first, 2-3 from the second, ...): with the
  // single-lane zips, the three stages of an 8-row transpose (GemmVector.packA)
  static final FloatVector INTERLEAVE2_LO = zip(0, 2);
  static final FloatVector INTERLEAVE2_HI = zip(V / 2, 2);
  static final FloatVector INTERLEAVE4_LO = zip(0, 4);
  static final FloatVector INTERLEAVE4_HI = zip(V / 2, 4);

  private static FloatVector pick(int first) {
    float[] ix = new float[V];
    for (int j = 0; j < V; j++) {
      ix[j] = 2 * j + first;
    }
    return FloatVector.fromArray(S, ix, 0);
  }

  /** Groups of g lanes from lane {@code from} of each vector, alternately from the first and the second. */
  private static FloatVector zip(int from, int g) {
    float[] ix = new float[V];
    for (int l = 0; l < V; l++) {
      int pair = l / (2 * g), within = l % (2 * g);
      ix[l] = within < g ? from + pair * g + within : V + from + pair * g + within - g;
    }
    return FloatVector.fromArray(S, ix, 0);
  }

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16 * V]);

  /** A per-thread array of 16 * V floats for {@link #sum(float[], int)} (contents unspecified). */
  static float[] scratch() {
    return SCRATCH.get();
  }

  /**
   * The sum of the V lanes stored at {@code a[off ..]} (overwritten), by the same tree of adds as
   * {@link #sum(FloatVector)}, so bit for bit the same. For methods with many accumulators, where C2 stops
   * inlining: a vector passed to a call it does not inline is boxed, an allocation per call.
   */
  static float sum(float[] a, int off) {
    for (int half = V / 2; half >= 1; half /= 2) {
      for (int i = 0; i < half; i++) {
        a[off + i] += a[off + i + half];
      }
    }
    return a[off];
  }

  /** The sum of v's lanes (v must be of the preferred species). */
  static float sum(FloatVector v) {
    if (V > 16) { // wider than AVX-512: the same tree with slices (not reached on x86)
      for (int half = V / 2; half >= 1; half /= 2) {
        v = v.add(v.slice(half));
      }
      return v.lane(0);
    }
    if (V >= 16) {
      v = v.add(v.rearrange(HALF8));
    }
    if (V >= 8) {
      v = v.add(v.rearrange(HALF4));
    }
    if (V >= 4) {
      v = v.add(v.rearrange(HALF2));
    }
    if (V >= 2) {
      v = v.add(v.rearrange(HALF1));
    }
    return v.lane(0);
  }
}
