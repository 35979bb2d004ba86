package org.cnn4j.data;

import com.sun.net.httpserver.HttpServer;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.TarFixtures;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CifarLoaderTest {
    @TempDir
    Path tmp;
    Path home, system;
    HttpServer server;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    String url;

    /** Pixel j (0..3071) of global record r: deterministic and varied. */
    static int pixel(int r, int j) {
        return (r * 31 + j * 7 + (j / 1024) * 50) & 0xFF;
    }

    /** {@code count} records starting at global record {@code first}; labels r % 10 (and coarse r % 20, fine (r * 3) % 100). */
    static byte[] records(int first, int count, int labelBytes) {
        int rec = labelBytes + 3072;
        byte[] b = new byte[count * rec];
        for (int i = 0; i < count; i++) {
            int r = first + i, o = i * rec;
            if (labelBytes == 1) b[o] = (byte) (r % 10);
            else {
                b[o] = (byte) (r % 20);
                b[o + 1] = (byte) ((r * 3) % 100);
            }
            for (int j = 0; j < 3072; j++) b[o + labelBytes + j] = (byte) pixel(r, j);
        }
        return b;
    }

    /** CIFAR-10 files: 3 records in each of the 5 training batches, 2 in the test batch, and the meta file. */
    static Map<String, byte[]> cifar10Files() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int k = 1; k <= 5; k++) m.put("data_batch_" + k + ".bin", records((k - 1) * 3, 3, 1));
        m.put("test_batch.bin", records(100, 2, 1));
        m.put("batches.meta.txt", String.join("\n", Cifar.CIFAR10_CLASSES.stream().map(String::toUpperCase).toList())
                .concat("\n\n").getBytes());
        return m;
    }

    static Map<String, byte[]> cifar100Files() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("train.bin", records(0, 4, 2));
        m.put("test.bin", records(50, 3, 2));
        return m;
    }

    static void write(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (var e : files.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
    }

    /** The tarball as the official one is laid out: everything under the folder, plus a readme. */
    static byte[] tarball(String folder, Map<String, byte[]> files) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(folder + "/readme.html", "<html>not needed</html>".getBytes());
        files.forEach((k, v) -> entries.put(folder + "/" + k, v));
        return TarFixtures.gzip(TarFixtures.tar(entries));
    }

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        system = tmp.resolve("system-none");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            requests.add(name);
            byte[] body = served.get(name);
            try (ex) {
                if (body == null) ex.sendResponseHeaders(404, -1);
                else {
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(body);
                    }
                }
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    CifarLoader.Builder loader(CifarSpec spec, Map<String, String> env) {
        return CifarLoader.builder(spec.withBaseUrl(url)).env(env).userHome(home).systemDir(system).timeout(Duration.ofSeconds(10));
    }

    static void checkSample(Dataset ds, int index, int record, int label) {
        float[] x = new float[3072];
        assertEquals(label, ds.copySample(index, x, 0));
        for (int j : new int[]{0, 1, 31, 32, 1023, 1024, 2047, 2048, 3071})
            assertEquals(pixel(record, j) / 255f, x[j], "record " + record + " byte " + j);
    }

    @Test
    void cifar10FromAnExplicitDirectory() throws IOException {
        Path dir = tmp.resolve("c10");
        write(dir, cifar10Files());
        CifarLoader l = loader(Cifar.CIFAR10, Map.of()).dataDir(dir).build();
        ByteImageDataset train = l.train(), test = l.test();
        assertEquals(15, train.size());
        assertEquals(2, test.size());
        assertArrayEquals(new int[]{3, 32, 32}, train.sampleShape());
        assertEquals(10, train.numClasses());
        assertEquals("AIRPLANE", train.classNames().getFirst(), "names from batches.meta.txt");
        checkSample(train, 0, 0, 0);
        checkSample(train, 7, 7, 7); // batch 3, record 1: files are read in order
        checkSample(train, 14, 14, 4);
        checkSample(test, 1, 101, 1);
        assertTrue(requests.isEmpty());

        Files.delete(dir.resolve("batches.meta.txt"));
        assertEquals(Cifar.CIFAR10_CLASSES, loader(Cifar.CIFAR10, Map.of()).dataDir(dir).build().train().classNames(),
                "built-in names without the meta file");
    }

    @Test
    void resolutionOrderAndTheTarballFolder() throws IOException {
        Path explicit = tmp.resolve("explicit"), own = tmp.resolve("own"), root = tmp.resolve("root");
        Path homeDir = home.resolve(".cnn4j/datasets/cifar-10"), sys = tmp.resolve("sys");
        Map<String, String> env = Map.of("CNN4J_CIFAR10_DIR", own.toString(), "CNN4J_DATA", root.toString());
        write(sys.resolve("cifar-10-batches-bin"), cifar10Files());
        assertEquals(sys.resolve("cifar-10-batches-bin"), loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build().locate());
        write(homeDir, cifar10Files());
        assertEquals(homeDir, loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build().locate());
        write(root.resolve("cifar-10"), cifar10Files());
        assertEquals(root.resolve("cifar-10"), loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build().locate());
        write(own.resolve("cifar-10-batches-bin"), cifar10Files());
        assertEquals(own.resolve("cifar-10-batches-bin"), loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build().locate());
        Map<String, byte[]> partial = cifar10Files();
        partial.remove("data_batch_4.bin");
        write(explicit, partial);
        assertEquals(own.resolve("cifar-10-batches-bin"), loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build().locate(),
                "an incomplete directory is skipped");
        write(explicit, cifar10Files());
        CifarLoader l = loader(Cifar.CIFAR10, env).systemDir(sys).dataDir(explicit).build();
        assertEquals(explicit, l.locate());
        assertEquals(List.of(explicit, own, root.resolve("cifar-10"), homeDir, sys), l.searchPath());
        assertEquals("CNN4J_CIFAR10_DIR", Cifar.CIFAR10.dirEnvVar());
        assertEquals("CNN4J_CIFAR100_URL", Cifar.CIFAR100.urlEnvVar());
        assertTrue(requests.isEmpty());
    }

    @Test
    void downloadsVerifiesUnpacksAndLoads() throws IOException {
        byte[] tgz = tarball("cifar-10-batches-bin", cifar10Files());
        served.put("cifar-10-binary.tar.gz", tgz);
        CifarSpec spec = Cifar.CIFAR10.withArchiveMd5(IdxFixtures.md5(tgz));
        List<String> log = new ArrayList<>();
        CifarLoader l = loader(spec, Map.of()).log(log::add).build();
        Path dir = l.locate();
        Path base = home.resolve(".cnn4j/datasets/cifar-10");
        assertEquals(base.resolve("cifar-10-batches-bin"), dir);
        assertEquals(List.of("cifar-10-batches-bin"), names(base), "the tarball is deleted after unpacking");
        assertEquals(List.of("batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"), names(dir), "only the needed members, no temporary files");
        assertTrue(log.stream().anyMatch(s -> s.contains("MD5 verified")), log.toString());
        checkSample(l.train(), 9, 9, 9);
        assertEquals(List.of("cifar-10-binary.tar.gz"), requests);
        assertEquals(dir, loader(spec, Map.of()).build().locate(), "found afterwards");
        assertEquals(1, requests.size());
    }

    @Test
    void corruptDownloadLeavesNothingAndTheEnvUrlIsUsed() throws IOException {
        byte[] tgz = tarball("cifar-10-batches-bin", cifar10Files());
        byte[] bad = tgz.clone();
        bad[bad.length / 2] ^= 0x10;
        served.put("cifar-10-binary.tar.gz", bad);
        CifarSpec spec = Cifar.CIFAR10.withArchiveMd5(IdxFixtures.md5(tgz)).withBaseUrl("http://127.0.0.1:1/never/");
        CifarLoader.Builder b = CifarLoader.builder(spec).env(Map.of("CNN4J_CIFAR10_URL", url)).userHome(home).systemDir(system);
        IOException e = assertThrows(IOException.class, () -> b.build().locate());
        assertTrue(e.getMessage().contains("checksum mismatch for cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("expected MD5 " + IdxFixtures.md5(tgz)), e.getMessage());
        Path base = home.resolve(".cnn4j/datasets/cifar-10");
        assertEquals(List.of(), names(base), "no file that looks valid, no temporary file");
        served.put("cifar-10-binary.tar.gz", tgz);
        assertEquals(15, b.build().train().size());
    }

    @Test
    void aVerifiedTarballIsReusedAndAnIncompleteOneIsRejected() throws IOException {
        byte[] tgz = tarball("cifar-10-batches-bin", cifar10Files());
        Path base = home.resolve(".cnn4j/datasets/cifar-10");
        Files.createDirectories(base);
        Files.write(base.resolve("cifar-10-binary.tar.gz"), tgz);
        CifarSpec spec = Cifar.CIFAR10.withArchiveMd5(IdxFixtures.md5(tgz));
        assertEquals(15, loader(spec, Map.of()).build().train().size());
        assertTrue(requests.isEmpty(), "nothing downloaded");

        Map<String, byte[]> lacking = cifar10Files();
        lacking.remove("test_batch.bin");
        Path a = tmp.resolve("lacking.tar.gz");
        Files.write(a, tarball("cifar-10-batches-bin", lacking));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarLoader.unpack(Cifar.CIFAR10, a, tmp.resolve("x")));
        assertTrue(e.getMessage().contains("lacks [test_batch.bin]"), e.getMessage());

        Map<String, byte[]> ragged = cifar10Files();
        ragged.put("data_batch_2.bin", java.util.Arrays.copyOf(ragged.get("data_batch_2.bin"), 3073 * 2 + 5));
        Path r = tmp.resolve("ragged.tar.gz");
        Files.write(r, tarball("cifar-10-batches-bin", ragged));
        DatasetFormatException re = assertThrows(DatasetFormatException.class, () -> CifarLoader.unpack(Cifar.CIFAR10, r, tmp.resolve("y")));
        assertTrue(re.getMessage().contains("data_batch_2.bin has 6151 bytes"), re.getMessage());
    }

    @Test
    void truncatedAndOutOfRangeFilesNameFileAndOffset() throws IOException {
        Path dir = tmp.resolve("trunc");
        Map<String, byte[]> files = cifar10Files();
        files.put("data_batch_3.bin", java.util.Arrays.copyOf(files.get("data_batch_3.bin"), 3073 * 2 + 100));
        write(dir, files);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> loader(Cifar.CIFAR10, Map.of()).dataDir(dir).build().train());
        assertEquals(dir.resolve("data_batch_3.bin"), e.file());
        assertEquals(3073 * 2, e.offset());
        assertTrue(e.getMessage().contains("incomplete record"), e.getMessage());

        Path dir2 = tmp.resolve("label");
        files = cifar10Files();
        files.get("test_batch.bin")[3073] = 10; // label of record 1
        write(dir2, files);
        DatasetFormatException l = assertThrows(DatasetFormatException.class,
                () -> loader(Cifar.CIFAR10, Map.of()).dataDir(dir2).build().test());
        assertEquals(dir2.resolve("test_batch.bin"), l.file());
        assertEquals(3073, l.offset());
        assertTrue(l.getMessage().contains("label 10 of record 1"), l.getMessage());

        Path dir3 = tmp.resolve("meta");
        files = cifar10Files();
        files.put("batches.meta.txt", "cat\ndog\n".getBytes());
        write(dir3, files);
        DatasetFormatException m = assertThrows(DatasetFormatException.class,
                () -> loader(Cifar.CIFAR10, Map.of()).dataDir(dir3).build().train());
        assertTrue(m.getMessage().contains("expected 10 class names") && m.getMessage().contains("found 2"), m.getMessage());
    }

    @Test
    void cifar100FineByDefaultCoarseOnRequest() throws IOException {
        Path dir = tmp.resolve("c100");
        write(dir.resolve("cifar-100-binary"), cifar100Files());
        ByteImageDataset fine = loader(Cifar.CIFAR100, Map.of()).dataDir(dir).build().train();
        assertEquals(4, fine.size());
        assertEquals(100, fine.numClasses());
        assertEquals(Cifar.CIFAR100_FINE_CLASSES, fine.classNames());
        float[] x = new float[3072];
        assertEquals(9, fine.copySample(3, x, 0));
        assertEquals(pixel(3, 2000) / 255f, x[2000]);
        ByteImageDataset coarse = loader(Cifar.CIFAR100, Map.of()).dataDir(dir).labels(CifarLoader.Labels.COARSE).build().test();
        assertEquals(20, coarse.numClasses());
        assertEquals(51 % 20, coarse.label(1));
        assertEquals(pixel(52, 5) / 255f, coarse.copySample(2, x, 0) >= 0 ? x[5] : -1);

        // Both labels are checked, whichever is used.
        Map<String, byte[]> files = cifar100Files();
        files.get("train.bin")[3074 * 2] = 20; // coarse label of record 2
        write(tmp.resolve("bad100"), files);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> loader(Cifar.CIFAR100, Map.of()).dataDir(tmp.resolve("bad100")).build().train());
        assertEquals(3074 * 2, e.offset());
        assertTrue(e.getMessage().contains("coarse label 20 of record 2"), e.getMessage());
    }

    @Test
    void builtInClassNames() {
        assertEquals(100, new HashSet<>(Cifar.CIFAR100_FINE_CLASSES).size());
        assertEquals(Cifar.CIFAR100_FINE_CLASSES.stream().sorted().toList(), Cifar.CIFAR100_FINE_CLASSES, "fine names are alphabetical");
        assertEquals(20, new HashSet<>(Cifar.CIFAR100_COARSE_CLASSES).size());
        assertEquals(Cifar.CIFAR100_COARSE_CLASSES.stream().sorted().toList(), Cifar.CIFAR100_COARSE_CLASSES);
        assertEquals(10, Cifar.CIFAR10_CLASSES.size());
        assertEquals(3073, Cifar.CIFAR10.recordBytes());
        assertEquals(3074, Cifar.CIFAR100.recordBytes());
    }

    static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<String> n = s.map(p -> p.getFileName().toString()).sorted().toList();
            for (String f : n) assertFalse(AtomicFiles.isTempFile(dir.resolve(f)), "temporary file " + f);
            return n;
        }
    }
}
