package org.cnn4j.correctness;

import org.cnn4j.io.Json;
import org.cnn4j.nn.AdaptiveAvgPool1d;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AdaptiveAvgPool3d;
import org.cnn4j.nn.AdaptiveMaxPool1d;
import org.cnn4j.nn.AdaptiveMaxPool2d;
import org.cnn4j.nn.AdaptiveMaxPool3d;
import org.cnn4j.nn.AvgPool1d;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.AvgPool3d;
import org.cnn4j.nn.GlobalAvgPool1d;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.GlobalAvgPool3d;
import org.cnn4j.nn.GlobalMaxPool1d;
import org.cnn4j.nn.GlobalMaxPool2d;
import org.cnn4j.nn.GlobalMaxPool3d;
import org.cnn4j.nn.LPPool1d;
import org.cnn4j.nn.LPPool2d;
import org.cnn4j.nn.MaxPool1d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.MaxPool3d;
import org.cnn4j.nn.MinPool1d;
import org.cnn4j.nn.MinPool2d;
import org.cnn4j.nn.MinPool3d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.PoolNd;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every layer of the pooling family against PyTorch 1.13 values written by tools/fixtures/pool_family.py:
 * output and input gradient (backward of sum(y * r)) per case, the layer built from the case's options
 * through the public constructors and builders. Norm-relative error at most 1e-4 per tensor.
 */
class PoolFamilyTorchParityTest {
    private static final double RTOL = 1e-4;
    private static TorchFixture f;
    private static List<Map<String, Object>> cases;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        f = TorchFixture.load("pool_family_torch.safetensors");
        cases = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(f.metadata.get("cases"))) cases.add((Map<String, Object>) o);
    }

    @Test
    void everyCaseMatchesPyTorch() {
        int checked = 0;
        for (Map<String, Object> c : cases) {
            check((String) c.get("name"), build(c));
            checked++;
        }
        assertEquals(36, checked, "the fixture's cases");
    }

    @Test
    void everyCaseMatchesPyTorchInsideABufferPoolScope() throws Exception {
        // The Trainer's setting: outputs, saved indices and intermediate gradients come from recycled arrays,
        // poisoned with NaN here, so a kernel that leaves any element unwritten (or assumes zeros) fails.
        // x * 1 makes the pooled input an intermediate, whose gradient buffer is recycled too.
        var poison = BufferPool.class.getDeclaredField("poison");
        poison.setAccessible(true);
        boolean old = poison.getBoolean(null);
        poison.setBoolean(null, true);
        try {
            for (int round = 0; round < 2; round++) {
                try (var ignored = BufferPool.scope()) {
                    for (Map<String, Object> c : cases) {
                        String name = (String) c.get("name");
                        Tensor x = f.get(name + ".x").copy().requiresGrad(true);
                        Tensor mid = x.mul(1f);
                        Tensor y = build(c).call(mid);
                        f.assertClose("outputs (pooled buffers)", name + ".y", y.data(), f.get(name + ".y").data(), RTOL, 1e-6, 1e-3);
                        y.backward(f.get(name + ".r").data());
                        f.assertClose("input gradients (pooled buffers)", name + ".dx", x.grad().data(), f.get(name + ".dx").data(),
                                RTOL, 1e-6, 1e-3);
                    }
                }
            }
        } finally {
            poison.setBoolean(null, old);
        }
    }

    private static void check(String c, Module layer) {
        f.checkLayer(c, layer, "input gradients", RTOL);
    }

    static Module build(Map<String, Object> c) {
        String layer = (String) c.get("layer");
        if (layer.startsWith("Adaptive")) {
            int[] o = ints(c, "output_size");
            return switch (layer) {
                case "AdaptiveAvgPool1d" -> new AdaptiveAvgPool1d(o[0]);
                case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(o[0], o[1]);
                case "AdaptiveAvgPool3d" -> new AdaptiveAvgPool3d(o[0], o[1], o[2]);
                case "AdaptiveMaxPool1d" -> new AdaptiveMaxPool1d(o[0]);
                case "AdaptiveMaxPool2d" -> new AdaptiveMaxPool2d(o[0], o[1]);
                case "AdaptiveMaxPool3d" -> new AdaptiveMaxPool3d(o[0], o[1], o[2]);
                default -> throw new IllegalArgumentException(layer);
            };
        }
        if (layer.startsWith("Global")) {
            boolean keep = (Boolean) c.get("keepdims");
            return switch (layer) {
                case "GlobalAvgPool1d" -> new GlobalAvgPool1d(keep);
                case "GlobalAvgPool2d" -> new GlobalAvgPool2d(keep);
                case "GlobalAvgPool3d" -> new GlobalAvgPool3d(keep);
                case "GlobalMaxPool1d" -> new GlobalMaxPool1d(keep);
                case "GlobalMaxPool2d" -> new GlobalMaxPool2d(keep);
                case "GlobalMaxPool3d" -> new GlobalMaxPool3d(keep);
                default -> throw new IllegalArgumentException(layer);
            };
        }
        int[] k = ints(c, "kernel");
        double p = c.get("norm_type") == null ? 0 : ((Number) c.get("norm_type")).doubleValue();
        PoolNd.Builder<?> b = switch (layer) {
            case "MaxPool1d" -> MaxPool1d.builder(k);
            case "MaxPool2d" -> MaxPool2d.builder(k);
            case "MaxPool3d" -> MaxPool3d.builder(k);
            case "MinPool1d" -> MinPool1d.builder(k);
            case "MinPool2d" -> MinPool2d.builder(k);
            case "MinPool3d" -> MinPool3d.builder(k);
            case "AvgPool1d" -> AvgPool1d.builder(k);
            case "AvgPool2d" -> AvgPool2d.builder(k);
            case "AvgPool3d" -> AvgPool3d.builder(k);
            case "LPPool1d" -> LPPool1d.builder(p, k);
            case "LPPool2d" -> LPPool2d.builder(p, k);
            default -> throw new IllegalArgumentException(layer);
        };
        b.stride(ints(c, "stride")).ceilMode((Boolean) c.get("ceil_mode"));
        if (!layer.startsWith("LP")) b.padding(ints(c, "padding"));
        if (layer.startsWith("Max") || layer.startsWith("Min")) b.dilation(ints(c, "dilation"));
        if (layer.startsWith("Avg")) {
            b.countIncludePad((Boolean) c.get("count_include_pad"));
            int div = ((Number) c.get("divisor_override")).intValue();
            if (div != 0) b.divisorOverride(div);
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static int[] ints(Map<String, Object> c, String key) {
        List<Object> l = (List<Object>) c.get(key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
        return out;
    }

    @AfterAll
    static void report() {
        System.out.println("pooling family vs PyTorch " + f.metadata.get("torch_version") + " (" + cases.size() + " cases):\n"
                + f.report());
    }
}
