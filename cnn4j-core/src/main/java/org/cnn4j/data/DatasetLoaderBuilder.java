package org.cnn4j.data;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The options every downloading dataset loader ({@link IdxDatasetLoader}, {@link CifarLoader}) takes:
 * where to look for the files, where and how to download them. The environment, home directory, system
 * directory and HTTP client are injectable, so tests never touch the real {@code ~/.cnn4j}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class DatasetLoaderBuilder<B extends DatasetLoaderBuilder<B>> {
    Path dataDir;
    Map<String, String> env;
    Path userHome;
    Path systemDir;
    String baseUrl;
    boolean download = true;
    Duration timeout = Duration.ofSeconds(60);
    HttpClient httpClient;
    Consumer<String> log = s -> {};

    /** Only the loaders of this package extend it. */
    DatasetLoaderBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The directory to look in first (e.g. {@code --data-dir}); null for none. */
    public B dataDir(Path dir) {
        this.dataDir = dir;
        return self();
    }

    /** The environment to read {@code CNN4J_DATA} and the dataset's variables from (default: the process's). */
    public B env(Map<String, String> env) {
        this.env = env;
        return self();
    }

    /** The home directory holding {@code .cnn4j} (default: {@code user.home}). */
    public B userHome(Path home) {
        this.userHome = home;
        return self();
    }

    /** The system-wide directory (default {@code /usr/share/datasets/<name>}). */
    public B systemDir(Path dir) {
        this.systemDir = dir;
        return self();
    }

    /** Base URL to download from, overriding the spec's and the environment's. */
    public B baseUrl(String url) {
        this.baseUrl = url;
        return self();
    }

    /** Whether to download when no directory has the files (default true). */
    public B download(boolean download) {
        this.download = download;
        return self();
    }

    /** Connect timeout, and timeout for the response headers of each download (default 60 s). */
    public B timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return self();
    }

    /** The HTTP client to use (default: a new one following redirects). */
    public B httpClient(HttpClient client) {
        this.httpClient = client;
        return self();
    }

    /** Receives one-line progress notes ("downloading ..."); default: silent. */
    public B log(Consumer<String> log) {
        this.log = Objects.requireNonNull(log);
        return self();
    }
}
