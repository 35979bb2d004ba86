package org.cnn4j.reliability;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.Cifar;
import org.cnn4j.data.CifarLoader;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.DatasetFormatException;
import org.cnn4j.data.Idx;
import org.cnn4j.data.ImageDecoder;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.io.SafeTensorsFormatException;
import org.cnn4j.io.TarFormatException;
import org.cnn4j.io.TarReader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.SGD;
import org.cnn4j.optim.schedule.Schedulers;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per row of the library's part of docs/errors.md: each bad input fails with the documented
 * exception, and its message says what was wrong, where (layer path, file and byte offset) and what is
 * valid (the fragments checked here).
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    record Row(String id, Class<? extends Throwable> type, Executable action, String... fragments) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Path file(String name, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return p;
    }

    static byte[] idx(int rank, int... dimsThenData) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * rank + Math.max(0, dimsThenData.length - rank)).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0, 0, 8, (byte) rank});
        for (int i = 0; i < rank; i++) b.putInt(dimsThenData[i]);
        for (int i = rank; i < dimsThenData.length; i++) b.put((byte) dimsThenData[i]);
        return b.array();
    }

    static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @BeforeAll
    static void folders() throws IOException {
        Files.createDirectories(tmp.resolve("folder-empty"));
        Files.createDirectories(tmp.resolve("folder-emptyclass/cats"));
        Files.writeString(tmp.resolve("folder-emptyclass/cats/readme.txt"), "no images here");
    }

    static List<Row> rows() throws IOException {
        List<Row> r = new ArrayList<>();
        // ---- shapes (forward): the layer path, the shapes and the rule
        r.add(new Row("shape: Linear in_features", IllegalArgumentException.class,
                () -> new Sequential(new Linear(4, 3)).call(zeros(2, 5)), "0 (Linear 4->3)", "[2, 5]", "[N, 4]"));
        r.add(new Row("shape: Conv2d channels", IllegalArgumentException.class,
                () -> new Sequential(new Conv2d(3, 8, 3)).call(zeros(1, 1, 8, 8)), "0 (Conv2d", "has 1 channels, expected 3"));
        r.add(new Row("shape: Conv2d rank", IllegalArgumentException.class,
                () -> new Conv2d(1, 8, 3).call(zeros(1, 8, 8)), "expected input [N, C, H, W], got [1, 8, 8]"));
        r.add(new Row("shape: Conv2d kernel larger than input", IllegalArgumentException.class,
                () -> new Conv2d(1, 2, 5).call(zeros(1, 1, 3, 3)), "kernel 5x5 is larger than the padded input"));
        r.add(new Row("shape: MaxPool2d window larger than input", IllegalArgumentException.class,
                () -> new MaxPool2d(4).call(zeros(1, 1, 3, 3)), "output size below 1 along H for input [1, 1, 3, 3]"));
        r.add(new Row("shape: FashionCNN on 32x32 input", IllegalArgumentException.class,
                () -> new FashionCNN().call(zeros(2, 1, 32, 32)), "fc1 (Linear 2304->600)", "[2, 3136]"));
        r.add(new Row("shape: BatchNorm2d features", IllegalArgumentException.class,
                () -> new Sequential(new BatchNorm2d(4)).call(zeros(2, 3, 2, 2)), "0 (BatchNorm2d", "[2, 3, 2, 2]"));
        r.add(new Row("shape: cross-entropy label out of range", IllegalArgumentException.class,
                () -> new CrossEntropyLoss().apply(zeros(2, 10), new int[] {3, 12}), "target 12 at row 1 is outside [0, 10)"));
        r.add(new Row("shape: cross-entropy label count", IllegalArgumentException.class,
                () -> new CrossEntropyLoss().apply(zeros(2, 10), new int[] {3}), "2 rows of logits but 1 targets"));
        r.add(new Row("shape: state dict shape", IllegalArgumentException.class,
                () -> new Linear(4, 3).loadStateDict(Map.of("weight", zeros(3, 5), "bias", zeros(3)), true),
                "'weight' has shape [3, 5], the model expects [3, 4]"));
        r.add(new Row("shape: state dict keys", IllegalArgumentException.class,
                () -> new Linear(4, 3).loadStateDict(Map.of("weight", zeros(3, 4), "b", zeros(3)), true),
                "missing keys [bias]", "unexpected keys [b]"));
        // ---- hyper-parameters (construction): the parameter, the value received and what is valid
        r.add(new Row("hyper: Conv2d channels", IllegalArgumentException.class, () -> new Conv2d(0, 8, 3), "channels must be positive", "0"));
        r.add(new Row("hyper: Conv2d stride", IllegalArgumentException.class, () -> new Conv2d(1, 8, 3, 0, 0), "stride must be positive"));
        r.add(new Row("hyper: Linear features", IllegalArgumentException.class, () -> new Linear(0, 3), "must be positive", "in_features=0"));
        r.add(new Row("hyper: Dropout p", IllegalArgumentException.class, () -> new Dropout(1.5f), "p must be in [0, 1)", "p=1.5"));
        r.add(new Row("hyper: MaxPool2d kernel", IllegalArgumentException.class, () -> new MaxPool2d(0), "kernel_size must be positive"));
        r.add(new Row("hyper: BatchNorm2d features", IllegalArgumentException.class, () -> new BatchNorm2d(0), "num_features=0"));
        r.add(new Row("hyper: optimizer lr", IllegalArgumentException.class,
                () -> new Adam(new Linear(1, 1).parameters(), -1f), "learning rate must be a positive number", "lr=-1.0"));
        r.add(new Row("hyper: Adam betas", IllegalArgumentException.class,
                () -> new Adam(new Linear(1, 1).parameters(), 1e-3f, 1f, 0.999f, 1e-8f, 0f), "betas must be in [0, 1)"));
        r.add(new Row("hyper: SGD nesterov", IllegalArgumentException.class,
                () -> new SGD(new Linear(1, 1).parameters(), 0.1f, 0f, 0f, 0f, true), "Nesterov momentum requires a momentum"));
        r.add(new Row("hyper: DataLoader batch size", IllegalArgumentException.class,
                () -> DataLoader.builder(ArrayDataset.of(new float[4], new int[] {1}, new int[4], 2)).batchSize(0), "batchSize must be >= 1", "batchSize=0"));
        r.add(new Row("hyper: Trainer epochs", IllegalArgumentException.class,
                () -> new Trainer(new Linear(1, 2), new SGD(new Linear(1, 2).parameters(), 0.1f)).fit(
                        DataLoader.builder(ArrayDataset.of(new float[4], new int[] {1}, new int[4], 2)).build(), null, 0), "epochs must be positive", "0"));
        r.add(new Row("hyper: Trainer clip norm", IllegalArgumentException.class,
                () -> new Trainer(new Linear(1, 2), new SGD(new Linear(1, 2).parameters(), 0.1f)).clipGradNorm(-1), "maxNorm", "-1.0"));
        r.add(new Row("hyper: schedule spec", IllegalArgumentException.class,
                () -> Schedulers.parse("step:x", new SGD(new Linear(1, 1).parameters(), 0.1f), 5, 10), "step"));
        // ---- IDX files: the file, the byte offset, what was expected and found
        r.add(new Row("IDX: wrong magic", DatasetFormatException.class, () -> Idx.readImages(file("magic.idx", new byte[] {1, 2, 3, 4, 0, 0, 0, 0})),
                "magic.idx", "wrong magic number: expected 00 00 08 03", "found 01 02 03 04", "(at byte offset 0)"));
        r.add(new Row("IDX: labels file as images", DatasetFormatException.class, () -> Idx.readImages(file("labels-as-images.idx", idx(1, 2, 1, 2))),
                "wrong IDX rank: expected 3", "a labels file?", "(at byte offset 3)"));
        r.add(new Row("IDX: truncated data", DatasetFormatException.class, () -> Idx.readImages(file("trunc.idx", idx(3, 2, 2, 2, 1, 2, 3))),
                "truncated: dimensions [2, 2, 2] need 8 bytes of data after the 16-byte header, but the file has only 3"));
        r.add(new Row("IDX: dimension overflow", DatasetFormatException.class,
                () -> Idx.readImages(file("huge.idx", idx(3, 100000, 100000, 100000))), "more than 2^31 bytes of data", "(at byte offset"));
        r.add(new Row("IDX: trailing bytes", DatasetFormatException.class, () -> Idx.readLabels(file("extra.idx", idx(1, 2, 1, 2, 3))),
                "unexpected bytes after the 2 data bytes", "(at byte offset 10)"));
        r.add(new Row("IDX: corrupt gzip", DatasetFormatException.class, () -> Idx.readLabels(file("corrupt.idx.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2})),
                "corrupt.idx.gz", "gzip"));
        // ---- CIFAR binary
        r.add(new Row("CIFAR: truncated record", DatasetFormatException.class, () -> {
            file("cifar-trunc/test_batch.bin", new byte[3073 + 100]);
            CifarLoader.load("t", Cifar.CIFAR10, tmp.resolve("cifar-trunc"), List.of("test_batch.bin"), CifarLoader.Labels.FINE);
        }, "test_batch.bin", "1 whole 3073-byte records and 100 bytes of an incomplete record", "(at byte offset 3073)"));
        r.add(new Row("CIFAR: label out of range", DatasetFormatException.class, () -> {
            byte[] d = new byte[2 * 3073];
            d[3073] = 10;
            file("cifar-label/test_batch.bin", d);
            CifarLoader.load("t", Cifar.CIFAR10, tmp.resolve("cifar-label"), List.of("test_batch.bin"), CifarLoader.Labels.FINE);
        }, "label 10 of record 1 is outside [0, 10)", "(at byte offset 3073)"));
        // ---- tar
        r.add(new Row("tar: not a tar (checksum)", TarFormatException.class, () -> {
            byte[] b = new byte[512];
            java.util.Arrays.fill(b, (byte) 'x');
            try (TarReader t = new TarReader(new ByteArrayInputStream(b), "x.tar", TarReader.Limits.DEFAULT)) {
                t.next();
            }
        }, "x.tar", "the checksum field is not octal", "(at byte offset 148 of the tar stream)"));
        // ---- images
        r.add(new Row("image: not an image", DatasetFormatException.class, () -> ImageDecoder.read(file("notes.png", "hello".getBytes()), 1),
                "notes.png", "not an image javax.imageio can read"));
        r.add(new Row("image: decompression bomb", DatasetFormatException.class,
                () -> ImageDecoder.read(file("bomb.gif", Files.readAllBytes(Path.of(BadInputTest.class.getResource("/fuzz/image/crash-gif-bomb-16000x16000").getPath()))), 3),
                "bomb.gif", "claims 16000x16000 = 256000000 pixels", "decompression bomb"));
        r.add(new Row("ImageFolder: no class folders", IOException.class, () -> ImageFolder.builder(tmp.resolve("folder-empty")).build(),
                "no class folders", "<class>/<image>"));
        r.add(new Row("ImageFolder: empty class", IOException.class, () -> ImageFolder.builder(tmp.resolve("folder-emptyclass")).build(),
                "class folder 'cats' holds no image", ".png"));
        // ---- model files
        r.add(new Row("safetensors: too short", SafeTensorsFormatException.class, () -> SafeTensors.read(file("short.safetensors", new byte[3])),
                "short.safetensors", "fewer than the 8-byte header length", "(at byte offset 0)"));
        r.add(new Row("safetensors: header length", SafeTensorsFormatException.class, () -> {
            byte[] b = safetensors("{}", 0);
            b[0] = 100;
            SafeTensors.read(file("hlen.safetensors", b));
        }, "header length 100 exceeds the 2 bytes that follow it", "(at byte offset 0)"));
        r.add(new Row("safetensors: bad JSON", SafeTensorsFormatException.class, () -> SafeTensors.read(file("json.safetensors", safetensors("{\"a\":}", 0))),
                "header is not valid JSON", "(at byte offset 13)"));
        r.add(new Row("safetensors: size mismatch", SafeTensorsFormatException.class, () -> SafeTensors.read(file("size.safetensors",
                        safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12))),
                "tensor \"w\"", "shape [2, 2] of F32 needs 16 bytes but data_offsets [0, 12] span 12"));
        r.add(new Row("safetensors: unknown dtype", SafeTensorsFormatException.class, () -> SafeTensors.read(file("dtype.safetensors",
                        safetensors("{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1))), "unknown dtype \"Q7\""));
        r.add(new Row("JSON: trailing comma", Json.ParseException.class, () -> Json.parse("{\"a\": 1,}"), "expected a string key but found '}' at offset 8"));
        r.add(new Row("JSON: duplicate key", Json.ParseException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"), "duplicate key \"a\" at offset 9"));
        r.add(new Row("JSON: nesting", Json.ParseException.class, () -> Json.parse("[".repeat(300)), "nesting deeper than 256"));
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void failsWithAMessageThatSaysWhatWhereAndWhatIsValid(Row row) {
        Throwable t = assertThrows(row.type(), row.action(), row.id());
        String m = t.getMessage();
        for (String f : row.fragments()) assertTrue(m != null && m.contains(f), row.id() + ": message lacks \"" + f + "\": " + m);
        System.out.println("| " + row.id() + " | " + t.getClass().getSimpleName() + " | " + (m == null ? "" : m.replace(tmp.toString(), "DIR").replace("|", "\\|")) + " |");
    }
}
