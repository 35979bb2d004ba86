package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 28x28 gray images of 10 kinds of clothing, 60,000 for training and 10,000 for
 * testing. Samples are {@code {1, 28, 28}} floats in [0, 1] ({@code value / 255}, as torchvision's
 * {@code ToTensor}). See {@link IdxDatasetLoader} for where the files are looked for and downloaded to.
 */
public final class FashionMnist {
    private FashionMnist() {}

    /** Label names, indexed by label, as in SEEDS.md. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-Shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle Boot");

    /** Official files and the MD5s of their {@code .gz} downloads (as torchvision checks them). */
    public static final IdxDatasetSpec SPEC = IdxDatasetSpec.mnistLayout("fashion-mnist", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
            "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310", CLASS_NAMES);

    /** A loader with the default resolution, looking in {@code dataDir} (nullable) first. */
    public static IdxDatasetLoader loader(Path dataDir) {
        return SPEC.loader(dataDir);
    }

    /** The 60,000 training images. */
    public static Dataset train(Path dataDir) throws IOException {
        return loader(dataDir).train();
    }

    /** The 10,000 test images. */
    public static Dataset test(Path dataDir) throws IOException {
        return loader(dataDir).test();
    }

    /** The directory the files are read from (downloading them first if needed). */
    public static Path locate(Path dataDir) throws IOException {
        return loader(dataDir).locate();
    }
}
