package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelWindows} on the Vector API (loaded only when {@link VectorSupport#ENABLED}), V rows at a time: a
 * window of V consecutive kernels is V * h * w floats in a row of {@code win}, and each vector of it is one gather
 * from the V kernels (an index map over (row, tap) pairs), so every load and store of {@code win} is a whole
 * vector. The scalar loops moved one float per load and store with the index arithmetic of a strided loop.
 * Both methods return the first row they did not do; the caller finishes the rest with the scalar loops.
 *
 * <p>They run a few times per training step (ARCHITECTURE's sixth JIT rule), but each call loops over thousands
 * of kernels, so C2 compiles the loop on the stack within the first steps: ResNet-18's rate over its first
 * steps (PeerBench with 3 warm-up steps) stayed at 561-570 images/s, 565 before.
 */
final class KernelWindowsVector {
  private KernelWindowsVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();

  /** Lane l of vector q: (row, tap) = (e / hw, e % hw) for e = q * V + l, as an offset from the first row's window. */
  private static int[] windowIndex(int taps, int kw, int w, int hw) {
    int[] idx = new int[V * hw];
    for (int e = 0; e < idx.length; e++) {
      int t = e % hw;
      idx[e] = (e / hw) * taps + (t / w) * kw + t % w;
    }
    return idx;
  }

  static int gather(float[] k, int kh, int kw, int[] first, int h, int w, float[] win, int winStride, int s, int e) {
    int taps = kh * kw, hw = h * w;
    int[] idx = windowIndex(taps, kw, w, hw);
    int r = s;
    for (; r + V <= e; r += V) {
      for (int p = 0; p < first.length; p++) {
        int src = r * taps + first[p], dst = p * winStride + r * hw;
        for (int q = 0; q < hw; q++) {
          FloatVector.fromArray(S, k, src, idx, q * V).intoArray(win, dst + q * V);
        }
      }
    }
    return r;
  }

  /**
   * Windows in p order, as the scalar loop adds them; within one window the lanes are distinct taps, so the
   * gather-add-scatter adds each once.
   */
  static int scatterAdd(float[] win, int winStride, int h, int w, float[] k, int kh, int kw, int[] first,
                        boolean overwrite, int s, int e) {
    int taps = kh * kw, hw = h * w;
    int[] idx = windowIndex(taps, kw, w, hw);
    FloatVector zero = FloatVector.zero(S);
    int r = s;
    for (; r + V <= e; r += V) {
      if (overwrite) { // V rows of taps floats: taps whole vectors
        for (int i = r * taps; i < (r + V) * taps; i += V) {
          zero.intoArray(k, i);
        }
      }
      for (int p = 0; p < first.length; p++) {
        int dst = r * taps + first[p], src = p * winStride + r * hw;
        for (int q = 0; q < hw; q++) {
          FloatVector.fromArray(S, k, dst, idx, q * V).add(FloatVector.fromArray(S, win, src + q * V))
              .intoArray(k, dst, idx, q * V);
        }
      }
    }
    return r;
  }
}
