package org.cnn4j.optim;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** tools/fixtures/optim_family.py's output: trajectories as tensors, schedules as JSON metadata. */
final class OptimFixture {
    final Map<String, Tensor> tensors;
    final Map<String, String> metadata;

    private OptimFixture(SafeTensors.Loaded loaded) {
        tensors = loaded.tensors();
        metadata = loaded.metadata();
    }

    static OptimFixture load() {
        try {
            URL url = OptimFixture.class.getResource("/fixtures/optim_family.safetensors");
            assertNotNull(url, "fixture optim_family.safetensors is missing; run /usr/bin/python3 tools/fixtures/optim_family.py");
            return new OptimFixture(SafeTensors.read(Path.of(url.toURI())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json(String key) {
        return (Map<String, Object>) Json.parse(metadata.get(key));
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
