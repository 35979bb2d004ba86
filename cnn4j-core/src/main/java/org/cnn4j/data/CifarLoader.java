package org.cnn4j.data;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Finds, downloads and loads CIFAR-10 or CIFAR-100 from the binary distribution described by a
 * {@link CifarSpec}.
 *
 * <p><b>Resolution</b> (the order of {@link IdxDatasetLoader}, with a dataset-specific variable second).
 * The record files ({@code data_batch_1.bin} ... {@code test_batch.bin}, or {@code train.bin} and
 * {@code test.bin}) are looked for in the first of these directories that holds all of them, either
 * directly or in the tarball's folder inside it ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}):
 * <ol>
 *   <li>the explicit {@link Builder#dataDir data directory}, when given;</li>
 *   <li>{@code $CNN4J_CIFAR10_DIR} / {@code $CNN4J_CIFAR100_DIR}, when set;</li>
 *   <li>{@code $CNN4J_DATA/<name>}, when {@code CNN4J_DATA} is set;</li>
 *   <li>{@code <user home>/.cnn4j/datasets/<name>};</li>
 *   <li>{@code /usr/share/datasets/<name>}.</li>
 * </ol>
 * Where none has them, the tarball is downloaded into {@code $CNN4J_DATA/<name>} when set, else
 * {@code <user home>/.cnn4j/datasets/<name>}, from the spec's base URL (overridden by
 * {@code CNN4J_CIFAR10_URL} / {@code CNN4J_CIFAR100_URL} or {@link Builder#baseUrl}), checked against the
 * official MD5 and written atomically; then the record files and class-name files are unpacked from it
 * with a bounded {@link TarReader} (each written atomically, checked to hold whole records) into
 * {@code <download dir>/<folder>/}, and the tarball is deleted. A verified tarball left by an interrupted
 * unpacking is reused rather than downloaded again.
 *
 * <p><b>Format errors</b> are {@link DatasetFormatException}s naming the file and byte offset: a file
 * that is not a whole number of records (truncated), a label out of range, a class-name file with the
 * wrong number of names.
 */
public final class CifarLoader {
    /** Which label of a CIFAR-100 record to use. */
    public enum Labels { FINE, COARSE }

    private static final TarReader.Limits TAR_LIMITS = new TarReader.Limits(512L << 20, 2L << 30, 1000, 4096);

    private final CifarSpec spec;
    private final DatasetSource source;
    private final Labels labels;
    private Path located;

    private CifarLoader(Builder b) {
        this.spec = b.spec;
        this.source = new DatasetSource(spec.name(), spec.dirEnvVar(), spec.urlEnvVar(), spec.baseUrl(), b);
        this.labels = b.labels;
    }

    public static Builder builder(CifarSpec spec) {
        return new Builder(spec);
    }

    /** The options of a {@link CifarLoader}: those of every loader, and which CIFAR-100 labels. */
    public static final class Builder extends DatasetLoaderBuilder<Builder> {
        private final CifarSpec spec;
        private Labels labels = Labels.FINE;

        private Builder(CifarSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** CIFAR-100: the fine (100 classes, default) or coarse (20 superclasses) labels; ignored for CIFAR-10. */
        public Builder labels(Labels labels) {
            this.labels = Objects.requireNonNull(labels);
            return this;
        }

        public CifarLoader build() {
            return new CifarLoader(this);
        }
    }

    public CifarSpec spec() {
        return spec;
    }

    /** The directories searched, in order (each directly and in its {@code <folder>/} subdirectory). */
    public List<Path> searchPath() {
        return source.searchPath();
    }

    /** Where the tarball goes: {@code $CNN4J_DATA/<name>} when set, else {@code <home>/.cnn4j/datasets/<name>}. */
    public Path downloadDir() {
        return source.downloadDir();
    }

    /** The base URL (builder, then environment, then spec), with a trailing slash. */
    public String effectiveBaseUrl() {
        return source.effectiveBaseUrl();
    }

    /** The directory holding all record files, downloading and unpacking the tarball first if none does. */
    public synchronized Path locate() throws IOException {
        if (located != null) return located;
        for (Path dir : searchPath()) {
            if (hasAll(dir)) return located = dir;
            if (hasAll(dir.resolve(spec.folder()))) return located = dir.resolve(spec.folder());
        }
        Path target = downloadDir();
        if (!source.download)
            throw new IOException(spec.name() + ": none of " + searchPath() + " holds all of " + spec.dataFiles()
                    + " (directly or in " + spec.folder() + "/), and downloading is off");
        Files.createDirectories(target);
        Path archive = target.resolve(spec.archive());
        if (Files.isRegularFile(archive) && spec.archiveMd5() != null && spec.archiveMd5().equals(Downloads.md5(archive))) {
            source.log.accept("reusing the verified " + archive);
        } else {
            source.fetch(spec.archive(), archive, spec.archiveMd5());
        }
        Path out = target.resolve(spec.folder());
        unpack(spec, archive, out);
        source.log.accept("unpacked " + spec.dataFiles().size() + " record files into " + out);
        Files.deleteIfExists(archive);
        return located = out;
    }

    /**
     * Unpacks the record files and class-name files of {@code spec} from the {@code .tar.gz}
     * {@code archive} into {@code dir}, each atomically; other members are skipped. Fails when a record
     * file is missing from the archive or does not hold whole records.
     */
    public static void unpack(CifarSpec spec, Path archive, Path dir) throws IOException {
        Set<String> wanted = new HashSet<>(spec.dataFiles());
        if (spec.fineNamesFile() != null) wanted.add(spec.fineNamesFile());
        if (spec.coarseNamesFile() != null) wanted.add(spec.coarseNamesFile());
        Set<String> found = new HashSet<>();
        try (InputStream raw = Files.newInputStream(archive);
             TarReader tar = new TarReader(new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16),
                     archive.toString(), TAR_LIMITS)) {
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                String base = e.baseName();
                if (!e.isFile() || !wanted.contains(base) || !found.add(base)) continue;
                if (spec.dataFiles().contains(base) && e.size() % spec.recordBytes() != 0)
                    throw new DatasetFormatException(archive, e.headerOffset(), "member " + e.name() + " has " + e.size()
                            + " bytes, not a whole number of " + spec.recordBytes() + "-byte records (offset of its tar header)");
                InputStream content = tar.content();
                AtomicFiles.write(dir.resolve(base), o -> content.transferTo(o));
            }
        } catch (java.util.zip.ZipException e) {
            throw new DatasetFormatException(archive, -1, "not a valid gzip file: " + e.getMessage(), e);
        }
        List<String> missing = spec.dataFiles().stream().filter(f -> !found.contains(f)).toList();
        if (!missing.isEmpty())
            throw new DatasetFormatException(archive, -1, "the archive lacks " + missing + " (expected under " + spec.folder() + "/)");
    }

    /** The training split (50,000 images for the official files). */
    public ByteImageDataset train() throws IOException {
        Path dir = locate();
        return load(spec.name() + " train", spec, dir, spec.trainFiles(), labels);
    }

    /** The test split (10,000 images for the official files). */
    public ByteImageDataset test() throws IOException {
        Path dir = locate();
        return load(spec.name() + " test", spec, dir, spec.testFiles(), labels);
    }

    /** The class names of the chosen labels: from the name file in {@code dir} when present, else built in. */
    public static List<String> classNames(CifarSpec spec, Path dir, Labels which) throws IOException {
        boolean coarse = which == Labels.COARSE && spec.labelBytes() == 2;
        String file = coarse ? spec.coarseNamesFile() : spec.fineNamesFile();
        List<String> builtIn = coarse ? spec.coarseNames() : spec.fineNames();
        if (file == null || !Files.isRegularFile(dir.resolve(file))) return builtIn;
        Path p = dir.resolve(file);
        if (Files.size(p) > 1 << 20) throw new DatasetFormatException(p, -1, "a class-name file of " + Files.size(p) + " bytes is implausible");
        List<String> names = Files.readAllLines(p, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != builtIn.size())
            throw new DatasetFormatException(p, -1, "expected " + builtIn.size() + " class names (one a line), found " + names.size());
        return names;
    }

    /** Loads record files of {@code spec} from {@code dir} into one dataset of {@code {3, 32, 32}} samples. */
    public static ByteImageDataset load(String name, CifarSpec spec, Path dir, List<String> files, Labels which) throws IOException {
        int rec = spec.recordBytes();
        long total = 0;
        long[] counts = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path p = dir.resolve(files.get(f));
            long size = Files.size(p);
            if (size == 0) throw new DatasetFormatException(p, 0, "empty file: expected " + rec + "-byte records");
            if (size % rec != 0)
                throw new DatasetFormatException(p, size / rec * rec, "truncated or corrupt: " + size + " bytes is " + size / rec
                        + " whole " + rec + "-byte records and " + size % rec + " bytes of an incomplete record starting here");
            counts[f] = size / rec;
            total += counts[f];
        }
        if (total * CifarSpec.IMAGE_BYTES > Integer.MAX_VALUE - 8)
            throw new IOException(name + ": " + total + " images do not fit in one array");
        List<String> classNames = classNames(spec, dir, which);
        int labelByte = which == Labels.COARSE || spec.labelBytes() == 1 ? 0 : 1;
        int numClasses = classNames.size();
        byte[] pixels = new byte[(int) total * CifarSpec.IMAGE_BYTES];
        int[] labels = new int[(int) total];
        byte[] record = new byte[rec];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            Path p = dir.resolve(files.get(f));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                for (long r = 0; r < counts[f]; r++, i++) {
                    int got = in.readNBytes(record, 0, rec);
                    if (got != rec) throw new DatasetFormatException(p, r * rec + got, "file shrank while reading");
                    for (int b = 0; b < spec.labelBytes(); b++) {
                        int limit = spec.labelBytes() == 2 && b == 0 ? spec.coarseNames().size() : spec.fineNames().size();
                        int v = record[b] & 0xFF;
                        if (v >= limit)
                            throw new DatasetFormatException(p, r * rec + b, (spec.labelBytes() == 2 ? (b == 0 ? "coarse " : "fine ") : "")
                                    + "label " + v + " of record " + r + " is outside [0, " + limit + ")");
                    }
                    labels[i] = record[labelByte] & 0xFF;
                    if (labels[i] >= numClasses)
                        throw new DatasetFormatException(p, r * rec + labelByte, "label " + labels[i] + " of record " + r
                                + " is outside [0, " + numClasses + ")");
                    System.arraycopy(record, spec.labelBytes(), pixels, i * CifarSpec.IMAGE_BYTES, CifarSpec.IMAGE_BYTES);
                }
            }
        }
        return new ByteImageDataset(name, pixels, new int[]{3, 32, 32}, labels, classNames);
    }

    private boolean hasAll(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        for (String f : spec.dataFiles()) if (!Files.isRegularFile(dir.resolve(f))) return false;
        return true;
    }
}
