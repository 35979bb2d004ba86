package org.cnn4j.models;

import org.cnn4j.nn.Module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Models by name, as the CLI's {@code --model} takes them. */
public final class Zoo {
    /** A model name with its default input shape (C, H, W) and class count, and a factory taking the class count. */
    public record Entry(String name, int[] inputShape, int defaultClasses, IntFunction<Module> factory, String description) {}

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        register(new Entry("fashion-cnn", new int[] {1, 28, 28}, 10, FashionCNN::new,
                "the seed's FashionCNN: two conv blocks (conv, batch norm, ReLU, max pool) and three linear layers"));
        register(new Entry("fashion-dnn", new int[] {1, 28, 28}, 10, FashionDNN::new,
                "the seed's FashionDNN: 784-256-128-10 with ReLU and dropout"));
        register(new Entry("resnet18", new int[] {3, 224, 224}, 1000, ResNet::resnet18, "ResNet-18 as torchvision builds it"));
        register(new Entry("resnet34", new int[] {3, 224, 224}, 1000, ResNet::resnet34, "ResNet-34 as torchvision builds it"));
        register(new Entry("resnet50", new int[] {3, 224, 224}, 1000, ResNet::resnet50, "ResNet-50 (bottleneck v1.5) as torchvision builds it"));
    }

    private Zoo() {}

    private static void register(Entry e) {
        MODELS.put(e.name(), e);
    }

    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    public static Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        return e;
    }

    public static Module create(String name, int numClasses) {
        return entry(name).factory().apply(numClasses);
    }
}
