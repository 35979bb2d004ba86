package org.cnn4j.autograd;

import org.cnn4j.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation. The "tape" is the graph of {@link Node}s hanging off each
 * result tensor; {@link #backward(Tensor)} walks it in reverse topological order. Recording can be
 * switched off per thread with {@link #noGrad()} (evaluation, optimizer updates).
 */
public final class Autograd {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope without recording: {@code try (var g = Autograd.noGrad()) { ... }}. Nestable. */
    public static Scope noGrad() {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = false;
        return () -> flag[0] = previous;
    }

    /** Closing restores the previous recording state. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Back-propagates from {@code root}. A scalar root is seeded with 1; otherwise {@code seed} must be
     * given with the root's size. Gradients accumulate into leaves ({@code requiresGrad} tensors
     * without a node); intermediate gradients are released as soon as they are consumed.
     */
    public static void backward(Tensor root, float[] seed) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward() on a tensor that does not require grad (was it computed under noGrad, "
                    + "or from inputs that all have requiresGrad=false?)");
        if (seed == null) {
            if (root.numel() != 1)
                throw new IllegalArgumentException("backward() without a gradient needs a scalar, got shape "
                        + org.cnn4j.tensor.Shape.str(root.shape()));
            seed = new float[] {1f};
        } else if (seed.length != root.numel()) {
            throw new IllegalArgumentException("seed gradient has " + seed.length + " elements, tensor has " + root.numel());
        }
        List<Tensor> order = topologicalOrder(root);
        float[] rootGrad = root.gradBuffer();
        for (int i = 0; i < seed.length; i++) rootGrad[i] += seed[i];
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Node node = t.gradFn();
            float[] g = t.gradIfPresent();
            if (node == null || g == null) continue;
            node.runBackward(g);
            t.releaseGrad(); // non-leaf: PyTorch does not retain it either
        }
    }

    /** Tensors reachable from root through nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        // iterative DFS (deep graphs must not overflow the stack)
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return Collections.unmodifiableList(order);
    }
}
