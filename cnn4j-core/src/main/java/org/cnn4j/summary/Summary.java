package org.cnn4j.summary;

import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A layer-by-layer table of a model, laid out as torchsummary's {@code summary(model, input_size)} prints
 * it (seeds 002 and 003):
 * <pre>
 * ----------------------------------------------------------------
 *         Layer (type)               Output Shape         Param #
 * ================================================================
 *             Conv2d-1           [-1, 32, 28, 28]             320
 *        BatchNorm2d-2           [-1, 32, 28, 28]              64
 * ...
 * ================================================================
 * Total params: 1,475,338
 * Trainable params: 1,475,338
 * Non-trainable params: 0
 * ----------------------------------------------------------------
 * Input size (MB): 0.00
 * Forward/backward pass size (MB): 0.86
 * Params size (MB): 5.63
 * Estimated Total Size (MB): 6.49
 * ----------------------------------------------------------------
 * </pre>
 *
 * <p>How it is computed: a dummy forward pass with a batch of 2 random samples (2 so that batch norm has
 * statistics, as torchsummary does), in evaluation mode and without recording gradients, with a forward
 * hook on every leaf module (one without children) and on every other module that owns parameters
 * itself. Each hook call is one row, numbered in call order across the whole model ({@code Conv2d-1},
 * {@code BatchNorm2d-2}, ...); a module called twice gives two rows. The batch dimension is shown as -1.
 * Functional operations that are not modules (a {@code view}, {@code Tensor.relu()}) get no row. The
 * model's previous train/eval mode is restored afterwards.
 *
 * <p>The sizes in MB follow torchsummary's formulas exactly (4 bytes per number, MB = 1024^2 bytes):
 * input = |prod(input shape) * batch_size * 4| / 1024^2 with batch_size = -1; forward/backward pass =
 * |2 * sum over rows of prod(output shape with -1 as batch) * 4| / 1024^2 (the 2 for gradients);
 * params = total params * 4 / 1024^2; estimated total = the sum of the three. They are printed with
 * {@code %0.2f} rounded as Python does (the exact binary value, ties to even).
 *
 * <p>One deliberate difference: torchsummary sums its rows' weight and bias counts for the totals, which
 * misses parameters of modules that never run and counts shared modules twice; here the totals are the
 * model's own {@link Module#parameterCount()}, and a parameter is trainable when it requires a gradient
 * (a frozen parameter counts as non-trainable, also within a partly frozen layer). For ordinary models
 * both give the same numbers.
 */
public final class Summary {
    /** Batch size torchsummary passes by default and shows in the shapes. */
    public static final int BATCH_SIZE = -1;
    private static final int DUMMY_BATCH = 2;
    private static final String RULE = "-".repeat(64);
    private static final String DOUBLE_RULE = "=".repeat(64);

    /**
     * One row: a module call.
     *
     * @param name        {@code Type-index}, e.g. {@code Conv2d-1}
     * @param path        the module's dotted path in the model, e.g. {@code layer1.0} (empty for the root)
     * @param type        the module's class name
     * @param outputShape output shape with the batch dimension replaced by -1
     * @param params      the module's own parameter count
     * @param trainable   how many of those require a gradient
     */
    public record Row(String name, String path, String type, int[] outputShape, long params, long trainable) {
        public Row {
            outputShape = outputShape.clone();
        }

        @Override
        public int[] outputShape() {
            return outputShape.clone();
        }

        /** The shape as torchsummary prints it, e.g. {@code [-1, 32, 28, 28]}. */
        public String shapeString() {
            return Arrays.toString(outputShape);
        }
    }

    private final List<Row> rows;
    private final int[] inputShape;
    private final long totalParams, trainableParams;

    private Summary(List<Row> rows, int[] inputShape, long totalParams, long trainableParams) {
        this.rows = List.copyOf(rows);
        this.inputShape = inputShape.clone();
        this.totalParams = totalParams;
        this.trainableParams = trainableParams;
    }

