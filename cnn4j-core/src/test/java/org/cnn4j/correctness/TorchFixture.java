package org.cnn4j.correctness;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A PyTorch parity fixture written by tools/fixtures/make_fashion_*_fixture.py, and the comparison
 * helpers. Keeps the largest error seen per category for the report printed by the tests.
 */
final class TorchFixture {
    final Map<String, Tensor> tensors;
    final Map<String, String> metadata;
    final Map<String, double[]> errors = new LinkedHashMap<>(); // category -> {max relative error}

    private TorchFixture(SafeTensors.Loaded loaded) {
        tensors = loaded.tensors();
        metadata = loaded.metadata();
    }

    static TorchFixture load(String resource) throws IOException, URISyntaxException {
        URL url = TorchFixture.class.getResource("/fixtures/" + resource);
        assertNotNull(url, "fixture " + resource + " is missing; run tools/fixtures/make_fashion_*_fixture.py");
        return new TorchFixture(SafeTensors.read(Path.of(url.toURI())));
    }

    /**
     * The single-layer parity check of the fixtures: {@code layer} on case {@code c}'s input {@code c.x}, its output
     * checked against {@code c.y} (shape and values, category "outputs"), then the backward of the stored upstream
     * gradient {@code c.r}, and the input gradient checked against {@code c.dx} under {@code dxCategory}. Element
     * tolerances 1e-6 absolute, 1e-3 relative. Returns the input tensor (its grad holds dx).
     */
    Tensor checkLayer(String c, Module layer, String dxCategory, double rtol) {
        Tensor x = get(c + ".x").copy().requiresGrad(true);
        Tensor y = layer.call(x);
        Tensor expected = get(c + ".y");
        assertArrayEquals(expected.shape(), y.shape(), c + " output shape");
        assertClose("outputs", c + ".y", y.data(), expected.data(), rtol, 1e-6, 1e-3);
        y.backward(get(c + ".r").data());
        assertClose(dxCategory, c + ".dx", x.grad().data(), get(c + ".dx").data(), rtol, 1e-6, 1e-3);
        return x;
    }

    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) fail("fixture has no tensor '" + name + "'");
        return t;
    }

    @SuppressWarnings("unchecked")
    List<String> stateDictKeys() {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(metadata.get("state_dict_keys"))) out.add((String) o);
        return out;
    }

    /** name -> {seed, fanIn} of the weights the fixture does not store. */
    @SuppressWarnings("unchecked")
    Map<String, long[]> hashed() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (var e : ((Map<String, Object>) Json.parse(metadata.get("hashed"))).entrySet()) {
            List<Object> v = (List<Object>) e.getValue();
            out.put(e.getKey(), new long[] {((Number) v.get(0)).longValue(), ((Number) v.get(1)).longValue()});
        }
        return out;
    }

    int nRows() {
        return Integer.parseInt(metadata.get("n_rows"));
    }

    /**
     * fixture_common.hash_uniform: element i = float((2u - 1) * bound) with
     * u = (splitmix64(seed + (i + 1) * golden) >>> 11) * 2^-53 and bound = 1 / sqrt(fanIn).
     */
    static Tensor hashUniform(long seed, long fanIn, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) {
            long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            double u = (z >>> 11) * 0x1.0p-53;
            d[i] = (float) ((2.0 * u - 1.0) * bound);
        }
        return Tensor.of(d, shape);
    }

    /** The first {@code rows} rows (dimension 0) of {@code t}'s data. */
    static float[] rows(float[] data, int[] shape, int rows) {
        int row = data.length / shape[0];
        return java.util.Arrays.copyOf(data, rows * row);
    }

    /**
     * Asserts that {@code actual} matches {@code expected}: norm-based relative error
     * ||a - e|| / ||e|| <= rtol, where near-zero tensors are compared absolutely
     * (||a - e|| <= rtol * ||e|| + atol * sqrt(n)), and elementwise |a - e| <= atol + elemRtol * |e|.
     * Returns the norm-relative error and records it under {@code category}.
     */
    double assertClose(String category, String name, float[] actual, double[] expected, double rtol, double atol, double elemRtol) {
        if (actual.length != expected.length)
            fail(name + ": " + actual.length + " values, PyTorch has " + expected.length);
        double diff = 0, ref = 0;
        int worstAt = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            ref += expected[i] * expected[i];
            double excess = Math.abs(d) - (atol + elemRtol * Math.abs(expected[i]));
            if (!(excess <= worstExcess) || Double.isNaN(actual[i])) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worstAt = i;
            }
        }
        diff = Math.sqrt(diff);
        ref = Math.sqrt(ref);
        double rel = ref == 0 ? diff : diff / ref;
        // a tensor that is ~0 in PyTorch (e.g. the gradient of a conv bias followed by batch norm, ~1e-9)
        // has no meaningful relative error: it is reported, and bounded, by its absolute error instead
        boolean nearZero = ref <= 100 * atol * Math.sqrt(actual.length);
        String key = nearZero ? category + " (~0 in torch: abs)" : category;
        errors.computeIfAbsent(key, k -> new double[1]);
        errors.get(key)[0] = Math.max(errors.get(key)[0], nearZero ? diff : rel);
        if (worstAt >= 0)
            fail(name + ": element " + worstAt + " is " + actual[worstAt] + ", PyTorch " + expected[worstAt]
                    + " (atol " + atol + ", rtol " + elemRtol + "); norm-relative error " + rel);
        if (!(diff <= rtol * ref + atol * Math.sqrt(actual.length)))
            fail(name + ": norm-relative error " + rel + " > " + rtol + " (||diff|| " + diff + ", ||torch|| " + ref + ")");
        return rel;
    }

    double assertClose(String category, String name, float[] actual, float[] expected, double rtol, double atol, double elemRtol) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        return assertClose(category, name, actual, e, rtol, atol, elemRtol);
    }

    String report() {
        StringBuilder sb = new StringBuilder();
        errors.forEach((k, v) -> sb.append(String.format("  %-36s max %s %.3e%n", k, k.endsWith("abs)") ? "||diff||" : "norm-relative error", v[0])));
        return sb.toString();
    }
}
