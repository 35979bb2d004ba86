package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Kuzushiji-MNIST (ROIS-CODH): 28x28 gray images of 10 cursive Japanese (hiragana) characters, in the IDX
 * format and sizes of {@link FashionMnist}, under {@code <root>/kmnist}; downloads from the official site,
 * overridable with {@code CNN4J_KMNIST_URL}. See {@link IdxDatasetLoader} for the resolution order.
 */
public final class Kmnist {
    private Kmnist() {}

    /** The romanised names of the ten characters, indexed by label (as torchvision's {@code KMNIST.classes}). */
    public static final List<String> CLASS_NAMES = List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo");

    /** Official files and the MD5s of their {@code .gz} downloads (as torchvision checks them). */
    public static final IdxDatasetSpec SPEC = IdxDatasetSpec.mnistLayout("kmnist", "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
            "bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
            "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134", CLASS_NAMES);

    public static IdxDatasetLoader loader(Path dataDir) {
        return SPEC.loader(dataDir);
    }

    public static Dataset train(Path dataDir) throws IOException {
        return loader(dataDir).train();
    }

    public static Dataset test(Path dataDir) throws IOException {
        return loader(dataDir).test();
    }
}
