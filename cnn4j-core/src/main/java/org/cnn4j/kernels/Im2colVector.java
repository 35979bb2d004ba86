package org.cnn4j.kernels;

import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col and col2im by masked gathers (loaded only when {@link VectorSupport#ENABLED}). A {@link Plan} holds, per
 * kernel tap and output position, the offset of the input element in its channel plane and whether it lies inside
 * the image ({@link TapOffsets}); one gather then fills V positions of a col row. The scalar loops in {@link ConvKernels} copy one
 * output row at a time, and for stride 2 or the short rows of small maps (ResNet's stem, its stride-2 3x3 convs)
 * their per-row bookkeeping costs more than the copy.
 *
 * <p>Both write exactly what the scalar loops write, in the same order: for a fixed tap the positions map to
 * distinct input elements, so col2im's gather-add-scatter of one tap adds each element once, and the taps go in
 * the scalar order.
 */
final class Im2colVector {
  private Im2colVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();

  /** Worth it for strided or short rows; long stride-1 rows are bulk copies in the scalar path. */
  static boolean pays(Conv2dGeometry g) {
    return g.strideW() != 1 || g.outW() <= 16;
  }

  /**
   * col2im's gather-add-scatter pays where im2col's gather does, once a map has at least V / 2 positions: with
   * fewer (ResNet's 2x2 maps) most lanes are masked off, and the gathers took the 128 -> 256 stride-2 conv's
   * input gradient from 1.21 to 1.32 ms.
   */
  static boolean paysBackward(Conv2dGeometry g) {
    return pays(g) && 2 * g.outH() * g.outW() >= V;
  }

  /** The taps' offsets ({@link TapOffsets}: tap t = ki * KW + kj, position p = oh * OW + ow) of one geometry. */
  record Plan(Key key, TapOffsets taps) {}

  /** What a plan depends on: not the batch nor the channels. */
  record Key(int h, int w, int kh, int kw, int sh, int sw, int pt, int pl, int oh, int ow) {
    boolean matches(Conv2dGeometry g) {
      return h == g.inH() && w == g.inW() && kh == g.kernelH() && kw == g.kernelW() && sh == g.strideH()
          && sw == g.strideW() && pt == g.padTop() && pl == g.padLeft() && oh == g.outH() && ow == g.outW();
    }
  }

  private static final int MAX_PLANS = 256;
  private static final ConcurrentHashMap<Key, Plan> PLANS = new ConcurrentHashMap<>();
  /** The plan of the last call: a layer calls once per image, so this spares the map lookup and a key. */
  private static volatile Plan last;

  static Plan plan(Conv2dGeometry g) {
    Plan plan = last;
    if (plan != null && plan.key().matches(g)) {
      return plan;
    }
    Key key = new Key(g.inH(), g.inW(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(),
        g.padLeft(), g.outH(), g.outW());
    plan = PLANS.get(key);
    if (plan == null) {
      if (PLANS.size() >= MAX_PLANS) {
        PLANS.clear(); // a model has a few dozen geometries; this only bounds a pathological caller
      }
      plan = build(key);
      PLANS.put(key, plan);
    }
    last = plan;
    return plan;
  }

  private static Plan build(Key k) {
    return new Plan(k, TapOffsets.of(new int[] {1, k.h(), k.w()}, new int[] {1, k.oh(), k.ow()},
        new int[] {1, k.kh(), k.kw()}, new int[] {1, k.sh(), k.sw()}, new int[] {0, k.pt(), k.pl()},
        new int[] {1, 1, 1}, V));
  }

  /** col[colOff + row * ldCol + p] for row = (c * KH + ki) * KW + kj, as {@link ConvKernels#im2col}. */
  static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] col, int colOff, int ldCol) {
    Plan plan = plan(g);
    int plane = g.inH() * g.inW(), taps = g.kernelH() * g.kernelW(), positions = g.outH() * g.outW();
    int full = positions - positions % V, pPad = plan.taps().stride();
    int[] offset = plan.taps().offset();
    boolean[] inside = plan.taps().inside();
    VectorMask<Float> tail = S.indexInRange(full, positions);
    int row = 0;
    for (int c = 0; c < g.inChannels(); c++) {
      int xc = xOff + c * plane;
      for (int t = 0; t < taps; t++, row++) {
        int dst = colOff + row * ldCol, m = t * pPad, p = 0;
        for (; p < full; p += V) {
          VectorMask<Float> in = VectorMask.fromArray(S, inside, m + p);
          FloatVector.fromArray(S, x, xc, offset, m + p, in).intoArray(col, dst + p);
        }
        if (p < positions) {
          VectorMask<Float> in = VectorMask.fromArray(S, inside, m + p);
          FloatVector.fromArray(S, x, xc, offset, m + p, in).intoArray(col, dst + p, tail);
        }
      }
    }
  }

  /** dx (this image) = the sum of the col entries im2col copied from each element, as {@link ConvKernels#col2im}. */
  static void col2im(Conv2dGeometry g, float[] col, int colOff, int ldCol, float[] dx, int dxOff) {
    Plan plan = plan(g);
    int plane = g.inH() * g.inW(), taps = g.kernelH() * g.kernelW(), positions = g.outH() * g.outW();
    int pPad = plan.taps().stride();
    int[] offset = plan.taps().offset();
    boolean[] inside = plan.taps().inside();
    java.util.Arrays.fill(dx, dxOff, dxOff + g.inChannels() * plane, 0f);
    int row = 0;
    for (int c = 0; c < g.inChannels(); c++) {
      int xc = dxOff + c * plane;
      for (int t = 0; t < taps; t++, row++) {
        int src = colOff + row * ldCol, m = t * pPad;
        for (int p = 0; p < positions; p += V) {
          // inside is false from P on, so the tail's loads and stores stay within this row and image
          VectorMask<Float> in = VectorMask.fromArray(S, inside, m + p);
          FloatVector sum = FloatVector.fromArray(S, dx, xc, offset, m + p, in)
              .add(FloatVector.fromArray(S, col, src + p, in));
          sum.intoArray(dx, xc, offset, m + p, in);
        }
      }
    }
  }
}
