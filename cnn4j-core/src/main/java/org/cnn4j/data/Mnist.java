package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST handwritten digits: the same IDX format and sizes as {@link FashionMnist}, under
 * {@code <root>/mnist}; downloads from the mirror torchvision uses, overridable with {@code CNN4J_MNIST_URL}.
 */
public final class Mnist {
    private Mnist() {}

    public static final List<String> CLASS_NAMES = List.of(
            "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
            "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");

    /** Official files and the MD5s of their {@code .gz} downloads (as torchvision checks them). */
    public static final IdxDatasetSpec SPEC = IdxDatasetSpec.mnistLayout("mnist", "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
            "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c", CLASS_NAMES);

    public static IdxDatasetLoader loader(Path dataDir) {
        return SPEC.loader(dataDir);
    }

    public static Dataset train(Path dataDir) throws IOException {
        return loader(dataDir).train();
    }

    public static Dataset test(Path dataDir) throws IOException {
        return loader(dataDir).test();
    }

    public static Path locate(Path dataDir) throws IOException {
        return loader(dataDir).locate();
    }
}
