package org.cnn4j.data;

import com.sun.net.httpserver.HttpServer;
import org.cnn4j.io.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class IdxDatasetLoaderTest {
    static final int TRAIN = 12, TEST = 5, ROWS = 4, COLS = 3;

    @TempDir
    Path tmp;
    Path home, system;

    HttpServer server;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /** The four gzip files of a small synthetic dataset, by file name with .gz. */
    final Map<String, byte[]> gz = new HashMap<>();
    IdxDatasetSpec spec;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        system = tmp.resolve("system-none");
        gz.put("train-images-idx3-ubyte.gz", IdxFixtures.gzip(IdxFixtures.images(TRAIN, ROWS, COLS)));
        gz.put("train-labels-idx1-ubyte.gz", IdxFixtures.gzip(IdxFixtures.labels(TRAIN)));
        gz.put("t10k-images-idx3-ubyte.gz", IdxFixtures.gzip(IdxFixtures.images(TEST, ROWS, COLS)));
        gz.put("t10k-labels-idx1-ubyte.gz", IdxFixtures.gzip(IdxFixtures.labels(TEST)));
        Map<String, String> md5 = new HashMap<>();
        gz.forEach((k, v) -> md5.put(k.substring(0, k.length() - 3), IdxFixtures.md5(v)));

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            requests.add(name);
            byte[] body = served.get(name);
            try (ex) {
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(body);
                    }
                }
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        spec = FashionMnist.SPEC.withBaseUrl(url).withMd5(md5);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    IdxDatasetLoader.Builder loader(Map<String, String> env) {
        return IdxDatasetLoader.builder(spec).env(env).userHome(home).systemDir(system).timeout(Duration.ofSeconds(10));
    }

    void writeAll(Path dir, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        for (var e : gz.entrySet()) {
            if (gzip) Files.write(dir.resolve(e.getKey()), e.getValue());
            else {
                String raw = e.getKey().substring(0, e.getKey().length() - 3);
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(e.getValue()))) {
                    Files.write(dir.resolve(raw), in.readAllBytes());
                }
            }
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void checkTrain(Dataset train) {
        assertEquals(TRAIN, train.size());
        assertArrayEquals(new int[] {1, ROWS, COLS}, train.sampleShape());
        assertEquals(FashionMnist.CLASS_NAMES, train.classNames());
        float[] x = new float[ROWS * COLS];
        assertEquals(7, train.copySample(7, x, 0));
        for (int j = 0; j < x.length; j++) assertEquals(IdxFixtures.pixel(7, j) / 255f, x[j]);
    }

    // ------------------------------------------------------------ resolution

    @Test
    void resolutionOrder() throws IOException {
        Path explicit = tmp.resolve("explicit"), envRoot = tmp.resolve("envroot"), homeDir = home.resolve(".cnn4j/datasets/fashion-mnist");
        Path sys = tmp.resolve("sys");
        writeAll(sys, true);
        Map<String, String> env = Map.of("CNN4J_DATA", envRoot.toString());
        assertEquals(sys, loader(env).systemDir(sys).dataDir(explicit).build().locate());
        writeAll(homeDir, false);
        assertEquals(homeDir, loader(env).systemDir(sys).dataDir(explicit).build().locate());
        writeAll(envRoot.resolve("fashion-mnist"), true);
        assertEquals(envRoot.resolve("fashion-mnist"), loader(env).systemDir(sys).dataDir(explicit).build().locate());
        writeAll(explicit, false);
        IdxDatasetLoader l = loader(env).systemDir(sys).dataDir(explicit).build();
        assertEquals(explicit, l.locate());
        assertEquals(List.of(explicit, envRoot.resolve("fashion-mnist"), homeDir, sys), l.searchPath());
        // Without CNN4J_DATA and dataDir, the home copy is used.
        assertEquals(homeDir, loader(Map.of()).systemDir(sys).build().locate());
        assertTrue(requests.isEmpty(), "nothing downloaded when a copy exists");
        checkTrain(l.train());
        assertEquals(TEST, l.test().size());
    }

    @Test
    void incompleteDirectoryIsSkipped() throws IOException {
        Path explicit = tmp.resolve("explicit");
        writeAll(explicit, true);
        Files.delete(explicit.resolve("t10k-labels-idx1-ubyte.gz"));
        Path sys = tmp.resolve("sys");
        writeAll(sys, false);
        assertEquals(sys, loader(Map.of()).systemDir(sys).dataDir(explicit).build().locate());
    }

    @Test
    void noCopyAndNoDownloadListsWhereItLooked() {
        IOException e = assertThrows(IOException.class, () -> loader(Map.of()).download(false).build().locate());
        assertTrue(e.getMessage().contains(home.resolve(".cnn4j/datasets/fashion-mnist").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("downloading is off"), e.getMessage());
    }

    // ------------------------------------------------------------ downloads

    @Test
    void downloadsVerifiesAndLoads() throws IOException {
        served.putAll(gz);
        List<String> log = new ArrayList<>();
        IdxDatasetLoader l = loader(Map.of()).log(log::add).build();
        Path dir = l.locate();
        assertEquals(home.resolve(".cnn4j/datasets/fashion-mnist"), dir);
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), names(dir), "the four files and no temporary file");
        for (String n : gz.keySet()) assertArrayEquals(gz.get(n), Files.readAllBytes(dir.resolve(n)), n);
        assertEquals(4, requests.size());
        assertTrue(log.stream().anyMatch(s -> s.contains("MD5 verified")), log.toString());
        checkTrain(l.train());
        Dataset test = l.test();
        assertEquals(TEST, test.size());
        assertEquals(3, test.label(3));

        // A second loader finds them and downloads nothing.
        assertEquals(dir, loader(Map.of()).build().locate());
        assertEquals(4, requests.size());
    }

    @Test
    void downloadGoesToCnn4jDataAndUsesTheEnvUrl() throws IOException {
        served.putAll(gz);
        Path root = tmp.resolve("data-root");
        String url = spec.baseUrl();
        spec = spec.withBaseUrl("http://127.0.0.1:1/never-used/");
        IdxDatasetLoader l = loader(Map.of("CNN4J_DATA", root.toString(), "CNN4J_FASHION_MNIST_URL", url)).build();
        assertEquals(url, l.effectiveBaseUrl());
        assertEquals(root.resolve("fashion-mnist"), l.locate());
        assertEquals(4, names(root.resolve("fashion-mnist")).size());
        assertFalse(Files.exists(home.resolve(".cnn4j")), "home untouched");
    }

    @Test
    void onlyMissingFilesAreDownloaded() throws IOException {
        served.putAll(gz);
        Path dir = home.resolve(".cnn4j/datasets/fashion-mnist");
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gz.get("train-images-idx3-ubyte.gz"));
        loader(Map.of()).build().locate();
        assertEquals(3, requests.size());
        assertFalse(requests.contains("train-images-idx3-ubyte.gz"));
    }

    @Test
    void corruptedDownloadIsRejectedAndLeavesNothing() throws IOException {
        served.putAll(gz);
        byte[] bad = gz.get("train-labels-idx1-ubyte.gz").clone();
        bad[bad.length / 2] ^= 0x20;
        served.put("train-labels-idx1-ubyte.gz", bad);
        IOException e = assertThrows(IOException.class, () -> loader(Map.of()).build().locate());
        String expected = spec.md5().get("train-labels-idx1-ubyte");
        String msg = e.getMessage();
        assertTrue(msg.contains("checksum mismatch for train-labels-idx1-ubyte.gz"), msg);
        assertTrue(msg.contains("expected MD5 " + expected), msg);
        assertTrue(msg.contains("got " + IdxFixtures.md5(bad)), msg);
        Path dir = home.resolve(".cnn4j/datasets/fashion-mnist");
        assertFalse(Files.exists(dir.resolve("train-labels-idx1-ubyte.gz")), "no file that looks valid");
        assertTrue(names(dir).stream().noneMatch(n -> AtomicFiles.isTempFile(dir.resolve(n))), "no temporary file: " + names(dir));

        // Once the server is fixed, the next try completes the directory.
        served.put("train-labels-idx1-ubyte.gz", gz.get("train-labels-idx1-ubyte.gz"));
        checkTrain(loader(Map.of()).build().train());
    }

    @Test
    void http404IsAClearError() throws IOException {
        served.putAll(gz);
        served.remove("t10k-images-idx3-ubyte.gz");
        IOException e = assertThrows(IOException.class, () -> loader(Map.of()).build().locate());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(spec.baseUrl() + "t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("CNN4J_FASHION_MNIST_URL"), e.getMessage());
        Path dir = home.resolve(".cnn4j/datasets/fashion-mnist");
        assertFalse(Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz")));
        assertTrue(names(dir).stream().noneMatch(n -> n.endsWith(".tmp")), names(dir).toString());
    }

    @Test
    void unreachableServerIsAClearError() {
        IdxDatasetLoader l = loader(Map.of()).baseUrl("http://127.0.0.1:1/").timeout(Duration.ofSeconds(2)).build();
        IOException e = assertThrows(IOException.class, l::locate);
        assertTrue(e.getMessage().contains("http://127.0.0.1:1/"), e.getMessage());
    }

    // ------------------------------------------------------------ inconsistent files

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path dir = tmp.resolve("mismatch");
        writeAll(dir, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFixtures.labels(TRAIN - 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> loader(Map.of()).dataDir(dir).build().train());
        assertTrue(e.getMessage().contains(dir.resolve("train-images-idx3-ubyte").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("train-labels-idx1-ubyte").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("12 images") && e.getMessage().contains("11 labels"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileAndOffset() throws IOException {
        Path dir = tmp.resolve("badlabel");
        writeAll(dir, false);
        byte[] labels = IdxFixtures.labels(TRAIN);
        labels[8 + 5] = 10;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> loader(Map.of()).dataDir(dir).build().train());
        assertEquals(dir.resolve("train-labels-idx1-ubyte"), e.file());
        assertEquals(13, e.offset());
        assertTrue(e.getMessage().contains("label 10 of sample 5"), e.getMessage());
    }

    @Test
    void specDerivesEnvVarAndValidatesChecksums() {
        assertEquals("CNN4J_FASHION_MNIST_URL", FashionMnist.SPEC.urlEnvVar());
        assertEquals("CNN4J_MNIST_URL", Mnist.SPEC.urlEnvVar());
        assertEquals("http://x/", FashionMnist.SPEC.withBaseUrl("http://x").baseUrl());
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.SPEC.withMd5(Map.of("a", "XYZ")));
    }
}
