package org.cnn4j.models;

import org.cnn4j.nn.Module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Models by name, as the CLI's {@code --model} takes them, each buildable for any input channels, input
 * size and class count its layers allow ({@link ModelSpec}):
 * <pre>{@code
 * Module net = Zoo.create("resnet18", new ModelSpec(3, 32, 32, 10));
 * Module seed = Zoo.create("cifar-cnn");                      // its own default: 3x32x32, 10 classes
 * }</pre>
 * Names are matched ignoring case, with '_' taken as '-' (torchvision's {@code vgg16_bn} is {@code vgg16-bn}).
 */
public final class Zoo {
    /**
     * A model name with its default spec (input shape and class count), the smallest input height and width
     * it takes, and a factory.
     *
     * @param minSize     smallest height and width the model's layers take (1 when any size works)
     * @param reference   what the parameter counts and state-dict names are equal to
     */
    public record Entry(String name, ModelSpec defaultSpec, int minSize, Function<ModelSpec, Module> factory,
                        String description, String reference) {
        /** Default sample shape (C, H, W). */
        public int[] inputShape() {
            return defaultSpec.inputShape();
        }

        public int defaultClasses() {
            return defaultSpec.numClasses();
        }

        /** Builds the model for {@code spec}, first checking the input size against {@link #minSize}. */
        public Module create(ModelSpec spec) {
            if (spec.height() < minSize || spec.width() < minSize)
                throw new IllegalArgumentException(name + " needs an input of at least " + minSize + "x" + minSize
                        + " (its convolutions and poolings leave nothing of a smaller one); got " + spec.height() + "x"
                        + spec.width());
            return factory.apply(spec);
        }
    }

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        ModelSpec mnist = new ModelSpec(1, 28, 28, 10), cifar = new ModelSpec(3, 32, 32, 10),
                imagenet = new ModelSpec(3, 224, 224, 1000);
        register(new Entry("fashion-cnn", mnist, 8, FashionCNN::new,
                "the seed's FashionCNN: two conv blocks (conv, batch norm, ReLU, max pool) and three linear layers",
                "seed 000 (PyTorch), 1,475,338 params"));
        register(new Entry("fashion-dnn", mnist, 1, FashionDNN::new,
                "the seed's FashionDNN: 784-256-128-10 with ReLU and dropout", "seed 000 (PyTorch), 235,146 params"));
        register(new Entry("cifar-cnn", cifar, 8, CifarCNN::new,
                "seed 002's CIFAR CNN: conv 5x5 (7), conv 5x5 (15), each with batch norm, ReLU, max pool; 735-300-10",
                "seed 002 (PyTorch), 227,026 params"));
        register(new Entry("keras-cnn", mnist, 4, KerasCNN::create,
                "seed 003's Keras CNN (functional API): conv 32 same, conv 64 valid, max pool, dense 100, dropout, dense 10",
                "seed 003 (Keras), 1,101,526 params"));
        register(new Entry("mnist-encoder", mnist, 1, MnistEncoder::new,
                "seed 004's MNIST model: five conv blocks 1->32->64->128->256->512 (3x3, then 3x3 stride 2), 512-200-10",
                "seed 004 (PyTorch), 4,816,258 params"));
        register(new Entry("lenet5", mnist, 12, LeNet5::new,
                "LeNet-5 (ReLU, max pooling), first conv padded by 2 for 28x28", "61,706 params"));
        register(new Entry("alexnet", imagenet, 63, AlexNet::new, "AlexNet as torchvision builds it",
                "torchvision.models.alexnet, 61,100,840 params"));
        for (int depth : new int[] {11, 13, 16, 19})
            for (boolean bn : new boolean[] {false, true}) {
                String name = "vgg" + depth + (bn ? "-bn" : "");
                register(new Entry(name, imagenet, 32, spec -> VGG.vgg(depth, bn, spec),
                        "VGG-" + depth + (bn ? " with batch norm" : "") + " as torchvision builds it",
                        "torchvision.models." + name.replace('-', '_')));
            }
        register(new Entry("resnet18", imagenet, 1, ResNet::resnet18, "ResNet-18 as torchvision builds it",
                "torchvision.models.resnet18, 11,689,512 params"));
        register(new Entry("resnet34", imagenet, 1, ResNet::resnet34, "ResNet-34 as torchvision builds it",
                "torchvision.models.resnet34, 21,797,672 params"));
        register(new Entry("resnet50", imagenet, 1, ResNet::resnet50, "ResNet-50 (bottleneck v1.5) as torchvision builds it",
                "torchvision.models.resnet50, 25,557,032 params"));
        register(new Entry("googlenet", imagenet, GoogLeNet.MIN_SIZE, GoogLeNet::googlenet,
                "GoogLeNet (Inception v1) without auxiliary heads as torchvision builds it: BasicConv2d "
                        + "(conv, batch norm eps 0.001, ReLU), nine Inception blocks joining four branches, ceil-mode max pooling",
                "torchvision.models.googlenet(aux_logits=False, init_weights=True), 6,624,904 params"));
        register(new Entry("mobilenet-v2", imagenet, 1, MobileNetV2::mobilenetV2,
                "MobileNetV2 as torchvision builds it: 17 inverted residual blocks (1x1 expand, depthwise 3x3, "
                        + "1x1 linear projection; residual add at stride 1 and equal channels), ReLU6, dropout 0.2",
                "torchvision.models.mobilenet_v2, 3,504,872 params"));
        register(new Entry("resnet18-cifar", cifar, 1, ResNet::resnet18,
                "ResNet-18 for 32x32 CIFAR-size input and 10 classes (torchvision's layers, unchanged stem)",
                "torchvision.models.resnet18(num_classes=10), 11,181,642 params"));
    }

    private Zoo() {}

    private static void register(Entry e) {
        MODELS.put(e.name(), e);
    }

    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** The canonical name: lower case, '_' as '-'. */
    static String normalise(String name) {
        return name == null ? null : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static boolean contains(String name) {
        return MODELS.containsKey(normalise(name));
    }

    public static Entry entry(String name) {
        Entry e = MODELS.get(normalise(name));
        if (e == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        return e;
    }

    /** The model at its default spec. */
    public static Module create(String name) {
        Entry e = entry(name);
        return e.create(e.defaultSpec());
    }

    /** The model at its default input shape with {@code numClasses} outputs. */
    public static Module create(String name, int numClasses) {
        Entry e = entry(name);
        return e.create(e.defaultSpec().withNumClasses(numClasses));
    }

    public static Module create(String name, ModelSpec spec) {
        return entry(name).create(spec);
    }
}
