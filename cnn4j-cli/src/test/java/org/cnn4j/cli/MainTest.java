package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the CLI in-process, as {@code bin/cnn4j} would, with captured stdout and stderr. */
class MainTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assumeFashionMnist() {
        assumeTrue(Files.exists(FASHION.resolve("train-images-idx3-ubyte.gz")) || Files.exists(FASHION.resolve("train-images-idx3-ubyte")),
                "Fashion-MNIST not installed in " + FASHION + " (apt-get install dataset-fashion-mnist)");
    }

    @Test
    void summaryPrintsTheTorchsummaryTotals() {
        Run r = run("summary", "--model", "fashion-cnn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 1,475,338\n"), r.out());
        assertTrue(r.out().contains("Trainable params: 1,475,338\n"), r.out());
        assertTrue(r.out().contains("Non-trainable params: 0\n"), r.out());
        assertTrue(r.out().contains("            Conv2d-1           [-1, 32, 28, 28]             320"), r.out());
        assertTrue(r.out().contains("Estimated Total Size (MB): 6.49\n"), r.out());

        Run dnn = run("summary", "--model", "fashion-dnn", "--input-size", "1,28,28");
        assertEquals(0, dnn.code(), dnn.err());
        assertTrue(dnn.out().contains("Total params: 235,146\n"), dnn.out());
    }

    @Test
    void usageErrorsExitWith2() {
        Run unknown = run("train", "--no-such-option");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());

        assertEquals(2, run("summary", "--model", "resnet-1000").code());
        assertEquals(2, run("summary", "--input-size", "1,x,28").code());
        assertEquals(2, run("train", "--epochs", "0").code());
        assertEquals(2, run("train", "--optimizer", "lbfgs").code());
        assertEquals(2, run("train", "--scheduler", "step:x").code());
        assertEquals(2, run("train", "--optimizer", "adam", "--momentum", "0.5").code());
        assertEquals(2, run("train", "--lr", "-1").code());
        assertEquals(2, run("evaluate").code()); // --model-file is required
        assertEquals(2, run("no-such-command").code());
        assertEquals(2, run().code()); // no command at all
    }

    @Test
    void helpAndVersion() {
        Run help = run("train", "--help");
        assertEquals(0, help.code());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : List.of("--model", "--epochs", "--batch-size", "--lr", "--optimizer", "--momentum", "--weight-decay",
                "--nesterov", "--seed", "--data-dir", "--out", "--limit", "--test-limit", "--threads", "--no-progress"))
            assertTrue(help.out().contains(option), option + " missing from\n" + help.out());
        for (String dflt : List.of("(default: 100)", "(default: 0.001)", "(default: 42)", "(default: adam)", "(default: 5)",
                "(default: fashion-cnn)", "(default: 0.9;"))
            assertTrue(text.contains(dflt), dflt + " missing from\n" + help.out());
        assertFalse(help.err().contains("WARN"), help.err());

        Run version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("cnn4j "), version.out());
    }

    @Test
    void libraryErrorsAreOneLineWithoutStackTrace() {
        Run r = run("summary", "--model", "fashion-cnn", "--input-size", "1,6,6");
        assertEquals(2, r.code()); // an --input-size the model cannot take is a usage error saying why
        assertTrue(r.err().startsWith("Invalid value for option '--input-size': [1, 6, 6] does not fit fashion-cnn: fashion-cnn needs an input of at least 8x8"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Run debug = run("summary", "--model", "fashion-cnn", "--input-size", "1,6,6", "--debug");
        assertEquals(2, debug.code());
        assertTrue(debug.err().contains("\tat "), debug.err());
    }

    @Test
    void missingOrBadModelFileExitsWith3(@TempDir Path dir) throws Exception {
        Run missing = run("evaluate", "--model-file", dir.resolve("nope.safetensors").toString(), "--model", "fashion-cnn");
        assertEquals(3, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("cnn4j: error: "), missing.err());
        assertTrue(missing.err().contains("nope.safetensors"), missing.err());
        assertEquals(1, missing.err().lines().count(), missing.err());

        Path bad = dir.resolve("bad.safetensors");
        Files.writeString(bad, "this is not a safetensors file");
        Run garbage = run("evaluate", "--model-file", bad.toString(), "--model", "fashion-cnn");
        assertEquals(3, garbage.code(), garbage.err());
        assertTrue(garbage.err().contains("bad.safetensors"), garbage.err());
    }

    @Test
    void unwritableOutFailsBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run r = run("train", "--out", file.resolve("run").toString(), "--limit", "100", "--epochs", "1", "--no-progress");
        assertNotEquals(0, r.code());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("cannot create the run directory"), r.err());
        assertFalse(r.out().contains("epoch"), r.out());
    }

    @Test
    void readOnlyOutFailsBeforeTraining(@TempDir Path dir) throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        assumeTrue(readOnly.toFile().setWritable(false, false));
        try {
            assumeFalse(Files.isWritable(readOnly), "running as root: permissions are not enforced");
            Run ro = run("train", "--out", readOnly.toString(), "--limit", "100", "--epochs", "1", "--no-progress");
            assertEquals(3, ro.code(), ro.err());
            assertTrue(ro.err().contains("not writable"), ro.err());
            assertFalse(ro.out().contains("epoch"), ro.out());
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    private static void assumeFalse(boolean b, String message) {
        assumeTrue(!b, message);
    }

    @Test
    void trainWritesTheRunDirectoryAndEvaluateReadsIt(@TempDir Path dir) throws Exception {
        assumeFashionMnist();
        Path out = dir.resolve("run");
        Run train = run("train", "--limit", "200", "--test-limit", "200", "--epochs", "1", "--batch-size", "50",
                "--out", out.toString(), "--no-progress", "--data-dir", FASHION.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("epoch 1/1  train loss "), train.out());
        assertTrue(train.out().contains("test accuracy "), train.out());
        assertTrue(train.out().contains(out.toString()), train.out());

        // history.csv: the header and one row
        List<String> history = Files.readAllLines(out.resolve(RunDirectory.HISTORY_FILE));
        assertEquals("epoch,train_loss,train_accuracy,test_loss,test_accuracy,images_per_second", history.get(0));
        assertEquals(2, history.size(), history.toString());
        assertEquals(6, history.get(1).split(",").length, history.get(1));
        assertTrue(history.get(1).startsWith("1,"), history.get(1));

        // metrics.json: the required keys
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve(RunDirectory.METRICS_FILE)));
        for (String key : List.of("model", "dataset", "epochs", "parameters", "test_accuracy", "test_loss",
                "train_images_per_second", "seed", "batch_size", "lr", "optimizer", "threads", "limit", "java_version",
                "date", "duration_seconds"))
            assertTrue(metrics.containsKey(key), "metrics.json lacks " + key + ": " + metrics);
        assertEquals("fashion-cnn", metrics.get("model"));
        assertEquals("fashion-mnist", metrics.get("dataset"));
        assertEquals(1L, metrics.get("epochs"));
        assertEquals(1_475_338L, metrics.get("parameters"));
        assertEquals(42L, metrics.get("seed"));
        assertEquals(200L, metrics.get("limit"));
        assertEquals(200L, metrics.get("test_images"));
        double acc = ((Number) metrics.get("test_accuracy")).doubleValue();
        assertTrue(acc > 0.1 && acc <= 1.0, "test accuracy " + acc); // above chance after 200 images

        // model.safetensors: PyTorch names and metadata
        SafeTensors.Loaded model = SafeTensors.read(out.resolve(RunDirectory.MODEL_FILE));
        assertTrue(model.tensors().containsKey("layer1.0.weight"), model.tensors().keySet().toString());
        assertTrue(model.tensors().containsKey("fc3.bias"), model.tensors().keySet().toString());
        assertEquals("fashion-cnn", model.metadata().get("model"));
        assertEquals("10", model.metadata().get("num_classes"));
        assertTrue(model.metadata().get("class_names").contains("Ankle Boot"), model.metadata().toString());

        // evaluate reads it back and reproduces the recorded accuracy on the same 200 images
        Run eval = run("evaluate", "--model-file", out.resolve(RunDirectory.MODEL_FILE).toString(), "--model", "fashion-cnn",
                "--data-dir", FASHION.toString(), "--limit", "200");
        assertEquals(0, eval.code(), eval.out() + eval.err());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.4f", acc)), eval.out());

        // the model name comes from the file's metadata when --model is left out
        Run evalNoName = run("evaluate", "--model-file", out.resolve(RunDirectory.MODEL_FILE).toString(),
                "--data-dir", FASHION.toString(), "--limit", "200");
        assertEquals(0, evalNoName.code(), evalNoName.err());

        // a second run into the same directory is refused without --overwrite
        Run again = run("train", "--limit", "100", "--epochs", "1", "--out", out.toString(), "--no-progress");
        assertEquals(3, again.code(), again.err());
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void divergingTrainingExitsWith4(@TempDir Path dir) {
        assumeFashionMnist();
        Run r = run("train", "--optimizer", "sgd", "--lr", "1e30", "--momentum", "0", "--limit", "200", "--test-limit", "100",
                "--epochs", "1", "--batch-size", "50", "--out", dir.resolve("run").toString(), "--no-progress");
        assertEquals(4, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("cnn4j: error: loss is "), r.err());
    }
}
