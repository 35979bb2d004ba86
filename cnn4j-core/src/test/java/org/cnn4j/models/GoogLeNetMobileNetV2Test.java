package org.cnn4j.models;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo's googlenet and mobilenet-v2 beyond the keys/counts/224 checks of {@link ZooModelsTest}: the
 * feature-map sizes (ceil-mode pooling), the spec (classes, channels, sizes, the smallest input), torchvision's
 * initialisation, forward and backward at 64x64 and a few training steps that lower the loss.
 */
class GoogLeNetMobileNetV2Test {
    private static final CrossEntropyLoss LOSS = new CrossEntropyLoss();

    /** Output shape of each named module on one call. */
    private static Map<String, int[]> shapes(Module m, String[] names, int size) {
        Map<String, int[]> out = new LinkedHashMap<>();
        Map<String, Module> all = m.namedModules();
        for (String n : names) all.get(n).addForwardHook((mod, in, o) -> out.put(n, o.shape()));
        m.eval();
        try (var ignored = Autograd.noGrad()) {
            m.call(Tensor.zeros(1, 3, size, size));
        }
        return out;
    }

    @Test
    void googLeNetMapsAt224AreTorchvisions112_56_28_14_7() {
        Rng.manualSeed(1);
        GoogLeNet g = new GoogLeNet(new ModelSpec(3, 224, 224, 1000));
        Map<String, int[]> s = shapes(g, new String[] {"conv1", "maxpool1", "maxpool2", "inception3b", "maxpool3",
                "inception4e", "maxpool4", "inception5b", "fc"}, 224);
        assertArrayEquals(new int[] {1, 64, 112, 112}, s.get("conv1"));
        assertArrayEquals(new int[] {1, 64, 56, 56}, s.get("maxpool1"));   // floor mode would give 55
        assertArrayEquals(new int[] {1, 192, 28, 28}, s.get("maxpool2"));
        assertArrayEquals(new int[] {1, 480, 28, 28}, s.get("inception3b"));
        assertArrayEquals(new int[] {1, 480, 14, 14}, s.get("maxpool3"));
        assertArrayEquals(new int[] {1, 832, 14, 14}, s.get("inception4e"));
        assertArrayEquals(new int[] {1, 832, 7, 7}, s.get("maxpool4"));
        assertArrayEquals(new int[] {1, 1024, 7, 7}, s.get("inception5b"));
        assertArrayEquals(new int[] {1, 1000}, s.get("fc"));
        // the "5x5" branch is a 3x3 convolution, as torchvision's
        assertArrayEquals(new int[] {32, 16, 3, 3}, g.namedParameters().get("inception3a.branch3.1.conv.weight").shape());
        assertEquals(0.001f, ((BatchNorm2d) g.namedModules().get("conv1.bn")).eps());
    }

    @Test
    void mobileNetV2MapsAt224AndResidualBlocks() {
        Rng.manualSeed(2);
        MobileNetV2 m = new MobileNetV2(new ModelSpec(3, 224, 224, 1000));
        Map<String, int[]> s = shapes(m, new String[] {"features.0", "features.1", "features.3", "features.6",
                "features.13", "features.17", "features.18", "classifier"}, 224);
        assertArrayEquals(new int[] {1, 32, 112, 112}, s.get("features.0"));
        assertArrayEquals(new int[] {1, 16, 112, 112}, s.get("features.1"));
        assertArrayEquals(new int[] {1, 24, 56, 56}, s.get("features.3"));
        assertArrayEquals(new int[] {1, 32, 28, 28}, s.get("features.6"));
        assertArrayEquals(new int[] {1, 96, 14, 14}, s.get("features.13"));
        assertArrayEquals(new int[] {1, 320, 7, 7}, s.get("features.17"));
        assertArrayEquals(new int[] {1, 1280, 7, 7}, s.get("features.18"));
        assertArrayEquals(new int[] {1, 1000}, s.get("classifier"));
        // residual adds exactly in the repeated blocks of each stage: 3, 5, 6, 8, 9, 10, 12, 13, 15, 16
        List<Integer> residual = new ArrayList<>();
        for (int i = 1; i <= 17; i++)
            if (((MobileNetV2.InvertedResidual) m.namedModules().get("features." + i)).hasResidual()) residual.add(i);
        assertEquals(List.of(3, 5, 6, 8, 9, 10, 12, 13, 15, 16), residual);
        // depthwise: groups = channels, weight [C, 1, 3, 3]
        Conv2d dw = (Conv2d) m.namedModules().get("features.2.conv.1.0");
        assertEquals(96, dw.groups());
        assertArrayEquals(new int[] {96, 1, 3, 3}, dw.weight().shape());
    }

