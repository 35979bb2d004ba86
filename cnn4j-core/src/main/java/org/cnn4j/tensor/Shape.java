package org.cnn4j.tensor;

import java.util.Arrays;

/** Static helpers for shapes, which are plain {@code int[]} (row-major, outermost first). */
public final class Shape {
    private Shape() {}

    /** Number of elements; 1 for a scalar shape {@code []}. Fails on negative or overflowing sizes. */
    public static int size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** {@code [100, 1, 28, 28]}, as PyTorch prints sizes. */
    public static String str(int... shape) {
        return Arrays.toString(shape);
    }

    /** Resolves a single {@code -1} in {@code newShape} so that it holds {@code size} elements. */
    public static int[] infer(int size, int... newShape) {
        int[] out = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("only one dimension can be -1 in " + str(newShape));
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("invalid dimension " + out[i] + " in " + str(newShape));
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0)
                throw new IllegalArgumentException("cannot view " + size + " elements as " + str(newShape));
            out[unknown] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("cannot view " + size + " elements as " + str(newShape)
                    + " (" + known + " elements)");
        }
        return out;
    }

    /** NumPy/PyTorch broadcasting of two shapes; fails naming both. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " cannot be broadcast (dimension "
                        + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalises a possibly negative dimension index against a rank, as PyTorch does. */
    public static int dim(int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1))
            throw new IllegalArgumentException("dimension " + dim + " out of range for a tensor of rank " + rank);
        return d;
    }
}
