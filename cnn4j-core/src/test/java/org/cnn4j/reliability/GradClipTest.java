package org.cnn4j.reliability;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.GradClip;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GradClip against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (tools/fixtures/grad_clip.py), and its edge cases. */
class GradClipTest {
    private static List<Parameter> withGrads(Map<String, Tensor> fx) {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; fx.containsKey("g." + i); i++) {
            Tensor g = fx.get("g." + i);
            Parameter p = new Parameter(new float[g.numel()], g.shape());
            System.arraycopy(g.data(), 0, p.gradBuffer(), 0, g.numel());
            ps.add(p);
        }
        return ps;
    }

    @Test
    @SuppressWarnings("unchecked")
    void matchesPyTorch() throws Exception {
        var url = GradClipTest.class.getResource("/fixtures/grad_clip.safetensors");
        assertNotNull(url, "run tools/fixtures/grad_clip.py");
        SafeTensors.Loaded fx = SafeTensors.read(Path.of(url.toURI()));
        Map<String, Object> cases = (Map<String, Object>) Json.parse(fx.metadata().get("cases"));
        Map<String, Object> norms = (Map<String, Object>) Json.parse(fx.metadata().get("norms"));
        double worst = 0;
        for (var c : cases.entrySet()) {
            List<Object> spec = (List<Object>) c.getValue();
            List<Parameter> ps = withGrads(fx.tensors());
            double arg = ((Number) spec.get(1)).doubleValue();
            if (spec.get(0).equals("norm")) {
                double p = spec.get(2).equals("inf") ? Double.POSITIVE_INFINITY : ((Number) spec.get(2)).doubleValue();
                double total = GradClip.clipGradNorm(ps, arg, p);
                double expected = ((Number) norms.get(c.getKey())).doubleValue();
                assertEquals(expected, total, 1e-5 * expected, c.getKey() + " total norm");
            } else {
                GradClip.clipGradValue(ps, arg);
            }
            for (int i = 0; i < ps.size(); i++) {
                float[] want = fx.tensors().get(c.getKey() + "." + i).data(), got = ps.get(i).gradIfPresent();
                for (int j = 0; j < want.length; j++) {
                    double err = Math.abs(want[j] - got[j]) / Math.max(1e-6, Math.abs(want[j]));
                    worst = Math.max(worst, err);
                    assertTrue(err < 1e-4, c.getKey() + "." + i + "[" + j + "]: " + got[j] + " vs torch " + want[j]);
                }
            }
        }
        System.out.printf("GradClip vs PyTorch: max relative error %.2e over %d cases%n", worst, cases.size());
    }

    @Test
    void skipsParametersWithoutGradientsAndReturnsZeroWhenThereAreNone() {
        Parameter none = new Parameter(new float[3], 3);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(none), 1.0));
        Parameter p = new Parameter(new float[2], 2);
        p.gradBuffer()[0] = 3;
        p.gradBuffer()[1] = 4;
        assertEquals(5.0, GradClip.clipGradNorm(List.of(none, p), 1.0), 1e-9);
        assertEquals(0.6f, p.gradIfPresent()[0], 1e-6f);
        assertEquals(0.8f, p.gradIfPresent()[1], 1e-6f);
        assertEquals(null, none.gradIfPresent());
    }

    @Test
    void nonFiniteNormsBehaveAsPyTorchOrFailOnRequest() {
        Parameter p = new Parameter(new float[2], 2);
        p.gradBuffer()[0] = Float.NaN;
        p.gradBuffer()[1] = 1;
        assertTrue(Double.isNaN(GradClip.clipGradNorm(List.of(p), 1.0)));
        assertTrue(Float.isNaN(p.gradIfPresent()[1]), "PyTorch multiplies by a NaN coefficient");
        p.gradBuffer()[1] = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(List.of(p), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(1f, p.gradIfPresent()[1], "nothing scaled when failing");
    }

    @Test
    void invalidArgumentsNameTheParameterAndValue() {
        List<Parameter> ps = List.of(new Parameter(new float[1], 1));
        var e1 = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, -1));
        assertTrue(e1.getMessage().contains("maxNorm") && e1.getMessage().contains("-1"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, 1, 0));
        assertTrue(e2.getMessage().contains("normType") && e2.getMessage().contains("0.0"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(ps, Double.NaN));
        assertTrue(e3.getMessage().contains("clipValue") && e3.getMessage().contains("NaN"), e3.getMessage());
    }
}
