package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky, 2009): 32x32 colour images, 50,000 for training and 10,000 for
 * testing, as {@code {3, 32, 32}} floats in [0, 1] ({@code value / 255}, torchvision's {@code ToTensor}),
 * channels R, G, B. Read from the binary distribution; see {@link CifarLoader} for where the files are
 * looked for and how the tarball is downloaded, verified and unpacked.
 */
public final class Cifar {
    private Cifar() {}

    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** CIFAR-100's 100 fine classes, in label order (alphabetical), as in {@code fine_label_names.txt}. */
    public static final List<String> CIFAR100_FINE_CLASSES = List.of(
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
            "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
            "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
            "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
            "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
            "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
            "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
            "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
            "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    /** CIFAR-100's 20 coarse classes (superclasses), in label order, as in {@code coarse_label_names.txt}. */
    public static final List<String> CIFAR100_COARSE_CLASSES = List.of(
            "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
            "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
            "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
            "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
            "vehicles_1", "vehicles_2");

    /** The official CIFAR-10 binary tarball (MD5 as published on the CIFAR page). */
    public static final CifarSpec CIFAR10 = new CifarSpec("cifar-10", "https://www.cs.toronto.edu/~kriz/",
            "cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"), 1, "batches.meta.txt", null, CIFAR10_CLASSES, List.of());

    /** The official CIFAR-100 binary tarball. */
    public static final CifarSpec CIFAR100 = new CifarSpec("cifar-100", "https://www.cs.toronto.edu/~kriz/",
            "cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8", "cifar-100-binary",
            List.of("train.bin"), List.of("test.bin"), 2, "fine_label_names.txt", "coarse_label_names.txt",
            CIFAR100_FINE_CLASSES, CIFAR100_COARSE_CLASSES);

    /** A CIFAR-10 loader with the default resolution, looking in {@code dataDir} (nullable) first. */
    public static CifarLoader cifar10(Path dataDir) {
        return CifarLoader.builder(CIFAR10).dataDir(dataDir).build();
    }

    /** A CIFAR-100 loader (fine labels) with the default resolution, looking in {@code dataDir} (nullable) first. */
    public static CifarLoader cifar100(Path dataDir) {
        return CifarLoader.builder(CIFAR100).dataDir(dataDir).build();
    }

    /** CIFAR-10's 50,000 training images. */
    public static Dataset cifar10Train(Path dataDir) throws IOException {
        return cifar10(dataDir).train();
    }

    /** CIFAR-10's 10,000 test images. */
    public static Dataset cifar10Test(Path dataDir) throws IOException {
        return cifar10(dataDir).test();
    }
}
