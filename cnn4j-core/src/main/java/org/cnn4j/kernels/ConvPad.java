package org.cnn4j.kernels;

/**
 * Padding of the last 1-3 axes of a batch of channel planes, as PyTorch's {@code F.pad}: zeros, reflect (mirror
 * without repeating the edge: {@code [a b c] -> b a [a b c] -> [c b a b c b]}), replicate (repeat the edge) and
 * circular (wrap around). Used before a convolution whose padding mode is not zeros.
 *
 * <p>Planes are seen as 3-D {@code [D, H, W]} (leading sizes 1 for 1-D/2-D); per axis, padded position
 * {@code q in [0, before + size + after)} reads input position {@link #source}. The backward pass adds each
 * padded gradient back into the position it was read from.
 */
public final class ConvPad {
  private ConvPad() {}

  public enum Mode { ZEROS, REFLECT, REPLICATE, CIRCULAR }

  /**
   * The input position that padded position {@code q} reads along an axis of {@code size} with {@code before}
   * padding, or -1 for a zero. Reflect needs {@code before, after < size}, circular {@code before, after <= size}
   * (checked by the caller).
   */
  public static int source(Mode mode, int q, int before, int size) {
    int i = q - before;
    if (i >= 0 && i < size) {
      return i;
    }
    return switch (mode) {
      case ZEROS -> -1;
      case REPLICATE -> i < 0 ? 0 : size - 1;
      case REFLECT -> {
        if (size == 1) {
          yield 0;
        }
        int period = 2 * (size - 1);
        int r = Math.floorMod(i, period);
        yield r < size ? r : period - r;
      }
      case CIRCULAR -> Math.floorMod(i, size);
    };
  }

  private static int[] map(Mode mode, int before, int size, int after) {
    int[] m = new int[before + size + after];
    for (int q = 0; q < m.length; q++) {
      m[q] = source(mode, q, before, size);
    }
    return m;
  }

  /**
   * y[plane][q] = x[plane][source(q)] for {@code planes} planes of sizes {@code in} (3 entries) padded by
   * {@code before}/{@code after} (3 entries each).
   */
  public static void forward(Mode mode, int planes, int[] in, int[] before, int[] after, float[] x, float[] y) {
    int[] md = map(mode, before[0], in[0], after[0]), mh = map(mode, before[1], in[1], after[1]);
    int[] mw = map(mode, before[2], in[2], after[2]);
    int inPlane = in[0] * in[1] * in[2], outPlane = md.length * mh.length * mw.length;
    Parallel.forRange(planes, Math.max(1, 16384 / Math.max(1, outPlane)), (s, e) -> {
      for (int p = s; p < e; p++) {
        int xo = p * inPlane, yo = p * outPlane;
        for (int a : md) {
          for (int b : mh) {
            int row = (a < 0 || b < 0) ? -1 : xo + (a * in[1] + b) * in[2];
            for (int c : mw) {
              y[yo++] = row < 0 || c < 0 ? 0f : x[row + c];
            }
          }
        }
      }
    });
  }

  /** dx[plane][source(q)] += dy[plane][q]; dx overwritten. */
  public static void backward(Mode mode, int planes, int[] in, int[] before, int[] after, float[] dy, float[] dx) {
    int[] md = map(mode, before[0], in[0], after[0]), mh = map(mode, before[1], in[1], after[1]);
    int[] mw = map(mode, before[2], in[2], after[2]);
    int inPlane = in[0] * in[1] * in[2], outPlane = md.length * mh.length * mw.length;
    Parallel.forRange(planes, Math.max(1, 16384 / Math.max(1, outPlane)), (s, e) -> {
      java.util.Arrays.fill(dx, s * inPlane, e * inPlane, 0f);
      for (int p = s; p < e; p++) {
        int xo = p * inPlane, yo = p * outPlane;
        for (int a : md) {
          for (int b : mh) {
            int row = (a < 0 || b < 0) ? -1 : xo + (a * in[1] + b) * in[2];
            for (int c : mw) {
              if (row >= 0 && c >= 0) {
                dx[row + c] += dy[yo];
              }
              yo++;
            }
          }
        }
      }
    });
  }
}
