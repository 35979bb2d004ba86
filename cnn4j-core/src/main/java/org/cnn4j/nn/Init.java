package org.cnn4j.nn;

import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Weight initialisers: Keras' by their Keras names and semantics ({@code tf.keras.initializers}) and
 * PyTorch's {@code torch.nn.init} functions by theirs. Look one up with {@link #byName(String)}, e.g.
 * {@code Init.byName("he_normal")}, {@code Init.byName("orthogonal(gain=2)")},
 * {@code Init.byName("kaiming_uniform(a=0, mode=fan_out, nonlinearity=relu)")}.
 *
 * <p><b>Fans</b> ({@link #fans(int...)}) follow PyTorch's {@code _calculate_fan_in_and_fan_out} for
 * cnn4j's PyTorch layouts: with receptive field {@code rf = prod(shape[2:])}, {@code fan_in = shape[1] * rf}
 * and {@code fan_out = shape[0] * rf}. So Linear [out, in] has (in, out); Conv1d/2d/3d
 * [out, in/groups, k...] have (in/groups * prod k, out * prod k); a ConvTranspose weight
 * [in, out/groups, k...] gets (out/groups * prod k, in * prod k), exactly as PyTorch computes it for
 * that tensor. These equal Keras' fans of the same layer (Keras stores kernels as [k..., in, out]).
 * For rank 1 (biases), both fans are {@code shape[0]} and for a scalar 1, as Keras (PyTorch refuses).
 *
 * <p><b>Randomness</b> comes from the generator passed in; {@link #fill(Tensor)} uses
 * {@link Rng#global()}, so {@code Rng.manualSeed} makes initialisation reproducible.
 *
 * <p>Keras' truncated normal ({@code truncated_normal}, and {@code glorot_normal}, {@code he_normal},
 * {@code lecun_normal} through {@code VarianceScaling}) redraws samples more than two standard
 * deviations from the mean, as {@code tf.random.truncated_normal}; the variance-scaling ones divide the
 * standard deviation by {@code .87962566103423978} (the std of a unit normal truncated at +-2) so that
 * the truncated samples have the intended variance. PyTorch's {@code kaiming_normal} and
 * {@code xavier_normal} are plain (untruncated) normals, as in PyTorch.
 */
@FunctionalInterface
public interface Init {
    /** Fills {@code t} in place, given its fans. */
    void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng);

    /** Fills {@code t} with fans computed from its shape ({@link #fans(int...)}). */
    default void fill(Tensor t, RandomGenerator rng) {
        Fans f = fans(t.shape());
        fill(t, f.fanIn(), f.fanOut(), rng);
    }

    /** Fills {@code t} from {@link Rng#global()}. */
    default void fill(Tensor t) {
        fill(t, Rng.global());
    }

    /** Fan-in and fan-out of a weight tensor. */
    record Fans(int fanIn, int fanOut) {}

    /** Fans of a weight of {@code shape} in cnn4j's (PyTorch's) layout; see the class comment. */
    static Fans fans(int... shape) {
        if (shape.length == 0) return new Fans(1, 1);
        if (shape.length == 1) return new Fans(shape[0], shape[0]);
        long rf = 1;
        for (int i = 2; i < shape.length; i++) rf *= shape[i];
        long in = shape[1] * rf, out = shape[0] * rf;
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE)
            throw new IllegalArgumentException("fans of shape " + Arrays.toString(shape) + " overflow an int");
        return new Fans((int) in, (int) out);
    }

    // ------------------------------------------------------------------ constants (no arguments)

    /** Keras {@code glorot_uniform}: U(-l, l), l = sqrt(6 / (fan_in + fan_out)). */
    Init GLOROT_UNIFORM = varianceScaling(1, "fan_avg", "uniform");
    /** Keras {@code glorot_normal}: truncated normal, std = sqrt(2 / (fan_in + fan_out)) / .87962566103423978. */
    Init GLOROT_NORMAL = varianceScaling(1, "fan_avg", "truncated_normal");
    /** Keras {@code he_uniform}: U(-l, l), l = sqrt(6 / fan_in). */
    Init HE_UNIFORM = varianceScaling(2, "fan_in", "uniform");
    /** Keras {@code he_normal}: truncated normal, std = sqrt(2 / fan_in) / .87962566103423978. */
    Init HE_NORMAL = varianceScaling(2, "fan_in", "truncated_normal");
    /** Keras {@code lecun_uniform}: U(-l, l), l = sqrt(3 / fan_in). */
    Init LECUN_UNIFORM = varianceScaling(1, "fan_in", "uniform");
    /** Keras {@code lecun_normal}: truncated normal, std = sqrt(1 / fan_in) / .87962566103423978. */
    Init LECUN_NORMAL = varianceScaling(1, "fan_in", "truncated_normal");
    /**
     * PyTorch's default for conv/linear weights and biases: {@code kaiming_uniform_(a=sqrt(5))}, which is
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     */
    Init PYTORCH_DEFAULT = (t, in, out, rng) -> symmetricFill(t, 1.0 / Math.sqrt(in), rng);
    Init ZEROS = constant(0);
    Init ONES = constant(1);

    // ------------------------------------------------------------------ Keras initialisers

    /** Keras {@code Constant(value)}. */
    static Init constant(double value) {
        return (t, in, out, rng) -> Arrays.fill(t.data(), (float) value);
    }

    /** Keras {@code RandomUniform(minval, maxval)} (Keras' defaults -0.05, 0.05): U(min, max). */
    static Init uniform(double min, double max) {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max))
            throw new IllegalArgumentException("uniform initializer: need finite minval <= maxval. Received: minval=" + min
                    + ", maxval=" + max);
        return (t, in, out, rng) -> uniformFill(t, min, max, rng);
    }

    /** Keras {@code RandomNormal(mean, stddev)} (Keras' defaults 0, 0.05). */
    static Init normal(double mean, double std) {
        checkStd("normal", std);
        return (t, in, out, rng) -> normalFill(t, mean, std, false, rng);
    }

    /**
     * Keras {@code TruncatedNormal(mean, stddev)} (defaults 0, 0.05): N(mean, std) with samples beyond
     * two standard deviations redrawn (so every value lies in [mean - 2 std, mean + 2 std]).
     */
    static Init truncatedNormal(double mean, double std) {
        checkStd("truncated_normal", std);
        return (t, in, out, rng) -> normalFill(t, mean, std, true, rng);
    }

    /**
     * Keras {@code VarianceScaling(scale, mode, distribution)}: {@code s = scale / max(1, n)} with n =
     * fan_in, fan_out or (fan_in + fan_out) / 2 by {@code mode}; {@code distribution}
     * {@code truncated_normal}: std sqrt(s) / .87962566103423978, truncated at 2 std;
     * {@code untruncated_normal}: std sqrt(s); {@code uniform}: U(-sqrt(3 s), sqrt(3 s)).
     */
    static Init varianceScaling(double scale, String mode, String distribution) {
        if (!(scale > 0)) throw new IllegalArgumentException("variance_scaling: scale must be positive. Received: scale=" + scale);
        String m = mode.toLowerCase(Locale.ROOT), d = distribution.toLowerCase(Locale.ROOT);
        if (!List.of("fan_in", "fan_out", "fan_avg").contains(m))
            throw new IllegalArgumentException("variance_scaling: mode must be fan_in, fan_out or fan_avg. Received: mode=" + mode);
        if (!List.of("truncated_normal", "untruncated_normal", "normal", "uniform").contains(d))
            throw new IllegalArgumentException("variance_scaling: distribution must be truncated_normal, untruncated_normal or uniform."
                    + " Received: distribution=" + distribution);
        return (t, in, out, rng) -> {
            double n = switch (m) {
                case "fan_in" -> in;
                case "fan_out" -> out;
                default -> (in + out) / 2.0;
            };
            double s = scale / Math.max(1.0, n);
            switch (d) {
                case "uniform" -> symmetricFill(t, Math.sqrt(3 * s), rng);
                case "untruncated_normal" -> normalFill(t, 0, Math.sqrt(s), false, rng);
                default -> normalFill(t, 0, Math.sqrt(s) / .87962566103423978, true, rng); // Keras' "normal" is truncated too
            }
        };
    }

    /**
     * Keras {@code Orthogonal(gain)} / PyTorch {@code orthogonal_(gain)}: the weight viewed as a matrix of
     * {@code rows = shape[0]} and {@code cols = numel / rows} (PyTorch's flattening) is the Q factor of
     * the QR decomposition of a standard Gaussian matrix (transposed when rows &lt; cols), with Q's columns
     * multiplied by the signs of R's diagonal so that the result is uniformly distributed; times
     * {@code gain}. Rows are orthonormal when rows &lt;= cols ({@code W W^T = gain^2 I}), otherwise columns.
     * The QR is modified Gram-Schmidt with re-orthogonalisation in double precision; its R has a
     * positive diagonal, so it yields exactly the sign-corrected Q.
     */
    static Init orthogonal(double gain) {
        return (t, in, out, rng) -> orthogonalFill(t, gain, rng);
    }

    // ------------------------------------------------------------------ PyTorch initialisers

    /**
     * PyTorch {@code calculate_gain}: 1 for linear, conv*, conv_transpose* and sigmoid; 5/3 for tanh;
     * sqrt(2) for relu; sqrt(2 / (1 + slope^2)) for leaky_relu (slope = {@code param}, NaN for
     * PyTorch's default 0.01); 3/4 for selu.
     */
    static double calculateGain(String nonlinearity, double param) {
        String n = nonlinearity.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("unsupported nonlinearity '" + nonlinearity + "'; valid: linear, conv1d, conv2d, "
                    + "conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu");
        };
    }

    /**
     * PyTorch {@code kaiming_uniform_(a, mode, nonlinearity)} (defaults 0, fan_in, leaky_relu):
     * U(-b, b) with {@code b = sqrt(3) * gain / sqrt(fan)}, gain = calculate_gain(nonlinearity, a).
     */
    static Init kaimingUniform(double a, String mode, String nonlinearity) {
        double gain = calculateGain(nonlinearity, a);
        boolean fanIn = fanMode(mode);
        return (t, in, out, rng) -> {
            symmetricFill(t, Math.sqrt(3.0) * gain / Math.sqrt(fanIn ? in : out), rng);
        };
    }

    /** PyTorch {@code kaiming_normal_(a, mode, nonlinearity)}: N(0, gain / sqrt(fan)), not truncated. */
    static Init kaimingNormal(double a, String mode, String nonlinearity) {
        double gain = calculateGain(nonlinearity, a);
        boolean fanIn = fanMode(mode);
        return (t, in, out, rng) -> normalFill(t, 0, gain / Math.sqrt(fanIn ? in : out), false, rng);
    }

    /** PyTorch {@code xavier_uniform_(gain)}: U(-b, b), {@code b = gain * sqrt(6 / (fan_in + fan_out))}. */
    static Init xavierUniform(double gain) {
        return (t, in, out, rng) -> {
            symmetricFill(t, gain * Math.sqrt(6.0 / (in + out)), rng);
        };
    }

    /** PyTorch {@code xavier_normal_(gain)}: N(0, gain * sqrt(2 / (fan_in + fan_out))), not truncated. */
    static Init xavierNormal(double gain) {
        return (t, in, out, rng) -> normalFill(t, 0, gain * Math.sqrt(2.0 / (in + out)), false, rng);
    }

    // ------------------------------------------------------------------ lookup by name

    /** The names {@link #byName(String)} accepts, with their arguments and defaults. */
    String NAMES = "zeros, ones, constant(value=0), uniform|random_uniform(minval=-0.05, maxval=0.05), "
            + "normal|random_normal(mean=0, stddev=0.05), truncated_normal(mean=0, stddev=0.05), glorot_uniform, glorot_normal, "
            + "he_uniform, he_normal, lecun_uniform, lecun_normal, orthogonal(gain=1), "
            + "variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal), "
            + "kaiming_uniform(a=0, mode=fan_in, nonlinearity=leaky_relu), kaiming_normal(a=0, mode=fan_in, nonlinearity=leaky_relu), "
            + "xavier_uniform(gain=1), xavier_normal(gain=1), default|pytorch (PyTorch's layer default)";

    /**
     * An initialiser by Keras or PyTorch name, optionally with arguments, positional or by name:
     * {@code "he_normal"}, {@code "constant(0.1)"}, {@code "uniform(minval=-0.1, maxval=0.1)"},
     * {@code "kaiming_normal(mode=fan_out, nonlinearity=relu)"}. Case and '-' vs '_' do not matter;
     * PyTorch's trailing underscore ({@code xavier_uniform_}) is accepted. Errors list {@link #NAMES}.
     */
    static Init byName(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("initializer name is empty; known: " + NAMES);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String name = s, argText = "";
        int open = s.indexOf('(');
        if (open >= 0) {
            if (!s.endsWith(")"))
                throw new IllegalArgumentException("initializer '" + spec + "': missing ')'; known: " + NAMES);
            name = s.substring(0, open).trim();
            argText = s.substring(open + 1, s.length() - 1).trim();
        }
        name = name.replace('-', '_');
        if (name.endsWith("_") && !name.isEmpty()) name = name.substring(0, name.length() - 1);
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        if (!argText.isEmpty()) {
            for (String a : argText.split(",")) {
                String arg = a.trim();
                int eq = arg.indexOf('=');
                if (eq >= 0) named.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
                else if (!named.isEmpty())
                    throw new IllegalArgumentException("initializer '" + spec + "': positional argument after a named one");
                else positional.add(arg);
            }
        }
        try {
            return switch (name) {
                case "zeros" -> { args(spec, positional, named); yield ZEROS; }
                case "ones" -> { args(spec, positional, named); yield ONES; }
                case "default", "pytorch" -> { args(spec, positional, named); yield PYTORCH_DEFAULT; }
                case "glorot_uniform" -> { args(spec, positional, named); yield GLOROT_UNIFORM; }
                case "glorot_normal" -> { args(spec, positional, named); yield GLOROT_NORMAL; }
                case "he_uniform" -> { args(spec, positional, named); yield HE_UNIFORM; }
                case "he_normal" -> { args(spec, positional, named); yield HE_NORMAL; }
                case "lecun_uniform" -> { args(spec, positional, named); yield LECUN_UNIFORM; }
                case "lecun_normal" -> { args(spec, positional, named); yield LECUN_NORMAL; }
                case "constant" -> {
                    String[] v = args(spec, positional, named, "value", "0");
                    yield constant(Double.parseDouble(v[0]));
                }
                case "uniform", "random_uniform" -> {
                    String[] v = args(spec, positional, named, "minval", "-0.05", "maxval", "0.05");
                    yield uniform(Double.parseDouble(v[0]), Double.parseDouble(v[1]));
                }
                case "normal", "random_normal" -> {
                    String[] v = args(spec, positional, named, "mean", "0", "stddev", "0.05");
                    yield normal(Double.parseDouble(v[0]), Double.parseDouble(v[1]));
                }
                case "truncated_normal" -> {
                    String[] v = args(spec, positional, named, "mean", "0", "stddev", "0.05");
                    yield truncatedNormal(Double.parseDouble(v[0]), Double.parseDouble(v[1]));
                }
                case "orthogonal" -> {
                    String[] v = args(spec, positional, named, "gain", "1");
                    yield orthogonal(Double.parseDouble(v[0]));
                }
                case "variance_scaling" -> {
                    String[] v = args(spec, positional, named, "scale", "1", "mode", "fan_in", "distribution", "truncated_normal");
                    yield varianceScaling(Double.parseDouble(v[0]), v[1], v[2]);
                }
                case "kaiming_uniform", "kaiming_normal" -> {
                    String[] v = args(spec, positional, named, "a", "0", "mode", "fan_in", "nonlinearity", "leaky_relu");
                    double a = Double.parseDouble(v[0]);
                    yield name.equals("kaiming_uniform") ? kaimingUniform(a, v[1], v[2]) : kaimingNormal(a, v[1], v[2]);
                }
                case "xavier_uniform", "xavier_normal" -> {
                    String[] v = args(spec, positional, named, "gain", "1");
                    double gain = Double.parseDouble(v[0]);
                    yield name.equals("xavier_uniform") ? xavierUniform(gain) : xavierNormal(gain);
                }
                default -> throw new IllegalArgumentException("unknown initializer '" + spec + "'; known: " + NAMES);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initializer '" + spec + "': " + e.getMessage() + " is not a number; known: " + NAMES, e);
        }
    }

    /** Same as {@link #byName(String)} (the earlier name of the lookup). */
    static Init named(String spec) {
        return byName(spec);
    }

    // ------------------------------------------------------------------ helpers

    /** Argument values in declaration order from {@code nameDefault = {name1, default1, name2, default2, ...}}. */
    private static String[] args(String spec, List<String> positional, Map<String, String> named, String... nameDefault) {
        int n = nameDefault.length / 2;
        if (positional.size() > n)
            throw new IllegalArgumentException("initializer '" + spec + "' takes " + n + " argument" + (n == 1 ? "" : "s")
                    + "; known: " + NAMES);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = i < positional.size() ? positional.get(i) : nameDefault[2 * i + 1];
        for (var e : named.entrySet()) {
            int k = -1;
            for (int i = 0; i < n; i++) if (nameDefault[2 * i].equals(e.getKey()) || alias(nameDefault[2 * i]).equals(e.getKey())) k = i;
            if (k < 0)
                throw new IllegalArgumentException("initializer '" + spec + "' has no argument '" + e.getKey() + "'; known: " + NAMES);
            out[k] = e.getValue();
        }
        return out;
    }

    private static String alias(String argName) {
        return switch (argName) {
            case "minval" -> "min";
            case "maxval" -> "max";
            case "stddev" -> "std";
            default -> argName;
        };
    }

    private static boolean fanMode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "fan_in" -> true;
            case "fan_out" -> false;
            default -> throw new IllegalArgumentException("mode must be fan_in or fan_out. Received: mode=" + mode);
        };
    }

    private static void checkStd(String name, double std) {
        if (!(std >= 0) || !Double.isFinite(std))
            throw new IllegalArgumentException(name + " initializer: stddev must be a finite number >= 0. Received: stddev=" + std);
    }

    private static void uniformFill(Tensor t, double min, double max, RandomGenerator rng) {
        float[] d = t.data();
        double width = max - min;
        for (int i = 0; i < d.length; i++) d[i] = (float) (min + width * rng.nextDouble());
    }

    /** U(-limit, limit) as {@code (2u - 1) * limit}. */
    private static void symmetricFill(Tensor t, double limit, RandomGenerator rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
    }

    private static void normalFill(Tensor t, double mean, double std, boolean truncated, RandomGenerator rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double z = rng.nextGaussian();
            while (truncated && Math.abs(z) > 2) z = rng.nextGaussian();
            d[i] = (float) (mean + std * z);
        }
    }

    private static void orthogonalFill(Tensor t, double gain, RandomGenerator rng) {
        float[] d = t.data();
        if (t.rank() < 2)
            throw new IllegalArgumentException("orthogonal initializer needs a tensor of rank >= 2. Received: shape "
                    + Arrays.toString(t.shape()));
        int rows = t.shape()[0], cols = d.length / rows;
        // Gaussian (rows x cols), viewed transposed when rows < cols so the matrix is tall (m >= n)
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        double[][] q = new double[n][m]; // column j of the tall matrix, contiguous
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                double z = rng.nextGaussian();
                if (transpose) q[r][c] = z; else q[c][r] = z;
            }
        for (int j = 0; j < n; j++) {
            double[] v = q[j];
            for (int pass = 0; pass < 2; pass++) // modified Gram-Schmidt, twice ("twice is enough")
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) dot += q[i][k] * v[k];
                    for (int k = 0; k < m; k++) v[k] -= dot * q[i][k];
                }
            double norm = 0;
            for (int k = 0; k < m; k++) norm += v[k] * v[k];
            norm = Math.sqrt(norm);
            if (norm == 0) throw new IllegalStateException("orthogonal initializer: degenerate Gaussian sample");
            for (int k = 0; k < m; k++) v[k] /= norm;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) d[r * cols + c] = (float) (gain * (transpose ? q[r][c] : q[c][r]));
    }
}
