package org.cnn4j.models;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The initialisation torchvision applies: kaiming-normal fan_out convolutions (ResNet, VGG), N(0, 0.01) linear (VGG), zero biases. */
class TorchvisionInitTest {
    private static double[] meanStd(Tensor t) {
        double s = 0, sq = 0;
        for (float v : t.data()) {
            s += v;
            sq += (double) v * v;
        }
        double mean = s / t.numel();
        return new double[] {mean, Math.sqrt(sq / t.numel() - mean * mean)};
    }

    @Test
    void resnetConvolutionsAreKaimingNormalFanOut() {
        Rng.manualSeed(3);
        Module r = Zoo.create("resnet18-cifar");
        double[] ms = meanStd(r.namedParameters().get("layer4.1.conv2.weight")); // 512*3*3 fan_out, 2.4 M draws
        assertEquals(0, ms[0], 1e-3);
        assertEquals(Math.sqrt(2.0 / (512 * 9)), ms[1], 1e-3 * Math.sqrt(2.0 / (512 * 9)) * 10);
        double[] stem = meanStd(r.namedParameters().get("conv1.weight"));
        assertEquals(Math.sqrt(2.0 / (64 * 49)), stem[1], 0.05 * Math.sqrt(2.0 / (64 * 49)));
        // batch norm 1 and 0
        assertEquals(1f, r.namedParameters().get("bn1.weight").data()[5]);
        assertEquals(0f, r.namedParameters().get("bn1.bias").data()[5]);
    }

    @Test
    void vggConvolutionsKaimingLinearsNormal001BiasesZero() {
        Rng.manualSeed(4);
        Module v = Zoo.create("vgg11");
        double[] conv = meanStd(v.namedParameters().get("features.18.weight")); // 512 -> 512, 3x3
        assertEquals(Math.sqrt(2.0 / (512 * 9)), conv[1], 0.01 * Math.sqrt(2.0 / (512 * 9)));
        double[] fc = meanStd(v.namedParameters().get("classifier.3.weight"));
        assertEquals(0.01, fc[1], 1e-4);
        for (String b : new String[] {"features.0.bias", "classifier.0.bias", "classifier.6.bias"})
            for (float x : v.namedParameters().get(b).data()) assertEquals(0f, x, b);
    }
}
