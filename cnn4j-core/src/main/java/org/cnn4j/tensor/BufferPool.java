package org.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

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

    private final FreeList<float[]> freeFloats = new FreeList<>(float[]::new, 4);
    private final FreeList<int[]> freeInts = new FreeList<>(int[]::new, 4);
    private final FreeList<byte[]> freeBytes = new FreeList<>(byte[]::new, 1);
    private final List<Object> lent = new ArrayList<>();
    private int depth;
    private long pooledBytes;

    private BufferPool() {}

    /** Idle arrays of one element type, by exact length. */
    private record FreeList<A>(Map<Integer, ArrayDeque<A>> byLength, IntFunction<A> create, int elementBytes) {
        FreeList(IntFunction<A> create, int elementBytes) {
            this(new HashMap<>(), create, elementBytes);
        }
    }

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
        float[] a = pool.take(pool.freeFloats, n);
        if (poison && pool.depth > 0) java.util.Arrays.fill(a, Float.NaN);
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
        return pool.take(pool.freeInts, n);
    }

    /** An array of exactly {@code n} bytes whose contents are unspecified. */
    public static byte[] bytes(int n) {
        BufferPool pool = LOCAL.get();
        return pool.take(pool.freeBytes, n);
    }

    /** Plain allocation outside a scope; inside, an idle array of that length if any, lent until the scope closes. */
    private <A> A take(FreeList<A> list, int n) {
        if (depth == 0) return list.create().apply(n);
        ArrayDeque<A> free = list.byLength().get(n);
        A a = free == null ? null : free.poll();
        if (a == null) a = list.create().apply(n);
        else pooledBytes -= (long) list.elementBytes() * n;
        lent.add(a);
        return a;
    }

    private <A> void giveBack(FreeList<A> list, A array, int length) {
        long bytes = (long) list.elementBytes() * length;
        if (pooledBytes + bytes > MAX_POOLED_BYTES) return; // let the GC have it
        list.byLength().computeIfAbsent(length, k -> new ArrayDeque<>()).push(array);
        pooledBytes += bytes;
    }

    private void close(int mark) {
        if (depth == 0) throw new IllegalStateException("BufferPool scope closed twice");
        depth--;
        for (int i = lent.size() - 1; i >= mark; i--) {
            switch (lent.remove(i)) {
                case float[] f -> giveBack(freeFloats, f, f.length);
                case int[] n -> giveBack(freeInts, n, n.length);
                case byte[] b -> giveBack(freeBytes, b, b.length);
                default -> throw new AssertionError("only arrays are lent");
            }
        }
    }
}