    /**
     * Summarises {@code model} for samples of {@code inputShape} (without the batch dimension, e.g.
     * {@code 1, 28, 28} for C, H, W).
     *
     * @throws IllegalArgumentException if the shape is empty or not positive, or the model rejects it (the
     *                                  message names the layer and both shapes)
     */
    public static Summary of(Module model, int... inputShape) {
        Objects.requireNonNull(model, "model");
        ShapeCapture.checkInputShape(inputShape);

        // Which modules get a row, and their paths.
        Map<Module, String> hooked = ShapeCapture.leavesAndParameterOwners(model);

        List<Row> rows = new ArrayList<>();
        Module.ForwardHook hook = (module, input, output) -> {
            int[] shape = output.shape();
            if (shape.length > 0) shape[0] = BATCH_SIZE;
            long params = 0, trainable = 0;
            for (Parameter p : module.localParameters().values()) {
                params += p.numel();
                if (p.isTrainable()) trainable += p.numel();
            }
            String type = module.getClass().getSimpleName();
            rows.add(new Row(type + "-" + (rows.size() + 1), hooked.get(module), type, shape, params, trainable));
        };

        ShapeCapture.run(model, hooked.keySet(), hook, DUMMY_BATCH, 0, inputShape);
        return new Summary(rows, inputShape, model.parameterCount(), model.trainableParameterCount());
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Sample shape without the batch dimension. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    public long totalParams() {
        return totalParams;
    }

    public long trainableParams() {
        return trainableParams;
    }

    public long nonTrainableParams() {
        return totalParams - trainableParams;
    }

    /** torchsummary's {@code abs(prod(input_size) * batch_size * 4 / 1024**2)} with batch_size = -1. */
    public double inputSizeMB() {
        double prod = 1;
        for (int d : inputShape) prod *= d;
        return Math.abs(prod * BATCH_SIZE * 4.0 / (1024.0 * 1024.0));
    }

    /** torchsummary's {@code abs(2 * sum(prod(output_shape)) * 4 / 1024**2)}: outputs and their gradients. */
    public double forwardBackwardSizeMB() {
        double total = 0;
        for (Row r : rows) {
            double prod = 1;
            for (int d : r.outputShape) prod *= d;
            total += prod;
        }
        return Math.abs(2.0 * total * 4.0 / (1024.0 * 1024.0));
    }

    /** {@code total_params * 4 / 1024**2}. */
    public double paramsSizeMB() {
        return Math.abs(totalParams * 4.0 / (1024.0 * 1024.0));
    }

    /** Input + forward/backward pass + params, in MB. */
    public double estimatedTotalSizeMB() {
        return paramsSizeMB() + forwardBackwardSizeMB() + inputSizeMB();
    }

    /** The table, each line ending in a newline, as torchsummary prints it. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(RULE).append('\n');
        sb.append(line("Layer (type)", "Output Shape", "Param #")).append('\n');
        sb.append(DOUBLE_RULE).append('\n');
        for (Row r : rows) sb.append(line(r.name(), r.shapeString(), thousands(r.params()))).append('\n');
        sb.append(DOUBLE_RULE).append('\n');
        sb.append("Total params: ").append(thousands(totalParams)).append('\n');
        sb.append("Trainable params: ").append(thousands(trainableParams)).append('\n');
        sb.append("Non-trainable params: ").append(thousands(nonTrainableParams())).append('\n');
        sb.append(RULE).append('\n');
        sb.append("Input size (MB): ").append(twoDecimals(inputSizeMB())).append('\n');
        sb.append("Forward/backward pass size (MB): ").append(twoDecimals(forwardBackwardSizeMB())).append('\n');
        sb.append("Params size (MB): ").append(twoDecimals(paramsSizeMB())).append('\n');
        sb.append("Estimated Total Size (MB): ").append(twoDecimals(estimatedTotalSizeMB())).append('\n');
        sb.append(RULE).append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return table();
    }

    /** Python's {@code "{:>20}  {:>25} {:>15}".format(...)}. */
    private static String line(String layer, String shape, String params) {
        return String.format(Locale.ROOT, "%20s  %25s %15s", layer, shape, params);
    }

    /** Python's {@code "{0:,}".format(n)}. */
    static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Python's {@code "%0.2f" % x}: the exact binary value rounded half-even (Java's {@code %.2f} rounds the
     * shortest decimal representation half-up, which differs for values such as 1.005 or 0.125).
     */
    static String twoDecimals(double x) {
        if (!Double.isFinite(x)) return Double.toString(x);
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