    @Test
    void specClassesChannelsAndSmallestInput() {
        // 10 classes: fc 1024 -> 10 / 1280 -> 10; one input channel: the first conv loses 2/3 of its weights
        assertEquals(6_624_904 - 1_025_000 + 10_250, Zoo.create("googlenet", 10).parameterCount());
        assertEquals(3_504_872 - 1_281_000 + 12_810, Zoo.create("mobilenet-v2", 10).parameterCount());
        assertEquals(6_624_904 - 2 * 64 * 49, Zoo.create("googlenet", new ModelSpec(1, 224, 224, 1000)).parameterCount());
        assertEquals(3_504_872 - 2 * 32 * 9, Zoo.create("mobilenet-v2", new ModelSpec(1, 224, 224, 1000)).parameterCount());
        assertEquals("mobilenet-v2", Zoo.entry("MOBILENET_V2").name());
        assertEquals(15, Zoo.entry("googlenet").minSize());
        assertEquals(1, Zoo.entry("mobilenet-v2").minSize());
        // googlenet: 14 leaves maxpool3 a 1x1 input (14 -> 7 -> 3 -> 1), as in PyTorch; 15x30 is fine, 30x14 is not
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GoogLeNet(new ModelSpec(3, 30, 14, 10)));
        assertTrue(e.getMessage().contains("at maxpool3") && e.getMessage().contains("W size is 1"), e.getMessage());
        Module small = new GoogLeNet(new ModelSpec(3, 15, 30, 10));
        small.eval();
        try (var ignored = Autograd.noGrad()) {
            assertArrayEquals(new int[] {1, 10}, small.call(Tensor.zeros(1, 3, 15, 30)).shape());
            Module mb = Zoo.create("mobilenet-v2", new ModelSpec(3, 1, 1, 5));
            mb.eval();
            assertArrayEquals(new int[] {2, 5}, mb.call(Tensor.zeros(2, 3, 1, 1)).shape());
        }
        assertThrows(IllegalArgumentException.class, () -> new MobileNetV2.InvertedResidual(4, 4, 3, 6));
        assertThrows(IllegalArgumentException.class, () -> new GoogLeNet.Inception(8, 0, 1, 1, 1, 1, 1));
    }

    private static double[] meanStd(float[] d) {
        double s = 0, sq = 0;
        for (float v : d) {
            s += v;
            sq += (double) v * v;
        }
        double mean = s / d.length;
        return new double[] {mean, Math.sqrt(sq / d.length - mean * mean)};
    }

    @Test
    void torchvisionInitialisation() {
        Rng.manualSeed(3);
        GoogLeNet g = new GoogLeNet(new ModelSpec(3, 224, 224, 1000));
        // trunc_normal(std 0.01) on every conv and the linear weight; batch norm 1 / 0; fc bias PyTorch's U(+-1/32)
        for (String w : new String[] {"conv1.conv.weight", "inception4e.branch2.1.conv.weight", "fc.weight"}) {
            double[] ms = meanStd(g.namedParameters().get(w).data());
            assertEquals(0, ms[0], 5e-4, w);
            assertEquals(0.01, ms[1], 5e-4, w);
        }
        float[] fcBias = g.namedParameters().get("fc.bias").data();
        float maxAbs = 0;
        for (float v : fcBias) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 0.02f && maxAbs <= 1 / 32f, "default Linear bias U(-1/sqrt(1024), +): " + maxAbs);
        assertEquals(1f, g.namedParameters().get("inception5b.branch4.1.bn.weight").data()[7]);
        assertEquals(0f, g.namedParameters().get("inception5b.branch4.1.bn.bias").data()[7]);

        MobileNetV2 m = new MobileNetV2(new ModelSpec(3, 224, 224, 1000));
        // kaiming_normal fan_out: std sqrt(2 / (out * k * k)); depthwise [960, 1, 3, 3]: fan_out 960 * 9
        double[] pw = meanStd(m.namedParameters().get("features.17.conv.0.0.weight").data()); // [960, 160, 1, 1]
        assertEquals(Math.sqrt(2.0 / 960), pw[1], 0.02 * Math.sqrt(2.0 / 960));
        double[] dw = meanStd(m.namedParameters().get("features.17.conv.1.0.weight").data());
        assertEquals(Math.sqrt(2.0 / (960 * 9)), dw[1], 0.05 * Math.sqrt(2.0 / (960 * 9)));
        double[] fc = meanStd(m.namedParameters().get("classifier.1.weight").data());
        assertEquals(0.01, fc[1], 2e-4);
        for (float v : m.namedParameters().get("classifier.1.bias").data()) assertEquals(0f, v);
    }

    private static void forwardBackwardAt64(String name) {
        Rng.manualSeed(4);
        Module m = Zoo.create(name, new ModelSpec(3, 64, 64, 10));
        Tensor x = Tensor.uniform(Rng.derived(9, name.hashCode()), -1f, 1f, 2, 3, 64, 64).requiresGrad(true);
        m.train(true);
        Tensor logits = m.call(x);
        assertArrayEquals(new int[] {2, 10}, logits.shape());
        Tensor loss = LOSS.apply(logits, new int[] {3, 7});
        loss.backward();
        double sq = 0;
        for (float v : x.grad().data()) {
            assertTrue(Float.isFinite(v), name);
            sq += v * v;
        }
        assertTrue(sq > 0, name + ": the input gets a gradient");
        for (var p : m.namedParameters().entrySet()) {
            assertTrue(p.getValue().grad() != null, name + " " + p.getKey());
            for (float v : p.getValue().grad().data()) assertTrue(Float.isFinite(v), name + " " + p.getKey());
        }
    }

    @Test
    void googLeNetForwardAndBackwardAt64() {
        forwardBackwardAt64("googlenet");
    }

    @Test
    void mobileNetV2ForwardAndBackwardAt64() {
        forwardBackwardAt64("mobilenet-v2");
    }

    private static List<Float> train(String name, int size, int steps) {
        Rng.manualSeed(5);
        Module net = Zoo.create(name, new ModelSpec(3, size, size, 4));
        int batch = 4;
        Tensor x = Tensor.uniform(Rng.derived(6, name.hashCode()), -1f, 1f, batch, 3, size, size);
        int[] y = {0, 1, 2, 3};
        Adam opt = new Adam(net.parameters(), 1e-3f);
        net.train(true);
        List<Float> losses = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            try (var scope = BufferPool.scope()) {
                Tensor l = LOSS.apply(net.call(x), y);
                losses.add(l.item());
                opt.zeroGrad();
                l.backward();
                opt.step();
            }
        }
        return losses;
    }

    private static void assertLearns(String name, List<Float> losses) {
        System.out.println(name + " losses " + losses);
        float first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(Float.isFinite(first) && Math.abs(first - Math.log(4)) < 1.0, name + " starts near ln 4: " + losses);
        assertTrue(last < 0.7f * first, name + ": loss falls in " + losses.size() + " Adam steps: " + losses);
    }

    @Test
    void googLeNetLearnsATinyBatch() {
        assertLearns("googlenet", train("googlenet", 32, 4));
    }

    @Test
    void mobileNetV2LearnsATinyBatch() {
        assertLearns("mobilenet-v2", train("mobilenet-v2", 32, 8));
    }
}
