package org.cnn4j.nn;

import org.cnn4j.kernels.OptimizerKernels;

import java.util.Locale;

/**
 * A weight penalty added to the training loss, Keras' {@code tf.keras.regularizers.L1L2}:
 * {@code l1 * sum|w| + l2 * sum w^2}. {@link #l1(double)}, {@link #l2(double)} and
 * {@link #l1L2(double, double)} are Keras' {@code l1}, {@code l2} and {@code l1_l2} (Keras' defaults
 * 0.01). Note Keras' l2 has no factor 1/2: its gradient is {@code 2 * l2 * w}, so {@code l2(a)} equals
 * SGD weight decay {@code 2a}.
 *
 * <p>Attach one to any parameter with {@link Parameter#regularizer(Regularizer)}, or to every kernel
 * and bias of a model with {@link #applyTo(Module, Regularizer, Regularizer)};
 * {@link Module#regularizationLoss()} sums the penalties as a differentiable scalar, which
 * {@link org.cnn4j.train.Trainer} adds to the loss it optimises and reports.
 */
public record Regularizer(double l1, double l2) {
    public Regularizer {
        if (!(l1 >= 0) || !Double.isFinite(l1) || !(l2 >= 0) || !Double.isFinite(l2))
            throw new IllegalArgumentException("Regularizer: factors must be finite numbers >= 0. Received: l1=" + l1 + ", l2=" + l2);
    }

    /** Keras {@code l1(a)}: {@code a * sum|w|}. */
    public static Regularizer l1(double a) {
        return new Regularizer(a, 0);
    }

    /** Keras {@code l2(a)}: {@code a * sum w^2}. */
    public static Regularizer l2(double a) {
        return new Regularizer(0, a);
    }

    /** Keras {@code l1_l2(l1, l2)}: {@code l1 * sum|w| + l2 * sum w^2}. */
    public static Regularizer l1L2(double l1, double l2) {
        return new Regularizer(l1, l2);
    }

    /**
     * By Keras name: {@code l1(0.01)}, {@code l2(1e-4)}, {@code l1_l2(0.01, 0.02)} (or
     * {@code l1_l2(l1=0.01, l2=0.02)}); without arguments Keras' defaults 0.01.
     */
    public static Regularizer byName(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        String name = s, args = "";
        int open = s.indexOf('(');
        if (open >= 0 && s.endsWith(")")) {
            name = s.substring(0, open).trim();
            args = s.substring(open + 1, s.length() - 1).trim();
        }
        name = name.replace('-', '_');
        String[] keys = switch (name) {
            case "l1" -> new String[] {"l1"};
            case "l2" -> new String[] {"l2"};
            case "l1_l2", "l1l2" -> new String[] {"l1", "l2"};
            default -> throw new IllegalArgumentException("unknown regularizer '" + spec + "'; known: l1(a), l2(a), l1_l2(l1, l2)");
        };
        double[] v = {0.01, 0.01};
        String[] parts = args.isEmpty() ? new String[0] : args.split(",");
        if (parts.length > keys.length)
            throw new IllegalArgumentException("regularizer '" + spec + "' takes at most " + keys.length + " argument(s)");
        try {
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                int k = i, eq = p.indexOf('=');
                if (eq >= 0) {
                    k = java.util.Arrays.asList(keys).indexOf(p.substring(0, eq).trim());
                    if (k < 0) throw new IllegalArgumentException("regularizer '" + spec + "' has no argument '" + p.substring(0, eq).trim()
                            + "'; its arguments: " + String.join(", ", keys));
                    p = p.substring(eq + 1).trim();
                }
                v[k] = Double.parseDouble(p);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("regularizer '" + spec + "': " + e.getMessage() + " is not a number", e);
        }
        return switch (name) {
            case "l1" -> l1(v[0]);
            case "l2" -> l2(v[0]);
            default -> l1L2(v[0], v[1]);
        };
    }

    /** The penalty of {@code w} (in double). */
    public double value(float[] w) {
        return OptimizerKernels.l1l2Penalty(w, (float) l1, (float) l2);
    }

    /** Adds {@code scale * (l1 sign(w) + 2 l2 w)}, the penalty's gradient, into {@code grad}. */
    public void addGradient(float[] w, float[] grad, float scale) {
        OptimizerKernels.addL1L2Gradient(w, grad, (float) l1, (float) l2, scale);
    }

    /**
     * Keras' {@code kernel_regularizer} / {@code bias_regularizer} for a whole model: {@code kernel} goes
     * on every parameter named {@code weight} of rank &gt;= 2 (Linear and conv kernels, not batch-norm
     * scales), {@code bias} on the {@code bias} of the same modules. Either may be null (left as is).
     * Returns the number of parameters given a regularizer.
     */
    public static int applyTo(Module model, Regularizer kernel, Regularizer bias) {
        int n = 0;
        for (Module m : model.namedModules().values()) {
            Parameter w = m.localParameters().get("weight");
            if (w == null || w.rank() < 2) continue;
            if (kernel != null) {
                w.regularizer(kernel);
                n++;
            }
            Parameter b = m.localParameters().get("bias");
            if (b != null && bias != null) {
                b.regularizer(bias);
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        if (l2 == 0) return "l1(" + l1 + ")";
        if (l1 == 0) return "l2(" + l2 + ")";
        return "l1_l2(" + l1 + ", " + l2 + ")";
    }
}
