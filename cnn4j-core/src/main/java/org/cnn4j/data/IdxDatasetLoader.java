package org.cnn4j.data;

import org.cnn4j.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
 * <p>The environment, home directory, system directory and HTTP client are injectable, so tests never
 * touch the real {@code ~/.cnn4j}.
 */
public final class IdxDatasetLoader {
    private final IdxDatasetSpec spec;
    private final Path dataDir;
    private final Map<String, String> env;
    private final Path userHome;
    private final Path systemDir;
    private final String baseUrl;
    private final boolean download;
    private final Duration timeout;
    private final HttpClient httpClient;
    private final Consumer<String> log;
    private Path located;

    private IdxDatasetLoader(Builder b) {
        this.spec = b.spec;
        this.dataDir = b.dataDir;
        this.env = b.env != null ? Map.copyOf(b.env) : System.getenv();
        this.userHome = b.userHome != null ? b.userHome : Path.of(System.getProperty("user.home"));
        this.systemDir = b.systemDir != null ? b.systemDir : Path.of("/usr/share/datasets", spec.name());
        this.baseUrl = b.baseUrl;
        this.download = b.download;
        this.timeout = b.timeout;
        this.httpClient = b.httpClient;
        this.log = b.log;
    }

    public static Builder builder(IdxDatasetSpec spec) {
        return new Builder(spec);
    }

    public static final class Builder {
        private final IdxDatasetSpec spec;
        private Path dataDir;
        private Map<String, String> env;
        private Path userHome;
        private Path systemDir;
        private String baseUrl;
        private boolean download = true;
        private Duration timeout = Duration.ofSeconds(60);
        private HttpClient httpClient;
        private Consumer<String> log = s -> {};

        private Builder(IdxDatasetSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** The directory to look in first (e.g. {@code --data-dir}); null for none. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** The environment to read {@code CNN4J_DATA} and the URL override from (default: the process's). */
        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        /** The home directory holding {@code .cnn4j} (default: {@code user.home}). */
        public Builder userHome(Path home) {
            this.userHome = home;
            return this;
        }

        /** The system-wide directory (default {@code /usr/share/datasets/<name>}). */
        public Builder systemDir(Path dir) {
            this.systemDir = dir;
            return this;
        }

        /** Base URL to download from, overriding the spec's and the environment's. */
        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        /** Whether to download when no directory has the files (default true). */
        public Builder download(boolean download) {
            this.download = download;
            return this;
        }

        /** Connect timeout, and timeout for the response headers of each download (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The HTTP client to use (default: a new one following redirects). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /** Receives one-line progress notes ("downloading ..."); default: silent. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log);
            return this;
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
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) dirs.add(dataDir);
        String root = env.get("CNN4J_DATA");
        if (root != null && !root.isBlank()) dirs.add(Path.of(root).resolve(spec.name()));
        dirs.add(userHome.resolve(".cnn4j").resolve("datasets").resolve(spec.name()));
        dirs.add(systemDir);
        return dirs;
    }

    /** Where downloads go: {@code $CNN4J_DATA/<name>} when set, else {@code <home>/.cnn4j/datasets/<name>}. */
    public Path downloadDir() {
        String root = env.get("CNN4J_DATA");
        if (root != null && !root.isBlank()) return Path.of(root).resolve(spec.name());
        return userHome.resolve(".cnn4j").resolve("datasets").resolve(spec.name());
    }

    /** The base URL downloads use (builder, then environment, then spec), with a trailing slash. */
    public String effectiveBaseUrl() {
        String url = baseUrl;
        if (url == null) url = env.get(spec.urlEnvVar());
        if (url == null || url.isBlank()) url = spec.baseUrl();
        return url.endsWith("/") ? url : url + "/";
    }

    /** The directory holding all four files, downloading them first if no directory does. */
    public synchronized Path locate() throws IOException {
        if (located != null) return located;
        for (Path dir : searchPath()) {
            if (hasAll(dir)) return located = dir;
        }
        Path target = downloadDir();
        if (!download)
            throw new IOException(spec.name() + ": none of " + searchPath() + " holds all of " + spec.files()
                    + " (raw or .gz), and downloading is off");
        Files.createDirectories(target);
        for (String f : spec.files()) {
            if (find(target, f) == null) fetch(f, target);
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

    private HttpClient client() {
        if (httpClient != null) return httpClient;
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Downloads {@code <base>.gz} into {@code dir}, verifying its MD5, atomically. */
    private void fetch(String base, Path dir) throws IOException {
        String name = base + ".gz";
        URI uri = URI.create(effectiveBaseUrl() + name);
        Path target = dir.resolve(name);
        String expected = spec.md5().get(base);
        log.accept("downloading " + uri + " -> " + target);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        } catch (IOException e) {
            throw new IOException("downloading " + uri + " failed: " + e, e);
        }
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200)
                throw new IOException("downloading " + uri + " failed: HTTP " + resp.statusCode()
                        + " (set " + spec.urlEnvVar() + " to a mirror, or put the files in one of " + searchPath() + ")");
            MessageDigest md = md5();
            AtomicFiles.write(target, out -> {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int r; (r = body.read(buf)) >= 0; ) {
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    total += r;
                }
                String actual = HexFormat.of().formatHex(md.digest());
                if (expected != null && !expected.equals(actual))
                    throw new IOException("checksum mismatch for " + name + " downloaded from " + uri + " (" + total
                            + " bytes): expected MD5 " + expected + ", got " + actual + "; the download was discarded");
            });
        }
        log.accept("downloaded " + target + (expected != null ? " (MD5 verified)" : ""));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
