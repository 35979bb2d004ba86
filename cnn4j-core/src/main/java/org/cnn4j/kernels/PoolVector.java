package org.cnn4j.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised 2x2 stride-2 unpadded max pooling with a compact window code (loaded only when
 * {@link VectorSupport#ENABLED}). For each output row, V outputs at a time: two vectors per input row are
 * split into even and odd lanes with a two-vector {@code selectFrom}, the four candidates are compared in
 * window order (first maximum wins, NaN propagates) and the winning position (0..3, row-major in the
 * window) is stored as a byte. Backward interleaves the masked dy back into the two input rows.
 */
final class PoolVector {
  private PoolVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();
  static final VectorSpecies<Byte> B = speciesForBytes();

  private static VectorSpecies<Byte> speciesForBytes() {
    return VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(V * 8));
  }

  static boolean supported() {
    return B.length() == V;
  }

  /** Planes [s, e) of a 2x2/2 pool: y and the window code. */
  static void forward2x2(int H, int W, int OH, int OW, float[] x, float[] y, byte[] win, int s, int e) {
    for (int p = s; p < e; p++) {
      forward2x2Plane(H, W, OH, OW, x, p * H * W, y, win, p * OH * OW);
    }
  }

  /**
   * One plane of a 2x2/2 pool, reading x[xo ..] and writing y/win[yo ..]: on vectors, or with the scalar
   * twin where a vector step would cross an array's end ({@link #vectorSafe}).
   */
  static void forward2x2Plane(int H, int W, int OH, int OW, float[] x, int xo, float[] y, byte[] win, int yo) {
    if (vectorSafe(W, OH, OW, xo, x.length, yo, Math.min(y.length, win.length))) {
      forward2x2PlaneVector(H, W, OH, OW, x, xo, y, win, yo);
    } else {
      forward2x2PlaneScalar(W, OH, OW, x, xo, y, win, yo);
    }
  }

  /**
   * True when every full-width vector a plane's rows touch lies inside the arrays (x: the input rows, y: the
   * pooled rows). A masked access whose full vector would cross an array's end takes the Vector API's per-lane
   * bounds check; once C2 has seen that branch taken it compiles it into the loop, which made the 28x28
   * pool 25-30% slower everywhere. Planes at an array's end (one or two per call) run the scalar loop instead.
   */
  private static boolean vectorSafe(int W, int OH, int OW, int xo, int xLen, int yo, int yLen) {
    int last = (OW - 1) / V * V; // start of each row's last step
    return xo + (2 * OH - 1) * W + 2 * last + 2 * V <= xLen && yo + (OH - 1) * OW + last + V <= yLen;
  }

  /** The scalar twin of {@link #forward2x2PlaneVector}: the same comparisons in the same order, so the same results. */
  private static void forward2x2PlaneScalar(int W, int OH, int OW, float[] x, int xb, float[] y, byte[] win, int yb) {
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        int c = xb + 2 * i * W + 2 * j;
        float best = x[c];
        int code = 0;
        float v = x[c + 1];
        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
          best = v;
          code = 1;
        }
        v = x[c + W];
        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
          best = v;
          code = 2;
        }
        v = x[c + W + 1];
        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
          best = v;
          code = 3;
        }
        y[yb + i * OW + j] = best;
        win[yb + i * OW + j] = (byte) code;
      }
    }
  }

  /**
   * One plane on vectors, in strips of V output columns down all rows (the strip's masks are set up once).
   * One method per plane, constants built in it (see {@link #evenIndexes}): a vector or mask argument of a
   * call C2 does not inline is boxed, and per-row calls redid the set-up for every row.
   */
  private static void forward2x2PlaneVector(int H, int W, int OH, int OW, float[] x, int xb, float[] y, byte[] win,
                                            int yb) {
    FloatVector zero = FloatVector.zero(S), even = evenIndexes(), odd = even.add(1f);
    // window codes as the int bit patterns 1..3 in float lanes (blends do not look at the values), so that
    // storing them as bytes is a plain narrowing, without float-to-int conversion checks
    FloatVector one = FloatVector.broadcast(S, Float.intBitsToFloat(1));
    FloatVector two = FloatVector.broadcast(S, Float.intBitsToFloat(2));
    FloatVector three = FloatVector.broadcast(S, Float.intBitsToFloat(3));
    for (int j = 0; j < OW; j += V) {
      int n = Math.min(V, OW - j);
      VectorMask<Float> m0 = S.indexInRange(0, 2 * n), m1 = S.indexInRange(V, 2 * n), out = S.indexInRange(0, n);
      VectorMask<Byte> outCodes = B.indexInRange(0, n);
      for (int i = 0; i < OH; i++) {
        int r0 = xb + 2 * i * W, r1 = r0 + W, yo = yb + i * OW;
        FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * j, m0);
        FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * j + V, m1);
        FloatVector b0 = FloatVector.fromArray(S, x, r1 + 2 * j, m0);
        FloatVector b1 = FloatVector.fromArray(S, x, r1 + 2 * j + V, m1);
        FloatVector best = even.selectFrom(a0, a1);
        FloatVector code = zero;
        FloatVector v = odd.selectFrom(a0, a1);
        VectorMask<Float> bestNaN = best.test(VectorOperators.IS_NAN);
        VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN).andNot(bestNaN));
        best = best.blend(v, take);
        code = code.blend(one, take);
        v = even.selectFrom(b0, b1);
        bestNaN = best.test(VectorOperators.IS_NAN);
        take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN).andNot(bestNaN));
        best = best.blend(v, take);
        code = code.blend(two, take);
        v = odd.selectFrom(b0, b1);
        bestNaN = best.test(VectorOperators.IS_NAN);
        take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN).andNot(bestNaN));
        best = best.blend(v, take);
        code = code.blend(three, take);
        best.intoArray(y, yo + j, out);
        code.reinterpretAsInts().convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
            .intoArray(win, yo + j, outCodes);
      }
    }
  }

  /**
   * {@link VectorLanes#EVEN}, computed rather than read: a static vector is an array in memory, and C2 reloads
   * it (and redoes selectFrom's float-to-int index conversion) on every iteration of a loop that stores to a
   * float[], which might alias its payload. Built once per plane, it stays in a register.
   */
  private static FloatVector evenIndexes() {
    return FloatVector.zero(S).addIndex(2);
  }

  /** {@link VectorLanes#INTERLEAVE_LO} computed rather than read (see {@link #evenIndexes}). */
  private static FloatVector interleaveLoIndexes() {
    IntVector lane = IntVector.zero(IntVector.SPECIES_PREFERRED).addIndex(1);
    return (FloatVector) lane.lanewise(VectorOperators.ASHR, 1).add(lane.and(1).mul(V))
        .convert(VectorOperators.I2F, 0);
  }

  // ------------------------------------------------------------------ for the fused batch norm forward

  /**
   * One plane of {@code maxpool2x2(relu(x * scale + shift))} pooled before the affine map instead of after:
   * for {@code scale > 0} the map is monotone, and so is its float rounding, so the window's largest x gives
   * the largest mapped value and {@code relu(max(x) * scale + shift)} is bit for bit the value the separate
   * layers compute (for {@code scale < 0} the smallest x, found as the largest of -x). This skips writing
   * and re-reading the mapped plane, and with only finite inputs the comparisons need no NaN handling.
   * The window codes agree with the separate layers' wherever the output is positive, except where
   * rounding maps two different x to one value (the separate layers then pick the first, this the larger;
   * both are subgradients); where the output is 0 the gradient is 0 whichever cell wins.
   * {@code winners} (null: not wanted) gets the x at each window's winner, for the backward's sums; it
   * must have V floats of room past y's length.
   * Returns false, leaving the plane half written, when an input is NaN or infinite (or the plane's sum
   * overflows) or the plane is not {@link #vectorSafe}: the caller then redoes it the separate layers' way.
   * {@code scale} must be finite and non-zero, {@code shift} finite.
   */
  static boolean affineReluMax2x2Plane(int W, int OH, int OW, float[] x, int xb, float scale, float shift, float[] y,
                                       byte[] win, float[] winners, int yb) {
    if (!vectorSafe(W, OH, OW, xb, x.length, yb, Math.min(y.length, win.length))) {
      return false;
    }
    // One method for the whole plane, so that C2 hoists the setup (index vectors, masks, broadcasts) out of
    // the row loop: with a call per row it was redone for every 14-output row and took half the time.
    boolean negate = scale < 0;
    FloatVector zero = FloatVector.zero(S), sum = zero;
    FloatVector a = FloatVector.broadcast(S, Math.abs(scale)), c = FloatVector.broadcast(S, shift); // (-x)|s| == xs
    FloatVector even = evenIndexes(), odd = even.add(1f);
    FloatVector code1 = FloatVector.broadcast(S, Float.intBitsToFloat(1));
    FloatVector code2 = FloatVector.broadcast(S, Float.intBitsToFloat(2));
    FloatVector code3 = FloatVector.broadcast(S, Float.intBitsToFloat(3));
    // strips of V output columns, each down all rows: the masks of a strip are set up once, not once per row
    for (int j = 0; j < OW; j += V) {
      int n = Math.min(V, OW - j);
      VectorMask<Float> m0 = S.indexInRange(0, 2 * n), m1 = S.indexInRange(V, 2 * n), out = S.indexInRange(0, n);
      VectorMask<Byte> outCodes = B.indexInRange(0, n);
      for (int i = 0; i < OH; i++) {
        int r0 = xb + 2 * i * W, r1 = r0 + W, yo = yb + i * OW;
        FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * j, m0);
        FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * j + V, m1);
        FloatVector b0 = FloatVector.fromArray(S, x, r1 + 2 * j, m0);
        FloatVector b1 = FloatVector.fromArray(S, x, r1 + 2 * j + V, m1);
        if (negate) {
          a0 = a0.neg();
          a1 = a1.neg();
          b0 = b0.neg();
          b1 = b1.neg();
        }
        sum = sum.add(a0.add(a1).add(b0.add(b1))); // NaN or infinite once any input is
        // window codes as int bit patterns, as in forward2x2PlaneVector
        FloatVector best = even.selectFrom(a0, a1), code = zero;
        FloatVector v = odd.selectFrom(a0, a1);
        VectorMask<Float> take = v.compare(VectorOperators.GT, best);
        best = best.blend(v, take);
        code = code.blend(code1, take);
        v = even.selectFrom(b0, b1);
        take = v.compare(VectorOperators.GT, best);
        best = best.blend(v, take);
        code = code.blend(code2, take);
        v = odd.selectFrom(b0, b1);
        take = v.compare(VectorOperators.GT, best);
        best = best.blend(v, take);
        code = code.blend(code3, take);
        // relu as Loops.affineRelu's max(v, 0): v is never NaN here, and -0 maps to +0 either way
        FloatVector mapped = best.mul(a).add(c);
        zero.blend(mapped, mapped.compare(VectorOperators.GT, zero)).intoArray(y, yo + j, out);
        if (winners != null) {
          (negate ? best.neg() : best).intoArray(winners, yo + j, out);
        }
        code.reinterpretAsInts().convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
            .intoArray(win, yo + j, outCodes);
      }
    }
    return sum.sub(sum).compare(VectorOperators.EQ, 0f).allTrue(); // x - x is NaN exactly when x is not finite
  }

  /**
   * Planes [s, e): dx (=|+=) dy routed to the window position; the rest of dx (=|+=) 0. Narrow planes and the
   * planes at the arrays' end (see {@link #vectorSafe}) scatter one element at a time.
   */
  static void backward2x2(int H, int W, int OH, int OW, float[] dy, byte[] win, float[] dx, boolean acc, int s,
                          int e) {
    if (2 * OW <= V) {
      backward2x2Scalar(H, W, OH, OW, dy, win, dx, acc, s, e);
      return;
    }
    int safeEnd = e, yLen = Math.min(dy.length, win.length);
    while (safeEnd > s && !vectorSafe(W, OH, OW, (safeEnd - 1) * H * W, dx.length, (safeEnd - 1) * OH * OW, yLen)) {
      safeEnd--;
    }
    backward2x2Vector(H, W, OH, OW, dy, win, dx, acc, s, safeEnd);
    if (safeEnd < e) {
      backward2x2Scalar(H, W, OH, OW, dy, win, dx, acc, safeEnd, e);
    }
  }

  private static void backward2x2Vector(int H, int W, int OH, int OW, float[] dy, byte[] win, float[] dx, boolean acc,
                                        int s, int e) {
    for (int pl = s; pl < e; pl++) {
      int xb = pl * H * W;
      int yb = pl * OH * OW;
      if (!acc) {
        if ((H & 1) != 0) {
          java.util.Arrays.fill(dx, xb + (H - 1) * W, xb + H * W, 0f);
        }
        if ((W & 1) != 0) {
          for (int h = 0; h < 2 * OH; h++) {
            dx[xb + h * W + W - 1] = 0f;
          }
        }
      }
      routePlane(W, OH, OW, dy, yb, win, yb, 1f, dx, xb, acc);
    }
  }

  /**
   * One plane of the backward: {@code scale * g[go + t]} goes to the winner of window t (code in
   * {@code win[wo + t]}), 0 to the other three cells; added to dx when {@code acc}, stored otherwise; cells
   * outside every window are not touched. Strips of V windows down all rows, as {@link #forward2x2PlaneVector}.
   * Every access is masked (in bounds, see {@link #vectorSafe}; a masked access costs what a plain one does).
   */
  private static void routePlane(int W, int OH, int OW, float[] g, int go, byte[] win, int wo, float scale,
                                 float[] dx, int xb, boolean acc) {
    FloatVector zero = FloatVector.zero(S), lo = interleaveLoIndexes(), hi = lo.add(V / 2);
    for (int j = 0; j < OW; j += V) {
      int n = Math.min(V, OW - j);
      VectorMask<Float> m0 = S.indexInRange(0, 2 * n), m1 = S.indexInRange(V, 2 * n), in = S.indexInRange(0, n);
      VectorMask<Byte> inCodes = B.indexInRange(0, n);
      for (int i = 0; i < OH; i++) {
        FloatVector d = FloatVector.fromArray(S, g, go + i * OW + j, in).mul(scale);
        FloatVector code = (FloatVector) ByteVector.fromArray(B, win, wo + i * OW + j, inCodes)
            .convertShape(VectorOperators.B2F, S, 0);
        FloatVector tl = zero.blend(d, code.compare(VectorOperators.EQ, 0f));
        FloatVector tr = zero.blend(d, code.compare(VectorOperators.EQ, 1f));
        FloatVector bl = zero.blend(d, code.compare(VectorOperators.EQ, 2f));
        FloatVector br = zero.blend(d, code.compare(VectorOperators.EQ, 3f));
        FloatVector t0 = lo.selectFrom(tl, tr), t1 = hi.selectFrom(tl, tr);
        FloatVector u0 = lo.selectFrom(bl, br), u1 = hi.selectFrom(bl, br);
        int c0 = xb + 2 * i * W + 2 * j, c1 = c0 + W;
        if (acc) {
          t0 = t0.add(FloatVector.fromArray(S, dx, c0, m0));
          t1 = t1.add(FloatVector.fromArray(S, dx, c0 + V, m1));
          u0 = u0.add(FloatVector.fromArray(S, dx, c1, m0));
          u1 = u1.add(FloatVector.fromArray(S, dx, c1 + V, m1));
        }
        t0.intoArray(dx, c0, m0);
        t1.intoArray(dx, c0 + V, m1);
        u0.intoArray(dx, c1, m0);
        u1.intoArray(dx, c1 + V, m1);
      }
    }
  }

  // ------------------------------------------------------------------ for the fused batch norm backward

  /**
   * One plane: {@code dst[d + t]} = the input value at the winner of window t (its code in {@code win[wb + t]}),
   * for the fused batch norm backward's sums. dst must have V floats of room past the plane. Narrow planes
   * (2 * OW <= V, a vector step would cover less than one output row) and planes at an array's end run scalar.
   */
  static void winners2x2Plane(int W, int OH, int OW, float[] x, int xb, byte[] win, int wb, float[] dst, int d) {
    if (2 * OW > V && vectorSafe(W, OH, OW, xb, x.length, wb, win.length)) {
      winnersVector(W, OH, OW, x, xb, win, wb, dst, d);
      return;
    }
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        int code = win[wb + i * OW + j] & 3;
        dst[d + i * OW + j] = x[xb + (2 * i + (code >> 1)) * W + 2 * j + (code & 1)];
      }
    }
  }

  /** {@link #winners2x2Plane} on vectors: the four candidates split as in the forward, picked by code. */
  private static void winnersVector(int W, int OH, int OW, float[] x, int xb, byte[] win, int wb, float[] dst, int d) {
    FloatVector even = evenIndexes(), odd = even.add(1f);
    for (int j = 0; j < OW; j += V) {
      int n = Math.min(V, OW - j);
      VectorMask<Float> m0 = S.indexInRange(0, 2 * n), m1 = S.indexInRange(V, 2 * n), out = S.indexInRange(0, n);
      VectorMask<Byte> codes = B.indexInRange(0, n);
      for (int i = 0; i < OH; i++) {
        int r0 = xb + 2 * i * W, r1 = r0 + W;
        FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * j, m0);
        FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * j + V, m1);
        FloatVector b0 = FloatVector.fromArray(S, x, r1 + 2 * j, m0);
        FloatVector b1 = FloatVector.fromArray(S, x, r1 + 2 * j + V, m1);
        FloatVector code = (FloatVector) ByteVector.fromArray(B, win, wb + i * OW + j, codes)
            .convertShape(VectorOperators.B2F, S, 0);
        FloatVector v = even.selectFrom(a0, a1);
        v = v.blend(odd.selectFrom(a0, a1), code.compare(VectorOperators.EQ, 1f));
        v = v.blend(even.selectFrom(b0, b1), code.compare(VectorOperators.EQ, 2f));
        v = v.blend(odd.selectFrom(b0, b1), code.compare(VectorOperators.EQ, 3f));
        v.intoArray(dst, d + i * OW + j, out);
      }
    }
  }

  /**
   * One plane: dx += scale * g routed to each window's winner (g[go + t] for window t, codes in
   * {@code win[wb + t]}); the cells outside every window are left alone. Scalar for planes at an array's end
   * ({@link #vectorSafe}); narrow planes too run on vectors (OW = 6: 12% faster than the scalar loop).
   */
  static void addRouted2x2Plane(int W, int OH, int OW, float[] g, int go, float scale, byte[] win, int wb,
                                float[] dx, int xb) {
    int last = (OW - 1) / V * V;
    if (vectorSafe(W, OH, OW, xb, dx.length, wb, win.length)
        && go + (OH - 1) * OW + last + V <= g.length) {
      routePlane(W, OH, OW, g, go, win, wb, scale, dx, xb, true);
      return;
    }
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        int code = win[wb + i * OW + j] & 3;
        dx[xb + (2 * i + (code >> 1)) * W + 2 * j + (code & 1)] += scale * g[go + i * OW + j];
      }
    }
  }

  /** Narrow planes (OW <= V/2): zero the planes, then one scattered add per output (like the int argmax path). */
  static void backward2x2Scalar(int H, int W, int OH, int OW, float[] dy, byte[] win, float[] dx, boolean acc, int s,
                                int e) {
    if (!acc) {
      java.util.Arrays.fill(dx, s * H * W, e * H * W, 0f);
    }
    int outPlane = OH * OW;
    // in-plane offset of each window's top-left cell, plus the offset of the window position
    int[] off = new int[outPlane + 4];
    for (int t = 0; t < outPlane; t++) {
      off[t] = 2 * (t / OW) * W + 2 * (t % OW);
    }
    int[] step = {0, 1, W, W + 1};
    for (int pl = s; pl < e; pl++) {
      int yb = pl * outPlane;
      int xb = pl * H * W;
      for (int t = 0; t < outPlane; t++) {
        dx[xb + off[t] + step[win[yb + t] & 3]] += dy[yb + t];
      }
    }
  }
}
