package org.cnn4j.models;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResNetTest {
    @Test
    void parameterCountsEqualTorchvision() {
        assertEquals(11_689_512, ResNet.resnet18(1000).parameterCount());
        assertEquals(21_797_672, ResNet.resnet34(1000).parameterCount());
        assertEquals(25_557_032, ResNet.resnet50(1000).parameterCount());
        assertEquals(11_181_642, ResNet.resnet18(10).parameterCount(), "torchvision resnet18(num_classes=10)");
    }

    /** Names, order and shapes of every state-dict entry equal torchvision 0.14's (fixture from tools/fixtures). */
    @Test
    void stateDictKeysAndShapesEqualTorchvision() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/torchvision_resnet_keys.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String name : List.of("resnet18", "resnet34", "resnet50")) {
            List<String> expected = lines.stream().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
                    .collect(Collectors.toList());
            List<String> actual = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : Zoo.create(name, 1000).stateDict().entrySet()) {
                int[] s = e.getValue().shape();
                actual.add(e.getKey() + " " + java.util.Arrays.stream(s).mapToObj(String::valueOf).collect(Collectors.joining(",")));
            }
            assertEquals(expected, actual, name);
        }
    }

    @Test
    void cifarSizedInputRunsForwardAndBackward() {
        Module net = ResNet.resnet18(10);
        Tensor x = Tensor.full(0.5f, 2, 3, 32, 32);
        Tensor logits = net.call(x);
        assertArrayEquals(new int[] {2, 10}, logits.shape());
        logits.sum().backward();
        assertEquals(64 * 3 * 7 * 7, net.namedParameters().get("conv1.weight").grad().numel());
    }
}
