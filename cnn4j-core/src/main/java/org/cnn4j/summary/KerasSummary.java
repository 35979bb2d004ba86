package org.cnn4j.summary;

import org.cnn4j.graph.Model;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A model table laid out as Keras' {@code model.summary()}: one row per layer call with its name and type,
 * output shape with {@code None} for the batch, and parameter count, then the total, trainable and
 * non-trainable parameters.
 * <pre>
 * Model: "keras-cnn"
 * _________________________________________________________________
 * Layer (type)                 Output Shape              Param #
 * =================================================================
 * input (InputLayer)           [(None, 1, 28, 28)]       0
 * _________________________________________________________________
 * conv2d (Conv2d)              (None, 32, 28, 28)        320
 * ...
 * =================================================================
 * Total params: 1,101,526
 * Trainable params: 1,101,526
 * Non-trainable params: 0
 * _________________________________________________________________
 * </pre>
 * Nested modules are expanded (Keras' {@code expand_nested=True}): a container's row (a ResNet stage, a
 * block, a Sequential) shows its output and the parameters of everything inside it, and its children
 * follow, indented two spaces per level; {@code maxDepth} hides the levels below it. Rows are in call
 * order, a container before its children; separators fall between top-level rows. A functional graph
 * ({@link Model}) starts with its input as Keras does. The totals are the model's own, and a frozen
 * parameter (one that does not require a gradient) counts as non-trainable. cnn4j's NCHW shapes and
 * class names appear as they are ({@code Conv2d}, {@code Linear}), not renamed to Keras'.
 *
 * <p>Computed as {@link Summary} is: a forward pass of a batch of 2 random samples in evaluation mode
 * without gradients, with forward hooks; the model's mode is restored afterwards.
 */
public final class KerasSummary {
    /** Unlimited nesting. */
    public static final int ALL_LEVELS = Integer.MAX_VALUE;
    private static final int LINE = 65;
    private static final int[] POSITIONS = {29, 55, 65};

    /**
     * One row.
     *
     * @param name        the module's name in its parent ({@code conv1}, {@code 0}); for a graph input, its name
     * @param path        dotted path in the model
     * @param type        class name ({@code InputLayer} for a graph input)
     * @param depth       1 for the model's direct children, 2 for theirs, ...
     * @param outputShape with -1 as the batch
     * @param params      parameters of the module and everything inside it
     * @param trainable   how many of those require a gradient
     */
    public record Row(String name, String path, String type, int depth, int[] outputShape, long params, long trainable) {
        public Row {
            outputShape = outputShape.clone();
        }

        @Override
        public int[] outputShape() {
            return outputShape.clone();
        }

        /** Keras' {@code (None, 32, 28, 28)}. */
        public String shapeString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < outputShape.length; i++) {
                if (i > 0) sb.append(", ");
                sb.append(i == 0 ? "None" : Integer.toString(outputShape[i]));
            }
            return sb.append(outputShape.length == 1 ? ",)" : ")").toString();
        }
    }

    /** One module call, with the calls made inside it. */
    private record Call(Module module, String path, int[] shape, List<Call> children) {}

    private final String title;
    private final List<Row> rows;
    private final long total, trainable;

    private KerasSummary(String title, List<Row> rows, long total, long trainable) {
        this.title = title;
        this.rows = List.copyOf(rows);
        this.total = total;
        this.trainable = trainable;
    }

    /** All levels, titled with the model's class name. */
    public static KerasSummary of(Module model, int... inputShape) {
        return of(model, model.getClass().getSimpleName(), ALL_LEVELS, inputShape);
    }

    /**
     * @param title    the name in {@code Model: "..."}
     * @param maxDepth the deepest level shown (1: the model's direct children only)
     */
    public static KerasSummary of(Module model, String title, int maxDepth, int... inputShape) {
        Objects.requireNonNull(model, "model");
        if (maxDepth < 1) throw new IllegalArgumentException("depth must be at least 1. Received: " + maxDepth);
        ShapeCapture.checkInputShape(inputShape);

        Map<Module, String> paths = new IdentityHashMap<>();
        for (var e : model.namedModules().entrySet()) if (!e.getKey().isEmpty()) paths.put(e.getValue(), e.getKey());

        // Hooks fire when a call ends, so a container's call comes after its children's: collect the calls
        // in that (post-)order and rebuild the nesting with a stack.
        Deque<Call> done = new ArrayDeque<>();
        Module.ForwardHook hook = (module, input, output) -> {
            String path = paths.get(module);
            List<Call> children = new ArrayList<>();
            while (!done.isEmpty() && done.peek().path().startsWith(path + ".")) children.add(done.pop());
            Collections.reverse(children);
            int[] shape = output.shape();
            if (shape.length > 0) shape[0] = -1;
            done.push(new Call(module, path, shape, children));
        };

        ShapeCapture.run(model, paths.keySet(), hook, 2, 0, inputShape);

        List<Row> rows = new ArrayList<>();
        if (model instanceof Model graph && graph.inputs().size() == 1) {
            int[] s = new int[inputShape.length + 1];
            s[0] = -1;
            System.arraycopy(inputShape, 0, s, 1, inputShape.length);
            String name = graph.inputs().get(0).inputName();
            rows.add(new Row(name, name, "InputLayer", 1, s, 0, 0));
        }
        List<Call> top = new ArrayList<>(done);
        Collections.reverse(top);
        for (Call c : top) addRows(c, 1, maxDepth, rows);
        return new KerasSummary(title, rows, model.parameterCount(), model.trainableParameterCount());
    }

    private static void addRows(Call c, int depth, int maxDepth, List<Row> rows) {
        if (depth > maxDepth) return;
        long params = 0, trainable = 0;
        for (Parameter p : c.module().parameters()) {
            params += p.numel();
            if (p.isTrainable()) trainable += p.numel();
        }
        String name = c.path().substring(c.path().lastIndexOf('.') + 1);
        rows.add(new Row(name, c.path(), c.module().getClass().getSimpleName(), depth, c.shape(), params, trainable));
        for (Call child : c.children()) addRows(child, depth + 1, maxDepth, rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public long totalParams() {
        return total;
    }

    public long trainableParams() {
        return trainable;
    }

    public long nonTrainableParams() {
        return total - trainable;
    }

    /** The table, each line ending in a newline. */
    public String table() {
        int nameWidth = POSITIONS[0], shapeWidth = POSITIONS[1] - POSITIONS[0];
        for (Row r : rows) {
            nameWidth = Math.max(nameWidth, label(r).length() + 1);
            shapeWidth = Math.max(shapeWidth, shape(r).length() + 1);
        }
        int line = Math.max(LINE, nameWidth + shapeWidth + (POSITIONS[2] - POSITIONS[1]));
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(title).append("\"\n");
        sb.append("_".repeat(line)).append('\n');
        sb.append(row(nameWidth, shapeWidth, "Layer (type)", "Output Shape", "Param #")).append('\n');
        sb.append("=".repeat(line)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (i > 0 && r.depth() == 1) sb.append("_".repeat(line)).append('\n');
            sb.append(row(nameWidth, shapeWidth, label(r), shape(r), Long.toString(r.params()))).append('\n');
        }
        sb.append("=".repeat(line)).append('\n');
        sb.append("Total params: ").append(String.format(Locale.ROOT, "%,d", total)).append('\n');
        sb.append("Trainable params: ").append(String.format(Locale.ROOT, "%,d", trainable)).append('\n');
        sb.append("Non-trainable params: ").append(String.format(Locale.ROOT, "%,d", total - trainable)).append('\n');
        sb.append("_".repeat(line)).append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return table();
    }

    private static String label(Row r) {
        return "  ".repeat(r.depth() - 1) + r.name() + " (" + r.type() + ")";
    }

    private static String shape(Row r) {
        return r.type().equals("InputLayer") ? "[" + r.shapeString() + "]" : r.shapeString();
    }

    private static String row(int nameWidth, int shapeWidth, String name, String shape, String params) {
        String s = pad(name, nameWidth) + pad(shape, shapeWidth) + params;
        return s.stripTrailing();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
