package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Finds, downloads and loads a dataset described by an {@link IdxDatasetSpec}.
 *
 * <p><b>Resolution.</b> The four files are looked up, each as {@code <file>} or {@code <file>.gz} (raw
 * preferred when both exist), in the first of these directories that holds all four:
 * <ol>
 *   <li>the explicit {@link Builder#dataDir data directory}, when given;</li>
 *   <li>{@code $CNN4J_DATA/<name>}, when {@code CNN4J_DATA} is set;</li>
 *   <li>{@code <user home>/.cnn4j/datasets/<name>};</li>
 *   <li>{@code /usr/share/datasets/<name>} (Debian's {@code dataset-fashion-mnist} package).</li>
 * </ol>
 * Where none has them, the missing {@code .gz} files are downloaded into {@code $CNN4J_DATA/<name>} when
 * {@code CNN4J_DATA} is set, else {@code <user home>/.cnn4j/datasets/<name>}, from the spec's base URL,
 * overridden by the environment variable {@link IdxDatasetSpec#urlEnvVar()} (e.g.
 * {@code CNN4J_FASHION_MNIST_URL}) or {@link Builder#baseUrl}. Each download is checked against the
 * spec's MD5 and written atomically (temporary file, fsync, rename), so an interrupted or corrupted
 * download never leaves a file that looks valid.
 *
 * <p>The environment, home directory, system directory and HTTP client are injectable (see
 * {@link DatasetLoaderBuilder}), so tests never touch the real {@code ~/.cnn4j}.
 */
public final class IdxDatasetLoader {
    private final IdxDatasetSpec spec;
    private final DatasetSource source;
    private Path located;

    private IdxDatasetLoader(Builder b) {
        this.spec = b.spec;
        this.source = new DatasetSource(spec.name(), null, spec.urlEnvVar(), spec.baseUrl(), b);
    }

    public static Builder builder(IdxDatasetSpec spec) {
        return new Builder(spec);
    }

    /** The options of an {@link IdxDatasetLoader}: those of every loader. */
    public static final class Builder extends DatasetLoaderBuilder<Builder> {
        private final IdxDatasetSpec spec;

        private Builder(IdxDatasetSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        public IdxDatasetLoader build() {
            return new IdxDatasetLoader(this);
        }
    }

    public IdxDatasetSpec spec() {
        return spec;
    }

    /** The directories searched, in order. */
    public List<Path> searchPath() {
        return source.searchPath();
    }

    /** Where downloads go: {@code $CNN4J_DATA/<name>} when set, else {@code <home>/.cnn4j/datasets/<name>}. */
    public Path downloadDir() {
        return source.downloadDir();
    }

    /** The base URL downloads use (builder, then environment, then spec), with a trailing slash. */
    public String effectiveBaseUrl() {
        return source.effectiveBaseUrl();
    }

    /** The directory holding all four files, downloading them first if no directory does. */
    public synchronized Path locate() throws IOException {
        if (located != null) return located;
        for (Path dir : searchPath()) {
            if (hasAll(dir)) return located = dir;
        }
        Path target = downloadDir();
        if (!source.download)
            throw new IOException(spec.name() + ": none of " + searchPath() + " holds all of " + spec.files()
                    + " (raw or .gz), and downloading is off");
        Files.createDirectories(target);
        for (String f : spec.files()) {
            if (find(target, f) == null) source.fetch(f + ".gz", target.resolve(f + ".gz"), spec.md5().get(f));
        }
        return located = target;
    }

    /** The training split (for Fashion-MNIST: 60,000 samples of 1x28x28). */
    public Dataset train() throws IOException {
        Path dir = locate();
        return load(spec.name() + " train", file(dir, spec.trainImages()), file(dir, spec.trainLabels()));
    }

    /** The test split (for Fashion-MNIST: 10,000 samples). */
    public Dataset test() throws IOException {
        Path dir = locate();
        return load(spec.name() + " test", file(dir, spec.testImages()), file(dir, spec.testLabels()));
    }

    /** Loads an images/labels pair of IDX files as a dataset with values in [0, 1] and shape {1, rows, cols}. */
    public static ByteImageDataset load(String name, Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        Idx.IdxImages images = Idx.readImages(imagesFile);
        byte[] raw = Idx.readLabels(labelsFile);
        if (raw.length != images.count())
            throw new DatasetFormatException(imagesFile, -1, "count mismatch: this images file holds " + images.count()
                    + " images but the labels file " + labelsFile + " holds " + raw.length + " labels");
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = raw[i] & 0xFF;
            if (labels[i] >= classNames.size())
                throw new DatasetFormatException(labelsFile, 8 + i, "label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classNames.size() + ")");
        }
        return new ByteImageDataset(name, images.pixels(), new int[] {1, images.rows(), images.cols()}, labels, classNames);
    }

    private ByteImageDataset load(String name, Path images, Path labels) throws IOException {
        return load(name, images, labels, spec.classNames());
    }

    private Path file(Path dir, String base) throws IOException {
        Path p = find(dir, base);
        if (p == null) throw new IOException(dir + ": " + base + " (or " + base + ".gz) has disappeared");
        return p;
    }

    private boolean hasAll(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        for (String f : spec.files()) if (find(dir, f) == null) return false;
        return true;
    }

    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        return null;
    }
}
