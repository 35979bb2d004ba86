package org.cnn4j.kernels;

/**
 * Per-thread scratch arrays that grow and are then reused, so that steady-state kernels allocate
 * nothing. Each user owns a distinct slot; a slot's contents are garbage on entry.
 */
final class Workspace {
  private Workspace() {}

  static final int GEMM_A = 0;
  static final int GEMM_B = 1;
  static final int GEMM_TILE = 2;
  static final int CONV_COL = 3;
  static final int CONV_COL2 = 4;
  static final int GEMM_T = 5;
  static final int CONV_XP = 6;
  static final int CONV_OUT = 7;
  static final int CONV_WPACK = 8;
  static final int CONV_DYQ = 9;
  static final int CONV_DXP = 10;
  static final int CONV_WT = 11;
  static final int NORM_GRAD = 12;
  static final int WINO_U = 13;
  static final int WINO_V = 14;
  static final int WINO_M = 15;
  static final int WINO_PLANE = 16;
  static final int WINO_ROWS = 17;
  static final int SLOTS = 18;

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
