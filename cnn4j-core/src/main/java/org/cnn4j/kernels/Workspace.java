package org.cnn4j.kernels;

/**
 * Per-thread scratch arrays that grow and are then reused, so that steady-state kernels allocate
 * nothing. Each user owns a distinct slot; a slot's contents are garbage on entry.
 */
final class Workspace {
  private Workspace() {}

  static final int GEMM_A = 0;
  static final int GEMM_TILE = 1;
  static final int CONV_COL = 2;
  static final int CONV_COL2 = 3;
  static final int GEMM_T = 4;
  static final int CONV_XP = 5;
  static final int CONV_OUT = 6;
  static final int CONV_WPACK = 7;
  static final int CONV_DYQ = 8;
  static final int CONV_DXP = 9;
  static final int CONV_WT = 10;
  static final int NORM_GRAD = 11;
  static final int WINO_U = 12;
  static final int WINO_V = 13;
  static final int WINO_M = 14;
  static final int WINO_PLANE = 15;
  static final int WINO_ROWS = 16;
  static final int GEMM_B_EDGE = 17;
  static final int NORM_SUM = 18;
  static final int NORM_SUM2 = 19;
  static final int NORM_COEF = 20;
  static final int NORM_POOLED = 21;
  static final int SLOTS = 22;

  private static final ThreadLocal<float[][]> LOCAL = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

  /** A per-thread array of at least {@code size} elements for {@code slot} (contents unspecified). */
  static float[] get(int slot, int size) {
    float[][] slots = LOCAL.get();
    float[] a = slots[slot];
    if (a.length < size) {
      a = new float[Math.max(size, (int) Math.min(Integer.MAX_VALUE - 8, a.length + (long) a.length / 2))];
      slots[slot] = a;
    }
    return a;
  }
}
