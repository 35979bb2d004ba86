package org.cnn4j.bench;

import java.util.SplittableRandom;

/**
 * The arrays of one convolution benchmark case: random input, weight, bias and output gradient (drawn in
 * that order from {@code r}), and the outputs of the three passes.
 */
final class ConvBuffers {
  final float[] x, w, bias, y, dy, dx, dw, db;

  ConvBuffers(SplittableRandom r, int inLength, int weightLength, int outChannels, int outLength) {
    x = KernelReport.rand(r, inLength);
    w = KernelReport.rand(r, weightLength);
    bias = KernelReport.rand(r, outChannels);
    y = new float[outLength];
    dy = KernelReport.rand(r, outLength);
    dx = new float[inLength];
    dw = new float[weightLength];
    db = new float[outChannels];
  }

  /** The integers of a case string, split at {@code separator} (a regex). */
  static int[] ints(String s, String separator) {
    String[] p = s.trim().split(separator);
    int[] v = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      v[i] = Integer.parseInt(p[i].trim());
    }
    return v;
  }
}
