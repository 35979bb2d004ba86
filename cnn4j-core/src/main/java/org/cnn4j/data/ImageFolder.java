package org.cnn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Images in one folder per class, as torchvision's {@code ImageFolder}: {@code root/<class>/<image>}, the
 * classes being the subfolders of {@code root} sorted by name (label 0 is the first), the images every PNG,
 * JPEG, BMP or GIF file below a class folder (by extension, case-insensitive; other files are ignored),
 * sorted by path.
 *
 * <p>Images are decoded once, when the dataset is built (several threads), converted to gray or RGB
 * ({@link ImageDecoder}), resized bilinearly to the requested size ({@link ImageResize}, rounded back to
 * 8 bits) and kept as bytes; samples are {@code C x H x W} floats in [0, 1] ({@code value / 255}). Without
 * a size all images must have the size of the first.
 *
 * <p>A file that cannot be decoded is an error naming it ({@link DatasetFormatException}), or, with
 * {@link Builder#skipCorrupt(boolean) skipCorrupt(true)}, is left out with a warning to the
 * {@link Builder#log log} and listed in {@link #skipped()}. {@link #classNames()} are the folder names
 * (what a saved model's metadata should record). {@link Builder#buildSplit()} reads a
 * {@code root/train} + {@code root/val} layout; {@link Datasets#stratifiedSplit} splits one folder by a
 * fraction.
 */
public final class ImageFolder implements Dataset {
    /** File extensions read (lower case, without the dot). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** A file left out by {@code skipCorrupt(true)}, and why. */
    public record Skipped(Path file, String reason) {}

    /** The two parts of a {@code root/train} + {@code root/val} layout, with the training classes. */
    public record Split(ImageFolder train, ImageFolder val) {}

    private final Path root;
    private final ByteImageDataset data;
    private final List<Path> files;
    private final List<Skipped> skipped;

    private ImageFolder(Path root, ByteImageDataset data, List<Path> files, List<Skipped> skipped) {
        this.root = root;
        this.data = data;
        this.files = List.copyOf(files);
        this.skipped = List.copyOf(skipped);
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Whether {@code root} has the {@code train} and {@code val} (or {@code validation}) subfolders of a split layout. */
    public static boolean hasSplitFolders(Path root) {
        return Files.isDirectory(root.resolve("train")) && valFolder(root) != null;
    }

    private static Path valFolder(Path root) {
        for (String n : List.of("val", "validation")) if (Files.isDirectory(root.resolve(n))) return root.resolve(n);
        return null;
    }

    public static final class Builder {
        private final Path root;
        private int height = -1, width = -1;
        private int channels = 3;
        private boolean skipCorrupt;
        private Consumer<String> log = s -> {};
        private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** Resize every image to {@code height x width} (bilinear); default: keep the size, which all images must share. */
        public Builder size(int height, int width) {
            if (height < 1 || width < 1)
                throw new IllegalArgumentException("image size must be positive. Received: " + height + "x" + width);
            this.height = height;
            this.width = width;
            return this;
        }

        /** Gray (1 channel) instead of RGB (3 channels, the default). */
        public Builder grayscale(boolean gray) {
            this.channels = gray ? 1 : 3;
            return this;
        }

        /** 1 (gray) or 3 (RGB) channels. */
        public Builder channels(int channels) {
            if (channels != 1 && channels != 3)
                throw new IllegalArgumentException("channels must be 1 (grayscale) or 3 (RGB). Received: " + channels);
            this.channels = channels;
            return this;
        }

        /** Leave out files that cannot be decoded, with a warning, instead of failing (default false). */
        public Builder skipCorrupt(boolean skip) {
            this.skipCorrupt = skip;
            return this;
        }

        /** Receives warnings (skipped files); default: silent. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        /** Decoding threads (default: up to 4). */
        public Builder threads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1. Received: " + threads);
            this.threads = threads;
            return this;
        }

        /** Reads {@code root/<class>/...}. */
        public ImageFolder build() throws IOException {
            List<String> classes = classFolders(root);
            return load(root, classes, classes);
        }

        /**
         * Reads {@code root/train/<class>/...} and {@code root/val/<class>/...} (or {@code root/validation}). The
         * classes are the training folders; the validation part may lack some but must not have others.
         */
        public Split buildSplit() throws IOException {
            Path train = root.resolve("train"), val = valFolder(root);
            if (!Files.isDirectory(train) || val == null)
                throw new IOException(root + ": expected the subfolders train/ and val/ (or validation/) of a split layout");
            List<String> classes = classFolders(train);
            List<String> valClasses = classFolders(val);
            List<String> unknown = valClasses.stream().filter(c -> !classes.contains(c)).toList();
            if (!unknown.isEmpty())
                throw new IOException(val + ": class folders " + unknown + " do not exist in " + train + " (classes there: " + classes + ")");
            return new Split(load(train, classes, classes), load(val, classes, valClasses));
        }

        private ImageFolder load(Path dir, List<String> classNames, List<String> present) throws IOException {
            List<Path> candidates = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (String cls : present) {
                Path folder = dir.resolve(cls);
                List<Path> images = imagesIn(folder);
                if (images.isEmpty())
                    throw new IOException(folder + ": class folder '" + cls + "' holds no image (" + String.join(", ", sortedExtensions())
                            + ")");
                for (Path p : images) {
                    candidates.add(p);
                    labels.add(classNames.indexOf(cls));
                }
            }
            ImageDecoder.Pixels[] decoded = new ImageDecoder.Pixels[candidates.size()];
            DatasetFormatException[] failures = new DatasetFormatException[candidates.size()];
            decodeAll(candidates, decoded, failures);

            List<Path> kept = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            List<Integer> keptLabels = new ArrayList<>();
            List<ImageDecoder.Pixels> keptPixels = new ArrayList<>();
            for (int i = 0; i < decoded.length; i++) {
                if (failures[i] != null) {
                    if (!skipCorrupt) throw failures[i];
                    String reason = failures[i].getMessage().substring(candidates.get(i).toString().length() + 2);
                    skipped.add(new Skipped(candidates.get(i), reason));
                    log.accept("warning: skipping " + candidates.get(i) + ": " + reason);
                    continue;
                }
                kept.add(candidates.get(i));
                keptLabels.add(labels.get(i));
                keptPixels.add(decoded[i]);
            }
            if (kept.isEmpty()) throw new IOException(dir + ": no readable image in " + candidates.size() + " files");
            int h = height, w = width;
            if (h < 0) {
                h = keptPixels.getFirst().height();
                w = keptPixels.getFirst().width();
            }
            int sample = channels * h * w;
            if ((long) sample * kept.size() > Integer.MAX_VALUE - 8)
                throw new IOException(dir + ": " + kept.size() + " images of " + channels + "x" + h + "x" + w + " do not fit in one array");
            byte[] pixels = new byte[sample * kept.size()];
            int[] y = new int[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                ImageDecoder.Pixels p = keptPixels.get(i);
                if (height < 0 && (p.height() != h || p.width() != w))
                    throw new DatasetFormatException(kept.get(i), -1, "is " + p.height() + "x" + p.width() + " but " + kept.getFirst()
                            + " is " + h + "x" + w + "; give a size to resize every image to");
                System.arraycopy(p.data(), 0, pixels, i * sample, sample);
                y[i] = keptLabels.get(i);
            }
            ByteImageDataset data = new ByteImageDataset("ImageFolder " + dir, pixels, new int[]{channels, h, w}, y, classNames);
            return new ImageFolder(dir, data, kept, skipped);
        }

        private void decodeAll(List<Path> files, ImageDecoder.Pixels[] out, DatasetFormatException[] failures) throws IOException {
            if (files.isEmpty()) return;
            int n = Math.min(threads, files.size());
            ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "cnn4j-imagefolder");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    int first = k;
                    jobs.add(pool.submit(() -> {
                        for (int i = first; i < files.size(); i += n) {
                            try {
                                ImageDecoder.Pixels p = ImageDecoder.read(files.get(i), channels);
                                out[i] = height > 0 ? ImageDecoder.resize(p, height, width) : p;
                            } catch (DatasetFormatException e) {
                                failures[i] = e;
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while decoding images under " + root);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<String> sortedExtensions() {
        return EXTENSIONS.stream().sorted().map(e -> "." + e).toList();
    }

    /** The class folders of {@code dir}: its non-hidden subdirectories, sorted by name. */
    static List<String> classFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a directory of class folders");
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
        if (names.isEmpty()) throw new IOException(dir + ": no class folders (expected " + dir + "/<class>/<image>)");
        return names;
    }

    private static List<Path> imagesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                int dot = n.lastIndexOf('.');
                return !n.startsWith(".") && dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
            }).sorted().toList();
        }
    }

    /** The folder read. */
    public Path root() {
        return root;
    }

    /** The image file of each sample, by index. */
    public List<Path> files() {
        return files;
    }

    /** The file of sample {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    /** Files left out as unreadable (empty unless {@code skipCorrupt(true)}). */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** How many samples each class has, by label. */
    public int[] classCounts() {
        int[] c = new int[numClasses()];
        for (int i = 0; i < size(); i++) c[label(i)]++;
        return c;
    }

    /** Class name to label, as torchvision's {@code class_to_idx}. */
    public Map<String, Integer> classToIndex() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < classNames().size(); i++) m.put(classNames().get(i), i);
        return Collections.unmodifiableMap(m);
    }

    @Override public int size() { return data.size(); }
    @Override public int[] sampleShape() { return data.sampleShape(); }
    @Override public int sampleSize() { return data.sampleSize(); }
    @Override public int numClasses() { return data.numClasses(); }
    @Override public List<String> classNames() { return data.classNames(); }
    @Override public int copySample(int index, float[] dst, int dstOffset) { return data.copySample(index, dst, dstOffset); }
    @Override public int label(int index) { return data.label(index); }

    /** The raw 8-bit value of element {@code j} of sample {@code index}. */
    public int rawByte(int index, int j) {
        return data.rawByte(index, j);
    }

    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + size() + " x " + org.cnn4j.tensor.Shape.str(sampleShape()) + ", " + numClasses() + " classes"
                + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped") + ")";
    }
}
