package org.cnn4j.train;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks, before training or evaluation starts, that a batch will fit in the Java heap, so that a batch
 * size too large for the heap fails at once with a message giving the estimate, the heap and the largest
 * batch that fits, rather than with an {@link OutOfMemoryError} from deep inside a kernel after minutes.
 *
 * <p>The estimate: one sample goes through the model (evaluation mode, no gradients, the model's own
 * forward hooks not called, so nothing is recorded and no random number drawn) while hooks on the leaf
 * modules add up the sizes of their outputs; with the input, that is the activation memory of one
 * sample. A training batch needs {@value #TRAIN_FACTOR} times that per sample (the activations kept for
 * backward, their gradients, kernel workspace), an evaluation batch {@value #EVAL_FACTOR} times; training
 * adds {@value #PARAM_COPIES} copies of the parameters (gradients, two optimizer state slots as Adam
 * keeps). The estimate is compared with what the heap can still give: {@link Runtime#maxMemory()} less
 * what is in use (after a garbage collection when the first look says it does not fit).
 */
public final class MemoryGuard {
    /** Bytes per sample for training, in multiples of the forward activations of one sample. */
    public static final double TRAIN_FACTOR = 3.0;
    /** Bytes per sample for evaluation, in multiples of the forward activations of one sample. */
    public static final double EVAL_FACTOR = 1.5;
    /** Extra copies of the parameters training needs (gradient, optimizer state). */
    public static final int PARAM_COPIES = 3;

    private MemoryGuard() {}

    /** A batch does not fit; the message gives the numbers, and the fields carry them. */
    public static final class InsufficientMemoryException extends RuntimeException {
        private final Estimate estimate;
        private final long availableBytes;
        private final long maxHeapBytes;
        private final int largestBatch;

        InsufficientMemoryException(String message, Estimate estimate, long availableBytes, long maxHeapBytes, int largestBatch) {
            super(message);
            this.estimate = estimate;
            this.availableBytes = availableBytes;
            this.maxHeapBytes = maxHeapBytes;
            this.largestBatch = largestBatch;
        }

        public Estimate estimate() {
            return estimate;
        }

        public long availableBytes() {
            return availableBytes;
        }

        public long maxHeapBytes() {
            return maxHeapBytes;
        }

        /** The largest batch size that fits (0 when not even one sample does). */
        public int largestBatch() {
            return largestBatch;
        }
    }

    /**
     * The estimate for one batch.
     *
     * @param activationBytesPerSample the forward activations of one sample (input included)
     * @param perSampleBytes           what one more sample in the batch costs ({@code activation * factor})
     * @param fixedBytes               what does not grow with the batch (parameter copies for training)
     * @param batchSize                the batch size estimated
     * @param training                 whether for training
     */
    public record Estimate(long activationBytesPerSample, long perSampleBytes, long fixedBytes, int batchSize, boolean training) {
        /** {@code fixed + batch * perSample}. */
        public long totalBytes() {
            return fixedBytes + (long) batchSize * perSampleBytes;
        }

        /** The largest batch whose estimate is at most {@code available} bytes (0 if none; capped at 2^31-1). */
        public int largestBatch(long available) {
            long room = available - fixedBytes;
            if (room <= 0 || perSampleBytes <= 0) return room > 0 ? Integer.MAX_VALUE : 0;
            return (int) Math.min(Integer.MAX_VALUE, room / perSampleBytes);
        }
    }

    /** Estimates the memory of one batch of {@code batchSize} samples of {@code sampleShape} (C, H, W...). */
    public static Estimate estimate(Module model, int[] sampleShape, int batchSize, boolean training) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1. Received: " + batchSize);
        long activations = activationBytesPerSample(model, sampleShape);
        double factor = training ? TRAIN_FACTOR : EVAL_FACTOR;
        long perSample = (long) Math.ceil(activations * factor);
        long fixed = training ? (long) PARAM_COPIES * 4L * model.parameterCount() : 0;
        return new Estimate(activations, perSample, fixed, batchSize, training);
    }

    /** Bytes of the input and every leaf module's output for one sample. */
    public static long activationBytesPerSample(Module model, int[] sampleShape) {
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        long[] elements = {org.cnn4j.tensor.Shape.size(shape)};
        Module.ForwardHook count = (m, in, out) -> {
            if (out != null) elements[0] += out.numel();
        };
        List<Module> leaves = new ArrayList<>();
        for (Module m : model.namedModules().values()) if (m.children().isEmpty() && m != model) leaves.add(m);
        List<Module> all = new ArrayList<>(model.namedModules().values()); // parents before children
        boolean[] modes = new boolean[all.size()];
        for (int i = 0; i < modes.length; i++) modes[i] = all.get(i).isTraining();
        for (Module m : leaves) m.addForwardHook(count);
        model.eval();
        try (var noGrad = Autograd.noGrad(); var scope = BufferPool.scope()) {
            Tensor out = model.forward(Tensor.zeros(shape)); // forward, not call: the model's own hooks (progress, recorders) stay quiet
            if (leaves.isEmpty() && out != null) elements[0] += out.numel(); // a single layer
        } finally {
            for (Module m : leaves) m.removeForwardHook(count);
            for (int i = 0; i < modes.length; i++) all.get(i).train(modes[i]); // parent first, so mixed modes come back exactly
        }
        return 4L * elements[0];
    }

    /** What the heap can still give: {@code maxMemory - (totalMemory - freeMemory)}. */
    public static long availableHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Throws an {@link InsufficientMemoryException} when a batch of {@code batchSize} would not fit in the
     * heap. The optimizer is not used today (its state is estimated as two parameter copies) but names the
     * intent; it may be null.
     */
    public static Estimate check(Module model, int[] sampleShape, int batchSize, boolean training, Optimizer optimizer) {
        Estimate e = estimate(model, sampleShape, batchSize, training);
        long available = availableHeap();
        if (e.totalBytes() > available) {
            System.gc(); // what looked used may be garbage; look again before refusing
            available = availableHeap();
        }
        check(e, model, available, Runtime.getRuntime().maxMemory());
        return e;
    }

    /** Throws when {@code e} does not fit in {@code availableBytes} (tests inject a heap limit here). */
    public static void check(Estimate e, Module model, long availableBytes, long maxHeapBytes) {
        if (e.totalBytes() <= availableBytes) return;
        int largest = e.largestBatch(availableBytes);
        String what = e.training() ? "training" : "evaluating";
        String message = String.format(Locale.ROOT,
                "not enough memory: %s %s with batches of %d needs an estimated %s (%s per sample: %s of activations x %.1f%s), "
                        + "but the Java heap has only %s free of its maximum %s (Runtime.maxMemory, set by -Xmx). %s",
                what, model.describe(), e.batchSize(), bytes(e.totalBytes()), bytes(e.perSampleBytes()), bytes(e.activationBytesPerSample()),
                e.training() ? TRAIN_FACTOR : EVAL_FACTOR,
                e.fixedBytes() > 0 ? ", plus " + bytes(e.fixedBytes()) + " for gradients and optimizer state" : "",
                bytes(availableBytes), bytes(maxHeapBytes),
                largest > 0 ? "The largest batch that fits is " + largest + ": use a batch size of at most " + largest
                        + ", or raise the heap limit (-Xmx, CNN4J_JAVA_OPTS for bin/cnn4j)."
                        : "Not even one sample fits: raise the heap limit (-Xmx, CNN4J_JAVA_OPTS for bin/cnn4j).");
        throw new InsufficientMemoryException(message, e, availableBytes, maxHeapBytes, largest);
    }

    /** 1.5 GB, 230.4 MB, 12.0 KB: powers of 1024 with one decimal. */
    static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
