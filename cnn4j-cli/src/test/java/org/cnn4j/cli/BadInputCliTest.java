package org.cnn4j.cli;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.Zoo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI rows of docs/errors.md: every command, bad arguments and bad files. Each gives its exit code (2
 * usage, 3 data/file, 4 NaN/Inf, 5 memory), one error line naming the option or file, and no stack trace
 * unless {@code --debug}.
 */
class BadInputCliTest {
    @TempDir
    static Path tmp;
    static Path folder, fashion, dnnModel, cnnModel, garbageModel, notImage;

    @BeforeAll
    static void data() throws IOException {
        folder = tmp.resolve("shapes");
        for (int i = 0; i < 20; i++) { // 2 classes x 20 images of 8x8
            for (String cls : List.of("a", "b")) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, cls.equals("a") ? (x * 30) << 8 : (y * 30) + i);
                Files.createDirectories(folder.resolve(cls));
                ImageIO.write(img, "png", folder.resolve(cls + "/" + i + ".png").toFile());
            }
        }
        fashion = tmp.resolve("fashion");
        Files.createDirectories(fashion);
        idx(fashion.resolve("train-images-idx3-ubyte"), 64, true);
        idx(fashion.resolve("train-labels-idx1-ubyte"), 64, false);
        idx(fashion.resolve("t10k-images-idx3-ubyte"), 32, true);
        idx(fashion.resolve("t10k-labels-idx1-ubyte"), 32, false);
        dnnModel = tmp.resolve("dnn.safetensors");
        SafeTensors.write(dnnModel, Zoo.create("fashion-dnn", 10).stateDict(), Map.of("model", "fashion-dnn", "num_classes", "10"));
        cnnModel = tmp.resolve("cnn.safetensors");
        SafeTensors.write(cnnModel, Zoo.create("fashion-cnn", 10).stateDict(), Map.of("model", "fashion-cnn", "num_classes", "10"));
        garbageModel = Files.write(tmp.resolve("garbage.safetensors"), new byte[] {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        notImage = Files.writeString(tmp.resolve("notes.png"), "not a picture");
    }

    static void idx(Path file, int count, boolean images) throws IOException {
        int header = images ? 16 : 8, data = images ? count * 784 : count;
        ByteBuffer b = ByteBuffer.allocate(header + data);
        b.put(new byte[] {0, 0, 8, (byte) (images ? 3 : 1)}).putInt(count);
        if (images) b.putInt(28).putInt(28);
        for (int i = 0; i < data; i++) b.put((byte) (images ? i * 7 : i % 10));
        Files.write(file, b.array());
    }

    record Row(String id, int code, Function<Path, String[]> args, String... fragments) {
        @Override
        public String toString() {
            return id;
        }
    }

    static String[] a(String... s) {
        return s;
    }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        String fold = "folder:";
        // ---- usage errors: exit 2, the option, the value and what is valid
        r.add(new Row("cnn4j (no command)", 2, d -> a(), "missing command"));
        r.add(new Row("cnn4j no-such-command", 2, d -> a("no-such-command"), "Unmatched argument"));
        r.add(new Row("train --epochs 0", 2, d -> a("train", "--epochs", "0"), "'--epochs': 0 (must be a positive integer)"));
        r.add(new Row("train --batch-size -5", 2, d -> a("train", "--batch-size", "-5"), "'--batch-size': -5"));
        r.add(new Row("train --lr abc", 2, d -> a("train", "--lr", "abc"), "'--lr'", "'abc' is not a double"));
        r.add(new Row("train --lr 0", 2, d -> a("train", "--lr", "0"), "'--lr': 0.0 (must be a positive number)"));
        r.add(new Row("train --model nope", 2, d -> a("train", "--model", "nope"), "'nope' is not a known model; known: fashion-cnn"));
        r.add(new Row("train --optimizer lbfgs", 2, d -> a("train", "--optimizer", "lbfgs"), "--optimizer", "lbfgs"));
        r.add(new Row("train --dataset nope", 2, d -> a("train", "--dataset", "nope"), "'--dataset'", "nope"));
        r.add(new Row("train --val-split 1.5", 2, d -> a("train", "--val-split", "1.5"), "'--val-split': 1.5 (must be a fraction between 0 and 1"));
        r.add(new Row("train --clip-norm 0", 2, d -> a("train", "--clip-norm", "0"), "'--clip-norm': 0.0 (must be a positive number)"));
        r.add(new Row("train --clip-value -1", 2, d -> a("train", "--clip-value", "-1"), "'--clip-value': -1.0"));
        r.add(new Row("train --scheduler step:x", 2, d -> a("train", "--scheduler", "step:x"), "--scheduler: invalid scheduler 'step:x'"));
        r.add(new Row("train --workers -1", 2, d -> a("train", "--workers", "-1"), "'--workers': -1 (must be 0 or more)"));
        r.add(new Row("train --quiet --json", 2, d -> a("train", "--quiet", "--json"), "--quiet and --json exclude each other"));
        r.add(new Row("train --model vgg16 on 1x28x28 data", 2, d -> a("train", "--model", "vgg16", "--data-dir", fashion.toString(),
                "--out", d.resolve("r").toString()), "vgg16 cannot take Fashion-MNIST's [1, 28, 28] images", "at least 32x32"));
        r.add(new Row("summary --input-size 1,x,28", 2, d -> a("summary", "--input-size", "1,x,28"), "'--input-size': '1,x,28'", "e.g. 1,28,28"));
        r.add(new Row("summary --input-size 1,4,4", 2, d -> a("summary", "--input-size", "1,4,4"), "'--input-size': [1, 4, 4] does not fit fashion-cnn",
                "fashion-cnn needs an input of at least 8x8", "got 4x4"));
        r.add(new Row("summary --num-classes 0", 2, d -> a("summary", "--num-classes", "0"), "'--num-classes': 0"));
        r.add(new Row("evaluate (no --model-file)", 2, d -> a("evaluate"), "Missing required option: '--model-file=FILE'"));
        r.add(new Row("evaluate --batch-size 0", 2, d -> a("evaluate", "--model-file", dnnModel.toString(), "--batch-size", "0"), "'--batch-size': 0"));
        r.add(new Row("samples --split nope", 2, d -> a("samples", "--out", d.resolve("s.png").toString(), "--split", "nope"), "'--split': 'nope' (train or test)"));
        r.add(new Row("samples --rows 1000 --cols 1000", 2, d -> a("samples", "--out", d.resolve("s.png").toString(), "--rows", "1000", "--cols", "1000"),
                "--rows x --cols must be at most 10,000"));
        r.add(new Row("filter without --kernel/--pool", 2, d -> a("filter", notImage.toString(), d.resolve("o.png").toString()), "give --kernel, --pool or both"));
        r.add(new Row("filter --kernel nonsense", 2, d -> a("filter", notImage.toString(), d.resolve("o.png").toString(), "--kernel", "nonsense"), "'--kernel'"));
        r.add(new Row("featuremaps --index 99999", 2, d -> a("featuremaps", "--model-file", cnnModel.toString(), "--index", "99999",
                "--data-dir", fashion.toString(), "--out", d.resolve("f.png").toString()), "'--index': 99999", "the test set has 32"));
        // ---- data and file errors: exit 3, the file and (for formats) the byte offset
        r.add(new Row("train --dataset folder:<missing>", 3, d -> a("train", "--dataset", fold + d.resolve("missing"), "--out", d.resolve("r").toString()),
                "missing", "is not a directory"));
        r.add(new Row("train --data-dir with a corrupt IDX file", 3, d -> {
            try {
                Path bad = d.resolve("bad-fashion");
                Files.createDirectories(bad);
                for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
                    Files.copy(fashion.resolve(f), bad.resolve(f));
                Files.write(bad.resolve("train-images-idx3-ubyte"), Files.readAllBytes(fashion.resolve("train-images-idx3-ubyte")).length > 0
                        ? java.util.Arrays.copyOf(Files.readAllBytes(fashion.resolve("train-images-idx3-ubyte")), 1000) : new byte[0]);
                return a("train", "--data-dir", bad.toString(), "--out", d.resolve("r").toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "train-images-idx3-ubyte: truncated", "(at byte offset"));
        r.add(new Row("train --out under a file", 3, d -> {
            try {
                Files.writeString(d.resolve("afile"), "x");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return a("train", "--dataset", fold + folder, "--out", d.resolve("afile/run").toString());
        }, "afile"));
        r.add(new Row("train --out /proc/... (not writable)", 3, d -> a("train", "--dataset", fold + folder, "--out", "/proc/cnn4j-run"),
                "cannot create the run directory /proc/cnn4j-run"));
        r.add(new Row("train --out holding a run", 3, d -> {
            try {
                Files.createDirectories(d.resolve("old"));
                Files.writeString(d.resolve("old/metrics.json"), "{}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return a("train", "--dataset", fold + folder, "--out", d.resolve("old").toString());
        }, "already holds metrics.json", "--overwrite"));
        r.add(new Row("evaluate --model-file <missing>", 3, d -> a("evaluate", "--model-file", d.resolve("none.safetensors").toString()),
                "no such file or directory", "none.safetensors"));
        r.add(new Row("evaluate --model-file <directory>", 3, d -> a("evaluate", "--model-file", d.toString()), "is a directory; pass the model file"));
        r.add(new Row("evaluate --model-file <garbage>", 3, d -> a("evaluate", "--model-file", garbageModel.toString()),
                "garbage.safetensors: header length", "(at byte offset 0)"));
        r.add(new Row("evaluate fashion-dnn weights as fashion-cnn", 3, d -> a("evaluate", "--model-file", dnnModel.toString(), "--model", "fashion-cnn",
                "--data-dir", fashion.toString()), "does not hold fashion-cnn weights", "missing keys"));
        r.add(new Row("filter <not an image>", 3, d -> a("filter", notImage.toString(), d.resolve("o.png").toString(), "--kernel", "sobel-x"),
                "notes.png: not an image javax.imageio can read"));
        r.add(new Row("filter <missing input>", 3, d -> a("filter", d.resolve("none.png").toString(), d.resolve("o.png").toString(), "--kernel", "sobel-x"),
                "none.png"));
        r.add(new Row("featuremaps --image <not an image>", 3, d -> a("featuremaps", "--model-file", dnnModel.toString(), "--image", notImage.toString(),
                "--out", d.resolve("f.png").toString()), "notes.png: not an image"));
        // ---- NaN/Inf: exit 4
        r.add(new Row("train --lr 1e30 (loss becomes NaN)", 4, d -> a("train", "--dataset", fold + folder, "--optimizer", "sgd", "--momentum", "0",
                "--lr", "1e30", "--batch-size", "10", "--epochs", "2", "--no-pictures", "--out", d.resolve("r").toString()), "loss is", "try a lower learning rate"));
        r.add(new Row("train --lr 1e30 --detect-anomaly", 4, d -> a("train", "--dataset", fold + folder, "--optimizer", "sgd", "--momentum", "0",
                "--lr", "1e30", "--batch-size", "10", "--epochs", "2", "--no-pictures", "--detect-anomaly", "--out", d.resolve("r").toString()),
                "anomaly at epoch 1, batch", "parameter"));
        // ---- memory: exit 5
        r.add(new Row("train --batch-size 100000000", 5, d -> a("train", "--dataset", fold + folder, "--batch-size", "100000000", "--no-pictures",
                "--out", d.resolve("r").toString()), "not enough memory: training FashionCNN with batches of 100000000", "largest batch that fits is"));
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void exitCodeAndOneLine(Row row, @TempDir Path dir) {
        MainTest.Run run = MainTest.run(row.args().apply(dir));
        assertEquals(row.code(), run.code(), row.id() + ": " + run.err());
        String err = run.err();
        for (String f : row.fragments()) assertTrue(err.contains(f), row.id() + ": stderr lacks \"" + f + "\": " + err);
        assertFalse(err.contains("\tat org.") || err.contains("Exception in thread"), row.id() + ": a stack trace without --debug: " + err);
        String firstError = err.lines().filter(l -> l.startsWith("cnn4j: error:") || l.contains("Invalid value") || l.contains("Missing")
                || l.contains("Unmatched") || l.contains("missing command") || l.contains("exclude") || l.contains("--")).findFirst().orElse("");
        assertFalse(firstError.isEmpty(), row.id() + ": no error line: " + err);
        String shown = err.lines().filter(l -> l.startsWith("cnn4j: error:")).findFirst().orElse(err.lines().findFirst().orElse(""));
        System.out.println("| `" + row.id() + "` | " + run.code() + " | " + shown.replace(tmp.toString(), "DIR")
                .replace(dir.toString(), "DIR").replace("|", "\\|") + " |");
    }

    @Test
    void debugAddsTheStackTrace(@TempDir Path dir) {
        MainTest.Run plain = MainTest.run("evaluate", "--model-file", garbageModel.toString());
        MainTest.Run debug = MainTest.run("evaluate", "--model-file", garbageModel.toString(), "--debug");
        assertEquals(3, plain.code());
        assertEquals(3, debug.code());
        assertEquals(1, plain.err().lines().filter(l -> l.startsWith("cnn4j: error:")).count(), plain.err());
        assertFalse(plain.err().contains("\tat "), plain.err());
        assertTrue(debug.err().contains("SafeTensorsFormatException") && debug.err().contains("\tat org.cnn4j.io.SafeTensors"), debug.err());
    }
}
