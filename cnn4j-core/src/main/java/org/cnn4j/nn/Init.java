package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Weight initialisers, by Keras' names. Fan-in/fan-out of a conv kernel [O, C, kh, kw] are
 * C*kh*kw and O*kh*kw, as in PyTorch and Keras.
 */
@FunctionalInterface
public interface Init {
    /** Fills {@code t} in place. */
    void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng);

    /** glorot_uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)). */
    Init GLOROT_UNIFORM = (t, in, out, rng) -> uniform(t, Math.sqrt(6.0 / (in + out)), rng);
    /** glorot_normal: N(0, sqrt(2 / (fan_in + fan_out))). */
    Init GLOROT_NORMAL = (t, in, out, rng) -> normal(t, Math.sqrt(2.0 / (in + out)), rng);
    /** he_uniform: U(-l, l), l = sqrt(6 / fan_in). */
    Init HE_UNIFORM = (t, in, out, rng) -> uniform(t, Math.sqrt(6.0 / in), rng);
    /** he_normal: N(0, sqrt(2 / fan_in)). */
    Init HE_NORMAL = (t, in, out, rng) -> normal(t, Math.sqrt(2.0 / in), rng);
    /** PyTorch's default for conv/linear weights: kaiming_uniform(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    Init PYTORCH_DEFAULT = (t, in, out, rng) -> uniform(t, 1.0 / Math.sqrt(in), rng);
    Init ZEROS = (t, in, out, rng) -> java.util.Arrays.fill(t.data(), 0f);
    Init ONES = (t, in, out, rng) -> java.util.Arrays.fill(t.data(), 1f);

    /** Looks an initialiser up by its Keras name (glorot_uniform, he_normal, zeros...). */
    static Init named(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "glorot_uniform", "xavier_uniform" -> GLOROT_UNIFORM;
            case "glorot_normal", "xavier_normal" -> GLOROT_NORMAL;
            case "he_uniform", "kaiming_uniform" -> HE_UNIFORM;
            case "he_normal", "kaiming_normal" -> HE_NORMAL;
            case "default", "pytorch" -> PYTORCH_DEFAULT;
            case "zeros" -> ZEROS;
            case "ones" -> ONES;
            default -> throw new IllegalArgumentException("unknown initializer '" + name
                    + "'; known: glorot_uniform, glorot_normal, he_uniform, he_normal, default, zeros, ones");
        };
    }

    private static void uniform(Tensor t, double limit, RandomGenerator rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
    }

    private static void normal(Tensor t, double std, RandomGenerator rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * std);
    }
}
