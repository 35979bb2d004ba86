package org.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recycles the arrays of intermediate tensors from one training step to the next, so that a steady
 * state step allocates almost nothing (a fresh 10 MB array costs more than a millisecond in page
 * faults and zeroing; a FashionCNN step needs about 90 MB of them).
 *
 * <p>Ops take their output, saved-for-backward and intermediate-gradient arrays from here. Outside a
 * {@link #scope()} this is plain {@code new}. Inside one, arrays come from per-thread free lists
 * (exact length, which repeats step after step) and all of them go back when the scope closes: a
 * tensor computed inside a scope must not be used after it. {@link org.cnn4j.train.Trainer} opens one
 * scope per batch; code that keeps a result (logits for a report, say) copies it before closing.
 * Parameters, their gradients and anything a user allocates directly are never pooled.
 */
public final class BufferPool {
    /** Pooled arrays beyond this many bytes per thread are dropped rather than kept. */
    private static final long MAX_POOLED_BYTES = 1L << 30;

    private static final ThreadLocal<BufferPool> LOCAL = ThreadLocal.withInitial(BufferPool::new);

    private final Map<Integer, ArrayDeque<float[]>> freeFloats = new HashMap<>();
    private final Map<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
    private final Map<Integer, ArrayDeque<byte[]>> freeBytes = new HashMap<>();
    private final List<Object> lent = new ArrayList<>();
    private int depth;
    private long pooledBytes;

    private BufferPool() {}

    /** Opens a recycling scope on this thread; nested scopes return their arrays when they close. */
    public static Scope scope() {
        BufferPool pool = LOCAL.get();
        pool.depth++;
        int mark = pool.lent.size();
        return () -> pool.close(mark);
    }

    /** Closing returns every array lent since the scope opened. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** An array of exactly {@code n} floats whose contents are unspecified: the caller overwrites all of it. */
    public static float[] floats(int n) {
        BufferPool pool = LOCAL.get();
        if (pool.depth == 0) return new float[n];
        ArrayDeque<float[]> free = pool.freeFloats.get(n);
        float[] a = free == null ? null : free.poll();
        if (a == null) a = new float[n];
        else pool.pooledBytes -= 4L * n;
        pool.lent.add(a);
        if (poison) java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /**
     * Debugging aid ({@code -Dcnn4j.poisonBuffers=true}, and on in the tests): recycled arrays are
     * filled with NaN, so an op that wrongly relies on fresh zeros shows up as a NaN.
     */
    static boolean poison = Boolean.getBoolean("cnn4j.poisonBuffers");

    /** An array of exactly {@code n} zeros. */
    public static float[] zeros(int n) {
        BufferPool pool = LOCAL.get();
        if (pool.depth == 0) return new float[n];
        float[] a = floats(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    /** An array of exactly {@code n} ints whose contents are unspecified. */
    public static int[] ints(int n) {
        BufferPool pool = LOCAL.get();
        if (pool.depth == 0) return new int[n];
        ArrayDeque<int[]> free = pool.freeInts.get(n);
        int[] a = free == null ? null : free.poll();
        if (a == null) a = new int[n];
        else pool.pooledBytes -= 4L * n;
        pool.lent.add(a);
        return a;
    }

    /** An array of exactly {@code n} bytes whose contents are unspecified. */
    public static byte[] bytes(int n) {
        BufferPool pool = LOCAL.get();
        if (pool.depth == 0) return new byte[n];
        ArrayDeque<byte[]> free = pool.freeBytes.get(n);
        byte[] a = free == null ? null : free.poll();
        if (a == null) a = new byte[n];
        else pool.pooledBytes -= n;
        pool.lent.add(a);
        return a;
    }

    private void close(int mark) {
        if (depth == 0) throw new IllegalStateException("BufferPool scope closed twice");
        depth--;
        for (int i = lent.size() - 1; i >= mark; i--) {
            Object a = lent.remove(i);
            if (a instanceof float[] f) {
                if (pooledBytes + 4L * f.length > MAX_POOLED_BYTES) continue;
                freeFloats.computeIfAbsent(f.length, k -> new ArrayDeque<>()).push(f);
                pooledBytes += 4L * f.length;
            } else if (a instanceof int[] n) {
                if (pooledBytes + 4L * n.length > MAX_POOLED_BYTES) continue;
                freeInts.computeIfAbsent(n.length, k -> new ArrayDeque<>()).push(n);
                pooledBytes += 4L * n.length;
            } else if (a instanceof byte[] b) {
                if (pooledBytes + b.length > MAX_POOLED_BYTES) continue;
                freeBytes.computeIfAbsent(b.length, k -> new ArrayDeque<>()).push(b);
                pooledBytes += b.length;
            }
        }
    }
}
