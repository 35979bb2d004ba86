package org.cnn4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Describes a dataset distributed as four IDX files, as MNIST and Fashion-MNIST are.
 *
 * @param name        directory name under the data roots and for messages, e.g. {@code "fashion-mnist"}
 * @param baseUrl     where {@code <file>.gz} is downloaded from (a trailing slash is added if missing)
 * @param trainImages file name without {@code .gz}, e.g. {@code "train-images-idx3-ubyte"}
 * @param trainLabels likewise
 * @param testImages  likewise
 * @param testLabels  likewise
 * @param md5         expected MD5 (lower-case hex) of each downloaded {@code .gz} file, keyed by the file name
 *                    without {@code .gz}; a file without an entry is not verified (custom mirrors, tests)
 * @param classNames  names indexed by label
 */
public record IdxDatasetSpec(String name, String baseUrl, String trainImages, String trainLabels,
                             String testImages, String testLabels, Map<String, String> md5, List<String> classNames) {
    public IdxDatasetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
        md5 = Map.copyOf(md5);
        for (String v : md5.values())
            if (!v.matches("[0-9a-f]{32}")) throw new IllegalArgumentException("not a lower-case hex MD5: " + v);
        classNames = List.copyOf(classNames);
        if (!baseUrl.endsWith("/")) baseUrl = baseUrl + "/";
    }

    /**
     * A dataset in MNIST's layout (Fashion-MNIST, KMNIST, ...): the four files {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, with
     * the MD5s of their {@code .gz} downloads given in that order.
     */
    public static IdxDatasetSpec mnistLayout(String name, String baseUrl, String trainImagesMd5, String trainLabelsMd5,
                                             String testImagesMd5, String testLabelsMd5, List<String> classNames) {
        String trainImages = "train-images-idx3-ubyte", trainLabels = "train-labels-idx1-ubyte";
        String testImages = "t10k-images-idx3-ubyte", testLabels = "t10k-labels-idx1-ubyte";
        return new IdxDatasetSpec(name, baseUrl, trainImages, trainLabels, testImages, testLabels,
                Map.of(trainImages, trainImagesMd5, trainLabels, trainLabelsMd5, testImages, testImagesMd5, testLabels, testLabelsMd5),
                classNames);
    }

    /** A loader of this dataset with the default resolution, looking in {@code dataDir} (nullable) first. */
    public IdxDatasetLoader loader(Path dataDir) {
        return IdxDatasetLoader.builder(this).dataDir(dataDir).build();
    }

    /** The four file names (without {@code .gz}): train images, train labels, test images, test labels. */
    public List<String> files() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    /** The same spec downloading from another base URL (a mirror, or a test server). */
    public IdxDatasetSpec withBaseUrl(String url) {
        return new IdxDatasetSpec(name, url, trainImages, trainLabels, testImages, testLabels, md5, classNames);
    }

    /** The same spec with other expected checksums (an empty map verifies nothing). */
    public IdxDatasetSpec withMd5(Map<String, String> checksums) {
        return new IdxDatasetSpec(name, baseUrl, trainImages, trainLabels, testImages, testLabels, checksums, classNames);
    }

    /** The environment variable that overrides {@link #baseUrl}: {@code CNN4J_FASHION_MNIST_URL} for "fashion-mnist". */
    public String urlEnvVar() {
        return "CNN4J_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_URL";
    }
}
