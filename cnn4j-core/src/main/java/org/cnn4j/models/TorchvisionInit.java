package org.cnn4j.models;

import org.cnn4j.nn.Init;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/** The weight initialisations torchvision's model constructors apply after building (VGG, ResNet). */
final class TorchvisionInit {
    private TorchvisionInit() {}

    /** {@code kaiming_normal_(w, mode="fan_out", nonlinearity="relu")}: N(0, sqrt(2 / fan_out)). */
    static final Init KAIMING_NORMAL_FAN_OUT = (t, fanIn, fanOut, rng) -> normal(t, Math.sqrt(2.0 / fanOut), rng);

    /** {@code normal_(w, 0, 0.01)}, VGG's linear layers. */
    static final Init NORMAL_001 = (t, fanIn, fanOut, rng) -> normal(t, 0.01, rng);

    /** Re-draws every Conv2d weight under {@code root} with {@link #KAIMING_NORMAL_FAN_OUT}, in module order, as torchvision's loop over {@code self.modules()}. */
    static void reinitConvolutions(org.cnn4j.nn.Module root) {
        for (org.cnn4j.nn.Module m : root.namedModules().values())
            if (m instanceof org.cnn4j.nn.Conv2d c) {
                int[] s = c.weight().shape(); // [out, in, kh, kw]
                KAIMING_NORMAL_FAN_OUT.fill(c.weight(), s[1] * s[2] * s[3], s[0] * s[2] * s[3], org.cnn4j.tensor.Rng.global());
            }
    }

    /**
     * {@code trunc_normal_(t, mean=0, std, a, b)}: N(0, std^2) restricted to [a, b] (absolute bounds, as
     * PyTorch's), drawn by rejection (so the interval must hold the mean); GoogLeNet's initialisation (std 0.01, a = -2, b = 2).
     */
    static void truncatedNormal(Tensor t, double std, double a, double b, java.util.random.RandomGenerator rng) {
        if (!(a < 0 && b > 0) || !(std > 0)) throw new IllegalArgumentException("trunc_normal: need std > 0 and a < 0 < b. Received: std="
                + std + ", a=" + a + ", b=" + b);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double v;
            do v = rng.nextGaussian() * std; while (v < a || v > b);
            d[i] = (float) v;
        }
    }

    /** {@code constant_(bias, 0)}. */
    static void zero(Tensor bias) {
        if (bias != null) Arrays.fill(bias.data(), 0f);
    }

    private static void normal(Tensor t, double std, java.util.random.RandomGenerator rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * std);
    }
}
