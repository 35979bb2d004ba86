package org.cnn4j.onnx;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test resources made by tools/fixtures/onnx_roundtrip.py, and the comparison used against them. */
final class Fixtures {
    private Fixtures() {}

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource onnx/" + name + "; run tools/fixtures/onnx_roundtrip.py", e);
        }
    }

    static Map<String, Tensor> tensors(String file) {
        try {
            return SafeTensors.read(resource(file)).tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest |a - e| / max(|e|, 1): relative for large values, absolute below 1. */
    static double maxRelativeError(Tensor actual, Tensor expected) {
        float[] a = actual.data(), e = expected.data();
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), 1.0));
        return worst;
    }

    static void assertClose(String what, Tensor actual, Tensor expected, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()));
        double err = maxRelativeError(actual, expected);
        assertTrue(err <= tolerance, what + ": max relative error " + err + " > " + tolerance);
    }
}
