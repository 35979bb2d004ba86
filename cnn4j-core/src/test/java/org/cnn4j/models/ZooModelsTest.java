package org.cnn4j.models;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Rng;
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
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each zoo model, one test per model so that no single test builds more than one large network:
 * <ol>
 * <li>state-dict keys (names, order, shapes) and parameter count equal PyTorch's; the fixture comes from
 *     tools/fixtures/zoo_keys.py (torch 1.13, torchvision 0.14); keras-cnn against seed 003's count;</li>
 * <li>a training-mode forward and backward with cross-entropy gives [batch, classes] logits and a finite
 *     gradient for every parameter, non-zero in the first layer;</li>
 * <li>{@link Zoo.Entry#minSize()} is exact: the smallest input runs, one pixel less is rejected.</li>
 * </ol>
 * AlexNet, VGG-11, GoogLeNet and MobileNetV2 run forward and backward at their native 224x224 (batch 1, about 1-3 s each on two
 * cores); the other VGGs at 32x32 (batch 2), since eight VGGs at 224 cost about 30 s. Their adaptive
 * pooling makes the weights the same at every input size, so 32x32 exercises every layer of the 224 model.
 */
class ZooModelsTest {
    private static final CrossEntropyLoss LOSS = new CrossEntropyLoss();

    private static Map<String, List<String>> fixture() throws IOException {
        List<String> lines;
        try (InputStream in = ZooModelsTest.class.getResourceAsStream("/fixtures/zoo_keys.txt")) {
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

    static List<String> zooNames() {
        return Zoo.names();
    }

    /** Input size and batch of the forward/backward check. */
    private static int[] runSizeAndBatch(String name, Zoo.Entry e) {
        if (name.equals("alexnet") || name.equals("vgg11") || name.equals("googlenet") || name.equals("mobilenet-v2"))
            return new int[] {224, 1};
        if (name.startsWith("vgg")) return new int[] {32, 2};
        return new int[] {e.defaultSpec().height(), 2};
    }

    @ParameterizedTest
    @MethodSource("zooNames")
    void modelMatchesItsReferenceRunsForwardAndBackwardAndTakesItsMinimumSize(String name) throws IOException {
        Rng.manualSeed(7);
        Zoo.Entry e = Zoo.entry(name);
        Module m = Zoo.create(name);

        // 1. the reference's keys, shapes and count
        List<String> expected = fixture().get(name);
        if (name.equals("keras-cnn")) assertEquals(1_101_526, m.parameterCount(), name);
        else assertEquals(expected, keysAndShapes(m), name);

        // 2. forward and backward in training mode
        int[] sb = runSizeAndBatch(name, e);
        ModelSpec d = e.defaultSpec();
        RandomGenerator rng = Rng.derived(11, name.hashCode());
        Tensor x = Tensor.uniform(rng, -1f, 1f, sb[1], d.inChannels(), sb[0], sb[0]);
        int[] labels = new int[sb[1]];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(d.numClasses());
        m.train(true);
        Tensor logits = m.call(x);
        assertArrayEquals(new int[] {sb[1], d.numClasses()}, logits.shape(), name);
        Tensor loss = LOSS.apply(logits, labels);
        assertTrue(Float.isFinite(loss.item()), name + " loss " + loss.item());
        loss.backward();
        boolean firstLayer = true;
        for (var p : m.namedParameters().entrySet()) {
            Tensor g = p.getValue().grad();
            assertNotNull(g, name + ": no gradient for " + p.getKey());
            double sq = 0;
            for (float v : g.data()) {
                assertTrue(Float.isFinite(v), name + ": non-finite gradient in " + p.getKey());
                sq += (double) v * v;
            }
            if (firstLayer) assertTrue(sq > 0, name + ": zero gradient for the first layer " + p.getKey());
            firstLayer = false;
        }
        m.zeroGrad();

        // 3. the smallest input
        int min = e.minSize();
        ModelSpec atMin = d.withSize(min, min);
        boolean adaptive = m.namedModules().values().stream().anyMatch(mod -> mod instanceof AdaptiveAvgPool2d);
        Module small = adaptive ? m : e.create(atMin);  // adaptive pooling: the same weights take every size
        small.eval();
        try (var ignored = Autograd.noGrad()) {
            assertArrayEquals(new int[] {1, d.numClasses()}, small.call(Tensor.zeros(1, d.inChannels(), min, min)).shape(), name);
            if (min > 1) {
                if (adaptive)
                    assertThrows(IllegalArgumentException.class, () -> m.call(Tensor.zeros(1, d.inChannels(), min - 1, min - 1)),
                            name + " runs at " + (min - 1));
                ModelSpec below = d.withSize(min - 1, min - 1);
                IllegalArgumentException fromModel = assertThrows(IllegalArgumentException.class, () -> e.factory().apply(below));
                assertTrue(fromModel.getMessage().contains("cannot take a " + (min - 1) + "x" + (min - 1) + " input"),
                        fromModel.getMessage());
                IllegalArgumentException fromZoo = assertThrows(IllegalArgumentException.class, () -> Zoo.create(name, below));
                assertTrue(fromZoo.getMessage().contains(name + " needs an input of at least " + min + "x" + min),
                        fromZoo.getMessage());
            }
        }
    }

    @Test
    void fixtureCoversEveryModelButTheKerasOne() throws IOException {
        List<String> names = new ArrayList<>(Zoo.names());
        names.removeAll(fixture().keySet());
        assertEquals(List.of("keras-cnn"), names);
        assertEquals(20, fixture().size());
    }

    @Test
    void specChangesChannelsClassesAndClassifierSize() {
        assertEquals(227_026, Zoo.create("cifar-cnn").parameterCount());
        // cifar-cnn at 1x28x28 with 5 classes: conv1 5*5*1*7+7 = 182, fc1 15*6*6 = 540 -> 300, fc2 300 -> 5
        Module c = Zoo.create("cifar-cnn", new ModelSpec(1, 28, 28, 5));
        assertEquals(182 + 14 + 2_640 + 30 + (540 * 300 + 300) + (300 * 5 + 5), c.parameterCount());
        // fashion-dnn on 3x32x32: 3072 -> 256
        assertEquals(3072L * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, Zoo.create("fashion-dnn", new ModelSpec(3, 32, 32, 10)).parameterCount());
        // lenet5 at 32x32: (16, 6, 6) = 576 features
        Module lenet = Zoo.create("lenet5", new ModelSpec(1, 32, 32, 10));
        assertEquals(576, lenet.namedParameters().get("classifier.0.weight").shape()[1]);
        // keras-cnn at 3x32x32: conv 3*3*3*32+32, flatten 64*15*15
        Module keras = Zoo.create("keras-cnn", new ModelSpec(3, 32, 32, 10));
        assertEquals(896 + 18_496 + (64 * 15 * 15 * 100 + 100) + 1_010, keras.parameterCount());
        // resnet18 with one input channel
        Module r = Zoo.create("resnet18", new ModelSpec(1, 224, 224, 1000));
        assertEquals(11_689_512 - 2 * 64 * 7 * 7, r.parameterCount());
        // names: case and torchvision's underscore
        assertEquals("vgg16-bn", Zoo.entry("VGG16_BN").name());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Zoo.entry("vgg17"));
        assertTrue(unknown.getMessage().contains("vgg16-bn") && unknown.getMessage().contains("resnet18-cifar"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(0, 28, 28, 10));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(1, 28, 28, 0));
    }

    @Test
    void resnet18CifarIsTorchvisionsResnet18With10ClassesAt32x32() {
        Zoo.Entry e = Zoo.entry("resnet18-cifar");
        assertEquals(new ModelSpec(3, 32, 32, 10), e.defaultSpec());
        assertEquals(11_181_642, Zoo.create("resnet18-cifar").parameterCount());
        assertEquals(keysAndShapes(ResNet.resnet18(10)), keysAndShapes(Zoo.create("resnet18-cifar")));
    }

    @Test
    void kerasCnnIsAFunctionalGraphWithTheSeedsLayersAndOptionalSoftmax() {
        var logits = KerasCNN.create(new ModelSpec(1, 28, 28, 10));
        assertEquals(1_101_526, logits.parameterCount());
        assertEquals(320, logits.children().get("conv2d").parameterCount());
        assertEquals(18_496, logits.children().get("conv2d_1").parameterCount());
        assertEquals(1_081_700, logits.children().get("linear").parameterCount());
        assertEquals(1_010, logits.children().get("linear_1").parameterCount());
        var probs = KerasCNN.create(new ModelSpec(1, 28, 28, 10), true);
        probs.eval();
        Tensor y = probs.call(Tensor.uniform(Rng.derived(1, 1), 0, 1, 2, 1, 28, 28));
        for (int n = 0; n < 2; n++) {
            float s = 0;
            for (int j = 0; j < 10; j++) s += y.data()[n * 10 + j];
            assertEquals(1f, s, 1e-5f);
        }
    }
}
