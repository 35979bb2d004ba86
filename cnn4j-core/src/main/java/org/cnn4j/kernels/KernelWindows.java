package org.cnn4j.kernels;

/**
 * Copies between whole kernels {@code k[rows][KH][KW]} and h x w windows of them {@code win[rows][h][w]}: the
 * live taps of {@link ConvTapTrim} (one window) and the per-output-position windows of {@link ConvDense}
 * (several). ResNet-18's layer3/layer4 weights at 32x32 input are 2.4-9.4 MB and are windowed in every
 * forward and backward pass, so the copy order matters: a loop nest per row with 1-3 iterations per level
 * ran at 1 ns per float. Here each block of rows is copied by one flat strided loop per tap, the block's
 * kernels staying in L1 across the taps (2.8x faster on a 2x2-of-3x3 window); with the Vector API,
 * {@link KernelWindowsVector} does V rows per gather first (another 2-2.5x) and these loops do the rest.
 */
final class KernelWindows {
  private KernelWindows() {}

  /** Rows per block: 512 3x3 kernels are 18 KB. */
  private static final int BLOCK = 512;

  /**
   * For every window p and rows r in [s, e): {@code win[p * winStride + (r * h + i) * w + j] =
   * k[(r * KH * KW) + first[p] + i * KW + j]}, i < h, j < w ({@code first[p]} is the window's top-left tap).
   */
  static void gather(float[] k, int kh, int kw, int[] first, int h, int w, float[] win, int winStride, int s, int e) {
    if (VectorSupport.ENABLED) {
      s = KernelWindowsVector.gather(k, kh, kw, first, h, w, win, winStride, s, e);
    }
    gatherScalar(k, kh, kw, first, h, w, win, winStride, s, e);
  }

  /** {@link #gather} by scalar loops: the reference, and the rows the vector path leaves. */
  static void gatherScalar(float[] k, int kh, int kw, int[] first, int h, int w, float[] win, int winStride, int s,
                           int e) {
    int taps = kh * kw, hw = h * w;
    for (int b0 = s; b0 < e; b0 += BLOCK) {
      int b1 = Math.min(e, b0 + BLOCK);
      for (int p = 0; p < first.length; p++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            int src = first[p] + i * kw + j, dst = p * winStride + i * w + j;
            for (int r = b0; r < b1; r++) {
              win[dst + r * hw] = k[src + r * taps];
            }
          }
        }
      }
    }
  }

  /**
   * The reverse of {@link #gather}, adding: {@code k[window p of row r] += win[p * winStride + row r's window]}
   * for rows r in [s, e), windows in p order (so each tap's sum has a fixed order). With {@code overwrite} the
   * rows of k are zeroed first, block by block while they are in L1 (a weight gradient written whole, without
   * a separate zero fill of a 9.4 MB array).
   */
  static void scatterAdd(float[] win, int winStride, int h, int w, float[] k, int kh, int kw, int[] first,
                         boolean overwrite, int s, int e) {
    if (VectorSupport.ENABLED) {
      s = KernelWindowsVector.scatterAdd(win, winStride, h, w, k, kh, kw, first, overwrite, s, e);
    }
    scatterAddScalar(win, winStride, h, w, k, kh, kw, first, overwrite, s, e);
  }

  /** {@link #scatterAdd} by scalar loops: the reference, and the rows the vector path leaves. */
  static void scatterAddScalar(float[] win, int winStride, int h, int w, float[] k, int kh, int kw, int[] first,
                               boolean overwrite, int s, int e) {
    int taps = kh * kw, hw = h * w;
    for (int b0 = s; b0 < e; b0 += BLOCK) {
      int b1 = Math.min(e, b0 + BLOCK);
      if (overwrite) {
        java.util.Arrays.fill(k, b0 * taps, b1 * taps, 0f);
      }
      for (int p = 0; p < first.length; p++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            int dst = first[p] + i * kw + j, src = p * winStride + i * w + j;
            for (int r = b0; r < b1; r++) {
              k[dst + r * taps] += win[src + r * hw];
            }
          }
        }
      }
    }
  }
}
