package org.cnn4j.summary;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.ConvLayer;
import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.PoolNd;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Explains shapes and parameter counts the way the seeds teach them, with the numbers substituted into
 * the formulas.
 *
 * <p>{@link #model} walks a model layer by layer (a forward pass of one random sample in evaluation mode
 * without gradients, observed by forward hooks on the layers) and gives one line per layer call, e.g.
 * <pre>
 * layer1.0  Conv2d(3->7, k5, s1, p0): H = (32 - 5 + 2*0)/1 + 1 = 28, W = 28, C = 7 filters; params 5*5*3*7 + 7 = 532
 * layer1.3  MaxPool2d(k2, s2): H = (28 - 2)/2 + 1 = 14, W = 14, C = 7 (unchanged); params 0
 * fc1       Linear(735->300): features 735 -> 300; params 735*300 + 300 = 220800
 * </pre>
 * with PyTorch's floor shown where the division is not exact ({@code floor((224 - 11 + 2*2)/4) + 1 = 55}),
 * a line for a reshape between layers ({@code (15, 7, 7) -> 15*7*7 = 735}) and a note where a layer reads
 * something other than the previous layer's output (a skip connection).
 *
 * <p>{@link #convolution} works one convolution through by hand, as seed 000 does: each window's
 * multiply-add, {@code (1x1) + (0x0) + (0x1) + ... = 3}, and the resulting feature map; an impossible
 * configuration ({@code (4 - 3 + 2*1)/2 + 1 = 2.5}) is reported with the formula and the nearest valid
 * strides, paddings and kernel sizes.
 */
public final class Explain {
    private Explain() {}

    /** One layer call of {@link #model}. */
    public record Step(String path, String type, int[] inputShape, int[] outputShape, long params, String text) {
        public Step {
            inputShape = inputShape.clone();
            outputShape = outputShape.clone();
        }

        @Override
        public int[] inputShape() {
            return inputShape.clone();
        }

        @Override
        public int[] outputShape() {
            return outputShape.clone();
        }
    }

    /** A model walk: the steps, with the lines between layers (reshapes, skip connections) in {@link #text}. */
    public record ModelExplanation(String title, int[] inputShape, List<Step> steps, long totalParams, String text) {}

    // ------------------------------------------------------------------ model walk

    /** Walks {@code model} on samples of {@code inputShape} (C, H, W, without the batch). */
    public static ModelExplanation model(Module model, String title, int... inputShape) {
        Objects.requireNonNull(model, "model");
        ShapeCapture.checkInputShape(inputShape);
        Map<Module, String> hooked = ShapeCapture.leavesAndParameterOwners(model);
        List<Step> steps = new ArrayList<>();
        Module.ForwardHook hook = (module, input, output) -> {
            int[] in = input.shape(), out = output.shape();
            long params = 0;
            for (Parameter p : module.localParameters().values()) params += p.numel();
            steps.add(new Step(hooked.get(module), module.getClass().getSimpleName(), Arrays.copyOfRange(in, 1, in.length),
                    Arrays.copyOfRange(out, 1, out.length), params, describe(module, in, out, params)));
        };
        ShapeCapture.run(model, hooked.keySet(), hook, 1, 1, inputShape);

        int width = "(reshape)".length();
        for (Step s : steps) width = Math.max(width, s.path().length());
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(": input ").append(tuple(inputShape)).append(inputShape.length == 3 ? " (C, H, W)" : "")
                .append(", O = (I - F + 2P)/S + 1 per axis\n");
        int[] previous = inputShape;
        for (Step s : steps) {
            int[] in = s.inputShape();
            if (!Arrays.equals(in, previous)) {
                if (numel(in) == numel(previous))
                    sb.append(pad("(reshape)", width)).append("  ").append(tuple(previous)).append(" -> ")
                            .append(in.length == 1 ? product(previous) + " features" : tuple(in)).append('\n');
                else
                    sb.append(pad("", width)).append("  (the next layer reads ").append(tuple(in))
                            .append(", not the previous output ").append(tuple(previous)).append(": a branch or skip connection)\n");
            }
            sb.append(pad(s.path(), width)).append("  ").append(s.text()).append('\n');
            previous = s.outputShape();
        }
        sb.append("output ").append(tuple(previous)).append("; total params ")
                .append(String.format(Locale.ROOT, "%,d", model.parameterCount())).append('\n');
        return new ModelExplanation(title, inputShape.clone(), List.copyOf(steps), model.parameterCount(), sb.toString());
    }

    /** The line for one layer call; {@code in} and {@code out} include the batch. */
    static String describe(Module m, int[] in, int[] out, long params) {
        String shapeIn = tuple(Arrays.copyOfRange(in, 1, in.length)), shapeOut = tuple(Arrays.copyOfRange(out, 1, out.length));
        if (m instanceof ConvLayer c && !c.isTransposed() && c.rank() == 2 && in.length == 4) {
            int[] k = c.kernelSize();
            ConvOptions o = c.options();
            int[] st = ConvOptions.perAxis("stride", o.stride(), 2), dil = ConvOptions.perAxis("dilation", o.dilation(), 2);
            int[][] pads = o.padding().resolve(new int[] {in[2], in[3]}, k, st, dil);
            int pt = pads[0][0], pl = pads[0][1], pb = pads[1][0], pr = pads[1][1];
            // A dilated kernel covers (k - 1) * d + 1 pixels; that span is what the size formula uses.
            int kh = (k[0] - 1) * dil[0] + 1, kw = (k[1] - 1) * dil[1] + 1;
            String pad = pt == pb && pl == pr ? (pt == pl ? "p" + pt : "p" + pt + "x" + pl) : "p" + pt + "+" + pb + "x" + pl + "+" + pr;
            String head = m.getClass().getSimpleName() + "(" + c.inChannels() + "->" + c.outChannels() + ", " + kernelText(k[0], k[1])
                    + ", " + (st[0] == st[1] ? "s" + st[0] : "s" + st[0] + "x" + st[1]) + ", " + pad
                    + (dil[0] != 1 || dil[1] != 1 ? ", dilation " + (dil[0] == dil[1] ? dil[0] : dil[0] + "x" + dil[1]) : "")
                    + (c.groups() != 1 ? ", groups " + c.groups() : "") + ")";
            String h = axis(in[2], kh, pt, pb, st[0], true);
            boolean sameW = in[3] == in[2] && kw == kh && pl == pt && pr == pb && st[1] == st[0];
            String w = sameW ? Integer.toString(out[3]) : axis(in[3], kw, pl, pr, st[1], true);
            String p = k[0] + "*" + k[1] + "*" + (c.groups() == 1 ? c.inChannels() : "(" + c.inChannels() + "/" + c.groups() + ")") + "*" + c.outChannels();
            String paramText = c.bias() != null ? p + " + " + c.outChannels() + " = " + params : p + " = " + params + " (no bias)";
            return head + ": H = " + h + ", W = " + w + ", C = " + c.outChannels() + " filters; params " + paramText;
        }
        if (m instanceof PoolNd pool && pool.spatialDims() == 2 && in.length == 4) {
            int[] k = pool.kernelSize(), st = pool.stride(), pd = pool.padding(), dil = pool.dilation();
            int kh = (k[0] - 1) * dil[0] + 1, kw = (k[1] - 1) * dil[1] + 1;  // the span a dilated window covers
            String head = pool.getClass().getSimpleName() + "(" + kernelText(k[0], k[1]) + ", "
                    + (st[0] == st[1] ? "s" + st[0] : "s" + st[0] + "x" + st[1])
                    + (pd[0] == 0 && pd[1] == 0 ? "" : ", p" + (pd[0] == pd[1] ? pd[0] : pd[0] + "x" + pd[1]))
                    + (dil[0] != 1 || dil[1] != 1 ? ", dilation " + dil[0] + "x" + dil[1] : "")
                    + (pool.ceilMode() ? ", ceil_mode" : "") + ")";
            // ceil_mode rounds up where floor would drop a partial window; the actual output shows which.
            String h = pool.ceilMode() ? "ceil((" + in[2] + " - " + kh + " + 2*" + pd[0] + ")/" + st[0] + ") + 1 = " + out[2]
                    : axis(in[2], kh, pd[0], pd[0], st[0], pd[0] != 0);
            boolean sameW = in[3] == in[2] && kw == kh && st[1] == st[0] && pd[1] == pd[0];
            String w = sameW ? Integer.toString(out[3]) : pool.ceilMode()
                    ? "ceil((" + in[3] + " - " + kw + " + 2*" + pd[1] + ")/" + st[1] + ") + 1 = " + out[3]
                    : axis(in[3], kw, pd[1], pd[1], st[1], pd[1] != 0);
            return head + ": H = " + h + ", W = " + w + ", C = " + in[1] + " (unchanged); params 0";
        }
        if (m instanceof AdaptiveAvgPool2d && in.length == 4)
            return "AdaptiveAvgPool2d(" + out[2] + "x" + out[3] + "): H x W = " + out[2] + "x" + out[3]
                    + " whatever the input (here " + in[2] + "x" + in[3] + "), C = " + in[1] + " (unchanged); params 0";
        if (m instanceof Linear l) {
            String paramText = l.inFeatures() + "*" + l.outFeatures() + (l.bias() != null ? " + " + l.outFeatures() : "") + " = " + params;
            return "Linear(" + l.inFeatures() + "->" + l.outFeatures() + "): features " + l.inFeatures() + " -> "
                    + l.outFeatures() + "; params " + paramText;
        }
        if (m instanceof BatchNorm && in.length >= 2)
            return m.getClass().getSimpleName() + "(" + in[1] + "): shape unchanged " + shapeOut + "; params 2*" + in[1] + " = "
                    + params + " (gamma and beta per channel)";
        if (m instanceof Flatten)
            return "Flatten: " + shapeIn + " -> " + product(Arrays.copyOfRange(in, 1, in.length)) + "; params 0";
        String name = m.getClass().getSimpleName();
        if (Arrays.equals(in, out)) return name + ": shape unchanged " + shapeOut + "; params " + params;
        return name + ": " + shapeIn + " -> " + shapeOut + "; params " + params;
    }

    private static String kernelText(int kh, int kw) {
        return kh == kw ? "k" + kh : "k" + kh + "x" + kw;
    }

    /**
     * {@code (32 - 5 + 2*0)/1 + 1 = 28}, or with PyTorch's floor where the division is not exact; asymmetric
     * padding as {@code (28 - 3 + 0 + 1)}; {@code showPad} false leaves out {@code + 2*0} (pooling as the seeds write it).
     */
    static String axis(int in, int k, int padBefore, int padAfter, int s, boolean showPad) {
        String padText = padBefore == padAfter ? (showPad || padBefore != 0 ? " + 2*" + padBefore : "")
                : " + " + padBefore + " + " + padAfter;
        String inner = "(" + in + " - " + k + padText + ")/" + s;
        int span = in - k + padBefore + padAfter;
        int o = Math.floorDiv(span, s) + 1;
        return (span % s == 0 ? inner : "floor(" + inner + ")") + " + 1 = " + o;
    }

    // ------------------------------------------------------------------ one convolution by hand

    /**
     * A convolution worked through: {@code text} holds the size arithmetic, each window's multiply-add
     * (when input values were given) and the feature map; {@code output} is null without values or when
     * the configuration is invalid.
     */
    public record ConvolutionExplanation(boolean valid, int outH, int outW, float[][] output, String text) {}

    /**
     * Explains a single-channel convolution of an {@code inH x inW} input with {@code kernel} (rows of
     * weights), stride and zero padding. {@code values}, when not null, are the input's rows; each output
     * value is then computed step by step as in seed 000.
     */
    public static ConvolutionExplanation convolution(int inH, int inW, float[][] kernel, int stride, int padding, float[][] values) {
        if (inH <= 0 || inW <= 0) throw new IllegalArgumentException("input size must be positive. Received: " + inH + "x" + inW);
        if (kernel == null || kernel.length == 0 || kernel[0].length == 0)
            throw new IllegalArgumentException("kernel must have at least one row and one column");
        int kh = kernel.length, kw = kernel[0].length;
        for (float[] row : kernel)
            if (row.length != kw) throw new IllegalArgumentException("kernel rows must have the same length. Received rows of "
                    + kernel[0].length + " and " + row.length);
        if (stride <= 0) throw new IllegalArgumentException("stride must be positive. Received: " + stride);
        if (padding < 0) throw new IllegalArgumentException("padding must be zero or positive. Received: " + padding);
        if (values != null) {
            if (values.length != inH) throw new IllegalArgumentException("values have " + values.length + " rows, the input is "
                    + inH + "x" + inW);
            for (float[] row : values)
                if (row.length != inW) throw new IllegalArgumentException("values have a row of " + row.length
                        + " numbers, the input is " + inH + "x" + inW);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("input ").append(inH).append('x').append(inW).append(", kernel ").append(kh).append('x').append(kw)
                .append(", stride ").append(stride).append(", padding ").append(padding).append('\n');
        String hCheck = strictAxis("H", inH, kh, padding, stride), wCheck = strictAxis("W", inW, kw, padding, stride);
        sb.append(hCheck).append('\n');
        if (!(inW == inH && kw == kh)) sb.append(wCheck).append('\n');
        boolean validH = validAxis(inH, kh, padding, stride), validW = validAxis(inW, kw, padding, stride);
        if (!validH || !validW) {
            sb.append("impossible configuration: the window does not land evenly on the input\n");
            if (!validH) suggestions(sb, "H", inH, kh, padding, stride);
            if (!validW && !(inW == inH && kw == kh)) suggestions(sb, "W", inW, kw, padding, stride);
            return new ConvolutionExplanation(false, -1, -1, null, sb.toString());
        }
        int oh = (inH - kh + 2 * padding) / stride + 1, ow = (inW - kw + 2 * padding) / stride + 1;
        sb.append("output ").append(oh).append('x').append(ow).append(": ").append(oh * ow).append(" windows\n");
        if (values == null) {
            sb.append("(give the input values to see each window's multiply-add)\n");
            return new ConvolutionExplanation(true, oh, ow, null, sb.toString());
        }
        float[][] out = new float[oh][ow];
        int step = 0;
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) {
                StringBuilder terms = new StringBuilder();
                double sum = 0;
                for (int r = 0; r < kh; r++)
                    for (int c = 0; c < kw; c++) {
                        int y = i * stride + r - padding, x = j * stride + c - padding;
                        float v = y >= 0 && y < inH && x >= 0 && x < inW ? values[y][x] : 0f;
                        float k = kernel[r][c];
                        sum += (double) v * k;
                        if (!terms.isEmpty()) terms.append(" + ");
                        terms.append('(').append(number(v)).append('x').append(number(k)).append(')');
                    }
                out[i][j] = (float) sum;
                int top = i * stride - padding, left = j * stride - padding;
                sb.append("step ").append(++step).append(", output [").append(i).append(", ").append(j)
                        .append("], window rows ").append(top).append("..").append(top + kh - 1).append(", cols ")
                        .append(left).append("..").append(left + kw - 1).append(": ").append(terms).append(" = ")
                        .append(number(out[i][j])).append('\n');
            }
        sb.append("feature map ").append(oh).append('x').append(ow).append(":\n").append(matrix(out));
        return new ConvolutionExplanation(true, oh, ow, out, sb.toString());
    }

    private static boolean validAxis(int in, int k, int p, int s) {
        int span = in - k + 2 * p;
        return span >= 0 && span % s == 0;
    }

    /** {@code H = (I - F + 2P)/S + 1 = (6 - 3 + 2*0)/1 + 1 = 4}, exact (a fraction where it does not divide). */
    static String strictAxis(String axis, int in, int k, int p, int s) {
        String formula = axis + " = (I - F + 2P)/S + 1 = (" + in + " - " + k + " + 2*" + p + ")/" + s + " + 1";
        int span = in - k + 2 * p;
        if (span < 0) return formula + " < 1: the kernel is larger than the padded input (" + (in + 2 * p) + ")";
        if (span % s == 0) return formula + " = " + (span / s + 1);
        return formula + " = " + number((float) ((double) span / s + 1)) + ", not an integer (PyTorch would floor it to "
                + (span / s + 1) + ", leaving the last " + (span % s) + " padded row(s)/column(s) unvisited)";
    }

    private static void suggestions(StringBuilder sb, String axis, int in, int k, int p, int s) {
        // strides: divisors of the span
        int span = in - k + 2 * p;
        List<String> strides = new ArrayList<>();
        if (span >= 0) {
            int below = -1, above = -1;
            for (int t = s - 1; t >= 1 && below < 0; t--) if (span == 0 || span % t == 0) below = t;
            for (int t = s + 1; t <= Math.max(span, 1) && above < 0; t++) if (span % t == 0) above = t;
            if (below > 0) strides.add(below + " (" + axis + " = " + (span / below + 1) + ")");
            if (above > 0) strides.add(above + " (" + axis + " = " + (span / above + 1) + ")");
        }
        sb.append("  nearest valid strides with padding ").append(p).append(": ")
                .append(strides.isEmpty() ? "none" : String.join(", ", strides)).append('\n');
        // paddings
        List<String> pads = new ArrayList<>();
        int below = -1, above = -1;
        for (int q = p - 1; q >= 0 && below < 0; q--) if (validAxis(in, k, q, s)) below = q;
        for (int q = p + 1; q <= p + k + s && above < 0; q++) if (validAxis(in, k, q, s)) above = q;
        if (below >= 0) pads.add(below + " (" + axis + " = " + ((in - k + 2 * below) / s + 1) + ")");
        if (above >= 0) pads.add(above + " (" + axis + " = " + ((in - k + 2 * above) / s + 1) + ")");
        sb.append("  nearest valid paddings with stride ").append(s).append(": ");
        if (pads.isEmpty()) sb.append("none (").append(in).append(" - ").append(k).append(" + 2P is ")
                .append((in - k) % 2 != 0 ? "odd" : "never a multiple of " + s).append(" for every P)\n");
        else sb.append(String.join(", ", pads)).append('\n');
        // kernel sizes
        List<String> kernels = new ArrayList<>();
        below = -1;
        above = -1;
        for (int f = k - 1; f >= 1 && below < 0; f--) if (validAxis(in, f, p, s)) below = f;
        for (int f = k + 1; f <= in + 2 * p && above < 0; f++) if (validAxis(in, f, p, s)) above = f;
        if (below > 0) kernels.add(below + " (" + axis + " = " + ((in - below + 2 * p) / s + 1) + ")");
        if (above > 0) kernels.add(above + " (" + axis + " = " + ((in - above + 2 * p) / s + 1) + ")");
        sb.append("  nearest valid kernel sizes with stride ").append(s).append(" and padding ").append(p).append(": ")
                .append(kernels.isEmpty() ? "none" : String.join(", ", kernels)).append('\n');
    }

    // ------------------------------------------------------------------ parsing and formatting

    /** Rows separated by ';' (or new lines), numbers by ',' or spaces: {@code "1,0,1;0,1,0;1,0,1"}. */
    public static float[][] parseMatrix(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("expected rows of numbers such as \"1,0,1;0,1,0;1,0,1\"");
        String[] rows = text.trim().split("\\s*[;\\n]\\s*");
        float[][] m = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            m[i] = parseNumbers(rows[i]);
            if (m[i].length != m[0].length)
                throw new IllegalArgumentException("rows must have the same length: row 1 has " + m[0].length + " numbers, row "
                        + (i + 1) + " has " + m[i].length + " ('" + text + "')");
        }
        return m;
    }

    /** Numbers separated by ',', ';' or spaces. */
    public static float[] parseNumbers(String text) {
        String[] parts = text.trim().split("\\s*[,;\\s]\\s*");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not a number (in '" + text + "')");
            }
            if (!Float.isFinite(v[i])) throw new IllegalArgumentException("'" + parts[i] + "' is not a finite number");
        }
        return v;
    }

    /** Row-major {@code values} as {@code h} rows of {@code w}. */
    public static float[][] reshape(float[] values, int h, int w) {
        if (values.length != h * w)
            throw new IllegalArgumentException(values.length + " values given for a " + h + "x" + w + " input (" + (h * w) + " needed)");
        float[][] m = new float[h][w];
        for (int i = 0; i < h; i++) System.arraycopy(values, i * w, m[i], 0, w);
        return m;
    }

    /** {@code 3} for 3.0, {@code 0.25}, {@code -1.5}. */
    static String number(float v) {
        if (v == 0f) return "0";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    static String matrix(float[][] m) {
        int width = 1;
        for (float[] row : m) for (float v : row) width = Math.max(width, number(v).length());
        StringBuilder sb = new StringBuilder();
        for (float[] row : m) {
            StringBuilder line = new StringBuilder();
            for (float v : row) {
                if (!line.isEmpty()) line.append(' ');
                String s = number(v);
                line.append(" ".repeat(width - s.length())).append(s);
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(')').toString();
    }

    private static String product(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? "*" : "").append(shape[i]);
        return shape.length == 1 ? sb.toString() : sb + " = " + numel(shape);
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
