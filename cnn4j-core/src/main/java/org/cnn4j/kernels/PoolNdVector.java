package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised inner rows of {@link PoolNdKernels} (loaded only when {@link VectorSupport#ENABLED}): V
 * consecutive outputs along W at a time, each lane one output, the window's taps visited in the scalar
 * kernels' order (D, H, then W). Lane i of a tap reads {@code x[base + i*strideW]}: a plain load for stride
 * 1, a gather otherwise. Only outputs whose W window lies entirely inside the input come here; the
 * callers handle the edges. Each lane does exactly the scalar operations in the scalar order (first
 * strict maximum wins, first NaN wins; sums added tap by tap, then one division), so the results are
 * bit-identical to the scalar path.
 */
final class PoolNdVector {
  private PoolNdVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  static final int V = S.length();

  static boolean supported() {
    return I.length() == V;
  }

  /**
   * The gather maps of stride s (null for s = 1, which loads contiguously): [0] = {0, s, 2s, ...} for full
   * steps, [1] the same for the first (count % V) lanes and 0 beyond, for the masked last step of a row of
   * count outputs (masked gathers still range-check every lane's index).
   */
  static int[][] maps(int s, int count) {
    if (s == 1) {
      return new int[2][];
    }
    int[] full = new int[V], tail = new int[V];
    for (int i = 0; i < V; i++) {
      full[i] = i * s;
      tail[i] = i < count % V ? i * s : 0;
    }
    return new int[][] {full, tail};
  }

  /**
   * Max (sign 1) or min (sign -1) of outputs [o0, o0 + count) of one output row (the last step masked): rows[0..nRows) are the
   * in-plane offsets of the window's input rows (in D, H order), kw taps dilation dw apart along W.
   * Writes y[yo + ow] and, when arg != null, arg[yo + ow] = in-plane index of the winner.
   */
  static void maxRow(float[] x, int xb, int[] rows, int nRows, int kw, int sw, int pw, int dw, float sign, int o0,
                     int count, int[][] maps, float[] y, int[] arg, int yo) {
    IntVector lane = IntVector.zero(I).addIndex(sw); // i * sw
    boolean min = sign < 0;
    for (int ow = o0, end = o0 + count; ow < end; ow += V) {
      // always a mask (all lanes on a full step): a mask that is sometimes null, or one passed to a helper
      // C2 does not inline, is boxed, an allocation per step
      VectorMask<Float> m = S.indexInRange(0, Math.min(V, end - ow));
      int[] map = end - ow >= V ? maps[0] : maps[1];
      int w0 = ow * sw - pw; // in-row offset of lane 0's window start
      // the first tap initialises (peeled: a vector merged with null would be boxed)
      int first = rows[0] + w0;
      FloatVector best = sw == 1 ? FloatVector.fromArray(S, x, xb + first, m)
          : FloatVector.fromArray(S, x, xb + first, map, 0, m);
      if (min) {
        best = best.neg();
      }
      IntVector tap = IntVector.broadcast(I, first); // in-plane offset of the winning tap for lane 0's window
      for (int r = 0; r < nRows; r++) {
        int row = rows[r];
        for (int c = r == 0 ? 1 : 0; c < kw; c++) {
          int off = row + w0 + c * dw;
          FloatVector v = sw == 1 ? FloatVector.fromArray(S, x, xb + off, m)
              : FloatVector.fromArray(S, x, xb + off, map, 0, m);
          if (min) {
            v = v.neg();
          }
          VectorMask<Float> take = v.compare(VectorOperators.GT, best)
              .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
          best = best.blend(v, take);
          tap = tap.blend(IntVector.broadcast(I, off), take.cast(I));
        }
      }
      if (min) {
        best = best.neg();
      }
      best.intoArray(y, yo + ow, m);
      if (arg != null) {
        tap.add(lane).intoArray(arg, yo + ow, m.cast(I));
      }
    }
  }

  /** True where {@link #maxPlane} beats the row kernels: strided rows of fewer than V outputs, a small plan. */
  static boolean planeTapsPay(PoolNdGeometry g) {
    long taps = (long) g.kernel(0) * g.kernel(1) * g.kernel(2);
    return g.stride(2) > 1 && g.out(2) < V && taps * (g.outPlane() + V) <= 1 << 16;
  }

  /**
   * A plane's window taps ({@link TapOffsets}) for {@link #maxPlane}: on strided planes whose output rows are
   * narrower than a vector (ResNet's stem pool, 3x3 stride 2 on 16x16) the row kernels left half of each row's
   * gathers idle (1.47 ms a call there, 0.48 by planes).
   */
  static TapOffsets planeTaps(PoolNdGeometry g) {
    return TapOffsets.of(new int[] {g.in(0), g.in(1), g.in(2)}, new int[] {g.out(0), g.out(1), g.out(2)},
        new int[] {g.kernel(0), g.kernel(1), g.kernel(2)}, new int[] {g.stride(0), g.stride(1), g.stride(2)},
        new int[] {g.pad(0), g.pad(1), g.pad(2)}, new int[] {g.dilation(0), g.dilation(1), g.dilation(2)}, V);
  }

  /**
   * Max (sign 1) or min (sign -1) pooling of one plane, V outputs of the plane per step whatever its rows: per tap
   * one gather masked to the lanes whose window holds it. A lane takes its first inside tap, then strictly greater
   * values and the first NaN, as the scalar kernel does. Writes y[yo + o] and, when arg != null, arg[yo + o].
   */
  static void maxPlane(TapOffsets p, float sign, float[] x, int xb, float[] y, int[] arg, int yo) {
    boolean min = sign < 0;
    int[] offset = p.offset();
    boolean[] inside = p.inside();
    for (int o0 = 0; o0 < p.positions(); o0 += V) {
      VectorMask<Float> m = S.indexInRange(o0, p.positions());
      FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      IntVector tap = IntVector.broadcast(I, -1);
      VectorMask<Float> seen = S.maskAll(false);
      for (int t = 0, base = o0; t < p.taps(); t++, base += p.stride()) {
        VectorMask<Float> in = VectorMask.fromArray(S, inside, base);
        FloatVector v = FloatVector.fromArray(S, x, xb, offset, base, in);
        if (min) {
          v = v.neg();
        }
        VectorMask<Float> take = v.compare(VectorOperators.GT, best)
            .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)))
            .or(seen.not()).and(in);
        best = best.blend(v, take);
        tap = tap.blend(IntVector.fromArray(I, offset, base), take.cast(I));
        seen = seen.or(in);
      }
      if (min) {
        best = best.neg();
      }
      best.intoArray(y, yo + o0, m);
      if (arg != null) {
        tap.intoArray(arg, yo + o0, m.cast(I));
      }
    }
  }

  /**
   * Average of outputs [o0, o0 + count) of one output row (windows inside the input along W): the sum over
   * rows[0..nRows) x kw taps, divided by divisor. Writes y[yo + ow].
   */
  static void avgRow(float[] x, int xb, int[] rows, int nRows, int kw, int sw, int pw, int divisor, int o0,
                     int count, int[][] maps, float[] y, int yo) {
    for (int ow = o0, end = o0 + count; ow < end; ow += V) {
      VectorMask<Float> m = S.indexInRange(0, Math.min(V, end - ow)); // never null: see maxRow
      int[] map = end - ow >= V ? maps[0] : maps[1];
      int w0 = ow * sw - pw;
      FloatVector sum = FloatVector.zero(S);
      for (int r = 0; r < nRows; r++) {
        int at = xb + rows[r] + w0;
        for (int c = 0; c < kw; c++) {
          sum = sum.add(sw == 1 ? FloatVector.fromArray(S, x, at + c, m)
              : FloatVector.fromArray(S, x, at + c, map, 0, m));
        }
      }
      sum.div((float) divisor).intoArray(y, yo + ow, m);
    }
  }

  /**
   * Backward of {@link #avgRow}: dx += dy[yo + ow] / divisor over each window of outputs [o0, o0 + count).
   * At one tap the V lanes touch V distinct cells; the taps are visited last to first, so every dx cell
   * receives its outputs' contributions in ascending output order, as in the scalar path.
   */
  static void avgBackRow(float[] dy, int yo, int divisor, float[] dx, int xb, int[] rows, int nRows, int kw, int sw,
                         int pw, int o0, int count, int[][] maps) {
    for (int ow = o0, end = o0 + count; ow < end; ow += V) {
      VectorMask<Float> m = S.indexInRange(0, Math.min(V, end - ow)); // never null: see maxRow
      int[] map = end - ow >= V ? maps[0] : maps[1];
      FloatVector d = FloatVector.fromArray(S, dy, yo + ow, m).div((float) divisor);
      int w0 = ow * sw - pw;
      for (int r = 0; r < nRows; r++) {
        int at = xb + rows[r] + w0;
        for (int c = kw - 1; c >= 0; c--) {
          if (sw == 1) {
            FloatVector.fromArray(S, dx, at + c, m).add(d).intoArray(dx, at + c, m);
          } else {
            FloatVector.fromArray(S, dx, at + c, map, 0, m).add(d).intoArray(dx, at + c, map, 0, m);
          }
        }
      }
    }
  }
}
