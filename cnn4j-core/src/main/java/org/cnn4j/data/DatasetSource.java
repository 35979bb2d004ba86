package org.cnn4j.data;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one resolution order of the downloading loaders, fixed from a {@link DatasetLoaderBuilder}: the
 * explicit data directory, the dataset's own directory variable (when it has one), {@code $CNN4J_DATA/<name>},
 * {@code <home>/.cnn4j/datasets/<name>}, the system directory; downloads go to {@code $CNN4J_DATA/<name>}
 * when set, else {@code <home>/.cnn4j/datasets/<name>}, from the builder's URL, then the URL variable's,
 * then the spec's.
 */
final class DatasetSource {
    private final String name;
    private final String dirEnvVar;
    private final String urlEnvVar;
    private final String specBaseUrl;
    private final Path dataDir;
    private final Map<String, String> env;
    private final Path userHome;
    private final Path systemDir;
    private final String baseUrl;
    final boolean download;
    final Duration timeout;
    private final HttpClient httpClient;
    final Consumer<String> log;

    /**
     * @param dirEnvVar the variable naming the dataset's own directory, searched second; null for none
     * @param urlEnvVar the variable overriding the spec's base URL
     */
    DatasetSource(String name, String dirEnvVar, String urlEnvVar, String specBaseUrl, DatasetLoaderBuilder<?> b) {
        this.name = name;
        this.dirEnvVar = dirEnvVar;
        this.urlEnvVar = urlEnvVar;
        this.specBaseUrl = specBaseUrl;
        this.dataDir = b.dataDir;
        this.env = b.env != null ? Map.copyOf(b.env) : System.getenv();
        this.userHome = b.userHome != null ? b.userHome : Path.of(System.getProperty("user.home"));
        this.systemDir = b.systemDir != null ? b.systemDir : Path.of("/usr/share/datasets", name);
        this.baseUrl = b.baseUrl;
        this.download = b.download;
        this.timeout = b.timeout;
        this.httpClient = b.httpClient;
        this.log = b.log;
    }

    List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) dirs.add(dataDir);
        if (dirEnvVar != null) {
            String own = env.get(dirEnvVar);
            if (own != null && !own.isBlank()) dirs.add(Path.of(own));
        }
        String root = env.get("CNN4J_DATA");
        if (root != null && !root.isBlank()) dirs.add(Path.of(root).resolve(name));
        dirs.add(userHome.resolve(".cnn4j").resolve("datasets").resolve(name));
        dirs.add(systemDir);
        return dirs;
    }

    Path downloadDir() {
        String root = env.get("CNN4J_DATA");
        if (root != null && !root.isBlank()) return Path.of(root).resolve(name);
        return userHome.resolve(".cnn4j").resolve("datasets").resolve(name);
    }

    String effectiveBaseUrl() {
        String url = baseUrl;
        if (url == null) url = env.get(urlEnvVar);
        if (url == null || url.isBlank()) url = specBaseUrl;
        return url.endsWith("/") ? url : url + "/";
    }

    /** Downloads {@code file} from the effective base URL into {@code target}, verified against {@code md5} (nullable). */
    void fetch(String file, Path target, String md5) throws IOException {
        Downloads.fetch(Downloads.client(httpClient, timeout), URI.create(effectiveBaseUrl() + file), target, md5, timeout, log,
                "set " + urlEnvVar + " to a mirror, or put the files in one of " + searchPath());
    }
}
