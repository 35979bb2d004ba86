package org.cnn4j.models;

import org.cnn4j.nn.Module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Models by name, as the CLI's {@code --model} takes them. */
public final class Zoo {
    /** A model name with its default input shape (C, H, W) and a factory taking the class count. */
    public record Entry(String name, int[] inputShape, IntFunction<Module> factory, String description) {}

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        register(new Entry("fashion-cnn", new int[] {1, 28, 28}, FashionCNN::new,
                "the seed's FashionCNN: two conv blocks (conv, batch norm, ReLU, max pool) and three linear layers"));
        register(new Entry("fashion-dnn", new int[] {1, 28, 28}, FashionDNN::new,
                "the seed's FashionDNN: 784-256-128-10 with ReLU and dropout"));
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
