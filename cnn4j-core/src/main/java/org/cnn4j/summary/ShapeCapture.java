package org.cnn4j.summary;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The forward pass the summaries ({@link Summary}, {@link KerasSummary}, {@link Explain}) learn the shapes
 * from: one call of the model on a small random batch, in evaluation mode, without gradients, with a
 * forward hook on the chosen modules; the model's mode and hooks are restored afterwards.
 */
final class ShapeCapture {
    private ShapeCapture() {}

    /** Fails unless {@code inputShape} (a sample's shape, without the batch) is non-empty and positive. */
    static void checkInputShape(int[] inputShape) {
        if (inputShape == null || inputShape.length == 0)
            throw new IllegalArgumentException("input shape must have at least one dimension, e.g. 1,28,28");
        for (int d : inputShape)
            if (d <= 0) throw new IllegalArgumentException("input shape dimensions must be positive. Received: "
                    + Arrays.toString(inputShape));
    }

    /** The modules a flat summary shows, with their paths: the leaves, and containers with parameters of their own. */
    static Map<Module, String> leavesAndParameterOwners(Module model) {
        Map<Module, String> hooked = new IdentityHashMap<>();
        for (var e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (m.children().isEmpty() || !m.localParameters().isEmpty()) hooked.put(m, e.getKey());
        }
        return hooked;
    }

    /**
     * Calls {@code model} once on a {@code [batch, inputShape...]} batch of uniform [0, 1) values from the
     * private stream {@code Rng.derived(0x5EED, stream)} (so summarising never disturbs the global seed
     * sequence), with {@code hook} on each of {@code hooked}.
     */
    static void run(Module model, Collection<Module> hooked, Module.ForwardHook hook, int batch, int stream, int[] inputShape) {
        int[] batchShape = new int[inputShape.length + 1];
        batchShape[0] = batch;
        System.arraycopy(inputShape, 0, batchShape, 1, inputShape.length);
        Tensor x = Tensor.uniform(Rng.derived(0x5EED, stream), 0f, 1f, batchShape);
        boolean wasTraining = model.isTraining();
        for (Module m : hooked) m.addForwardHook(hook);
        try (var ignored = Autograd.noGrad()) {
            model.eval();
            model.call(x);
        } finally {
            for (Module m : hooked) m.removeForwardHook(hook);
            model.train(wasTraining);
        }
    }
}
