package org.cnn4j.models;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every zoo model that has a PyTorch reference has the reference's state-dict keys (names, order, shapes)
 * and parameter count; the fixture comes from tools/fixtures/zoo_keys.py (torch 1.13, torchvision 0.14).
 */
class ZooKeysTest {
    private static Map<String, List<String>> fixture() throws IOException {
        List<String> lines;
        try (InputStream in = ZooKeysTest.class.getResourceAsStream("/fixtures/zoo_keys.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Map<String, List<String>> byModel = new LinkedHashMap<>();
        for (String l : lines) {
            int sp = l.indexOf(' ');
            byModel.computeIfAbsent(l.substring(0, sp), k -> new ArrayList<>()).add(l.substring(sp + 1));
        }
        return byModel;
    }

    static List<String> keysAndShapes(Module m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet())
            out.add(e.getKey() + " " + Arrays.stream(e.getValue().shape()).mapToObj(String::valueOf).collect(Collectors.joining(",")));
        out.add("#params " + m.parameterCount());
        return out;
    }

    static List<String> referenceModels() throws IOException {
        return List.copyOf(fixture().keySet());
    }

    /** One model per test: the VGGs draw 130 M Gaussian weights each (about a second). */
    @ParameterizedTest
    @MethodSource("referenceModels")
    void stateDictKeysShapesAndCountsEqualPyTorch(String name) throws IOException {
        assertEquals(fixture().get(name), keysAndShapes(Zoo.create(name)), name);
    }

    @Test
    void fixtureCoversTheReferenceModels() throws IOException {
        assertEquals(18, fixture().size(), "models in the fixture");
    }

    @Test
    void everyZooModelBesidesTheKerasOneHasAReference() throws IOException {
        List<String> names = new ArrayList<>(Zoo.names());
        names.removeAll(fixture().keySet());
        assertEquals(List.of("keras-cnn"), names);
        assertTrue(Zoo.entry("keras-cnn").reference().contains("1,101,526"));
    }
}
