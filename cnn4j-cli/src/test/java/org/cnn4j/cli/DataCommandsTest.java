package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --dataset}, {@code --val-split}, {@code --workers} and {@code cnn4j samples}, on small synthetic data. */
class DataCommandsTest {
    @TempDir
    Path tmp;

    /** root/{circle,square}/NN.png: 10 colour images of each, 20x20, a class-specific colour. */
    Path folder() throws IOException {
        Path root = tmp.resolve("shapes");
        for (int i = 0; i < 10; i++) {
            write(root.resolve("circle/" + i + ".png"), 20, 0xFF2020 + i);
            write(root.resolve("square/" + i + ".png"), 20, 0x2020FF + (i << 8));
        }
        return root;
    }

    static void write(Path file, int size, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) img.setRGB(x, y, rgb);
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void samplesDrawsATitledGrid() throws IOException {
        Path root = folder();
        Path out = tmp.resolve("grid.png");
        MainTest.Run r = MainTest.run("samples", "--dataset", "folder:" + root, "--out", out.toString(), "--rows", "2", "--cols", "3",
                "--seed", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out + ": 6 train samples"), r.out());
        BufferedImage grid = ImageIO.read(out.toFile());
        // 20x20 images scaled by 6 to 120 pixels, 3 columns of 120 + 8 padding.
        assertEquals(3 * (120 + 8) + 8, grid.getWidth());
        assertTrue(grid.getHeight() > 2 * 120);
        int red = 0, blue = 0, dark = 0;
        for (int y = 0; y < grid.getHeight(); y++)
            for (int x = 0; x < grid.getWidth(); x++) {
                int p = grid.getRGB(x, y) & 0xFFFFFF, rr = p >> 16, b = p & 0xFF;
                if (rr == 0xFF && b < 0x40) red++;
                if (b == 0xFF && rr == 0x20) blue++;
                if (rr < 0x60 && (p & 0xFF00) >> 8 < 0x60 && b < 0x60) dark++;
            }
        assertEquals(6 * 120 * 120, red + blue, "six 120x120 cells of the two class colours");
        assertTrue(dark > 50, "titles are drawn in black: " + dark + " dark pixels");

        // The same seed chooses the same samples.
        Path again = tmp.resolve("again.png");
        assertEquals(0, MainTest.run("samples", "--dataset", "folder:" + root, "--out", again.toString(), "--rows", "2", "--cols", "3",
                "--seed", "7").code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
        int[] three = SamplesCommand.choose(5, 3, 1);
        assertEquals(3, java.util.Arrays.stream(three).distinct().count(), "distinct samples");
        int[] all = SamplesCommand.choose(4, 10, 3);
        java.util.Arrays.sort(all);
        assertArrayEquals(new int[]{0, 1, 2, 3}, all, "a small dataset: every sample once");
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainsOnAFolderWithValidationSplitAndWorkers() throws IOException {
        Path root = folder();
        Path run = tmp.resolve("run");
        MainTest.Run r = MainTest.run("train", "--dataset", "folder:" + root, "--val-split", "0.2", "--workers", "2", "--epochs", "2",
                "--batch-size", "4", "--out", run.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("on folder " + root), r.out());
        assertTrue(r.out().contains("16 training images, 4 validation images, no test images"), r.out());
        assertTrue(r.out().contains("2 data workers"), r.out());
        assertTrue(r.out().contains("  validation loss"), r.out());
        assertTrue(r.out().contains("validation accuracy"), r.out());
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(run.resolve("metrics.json")));
        assertEquals("folder:" + root, metrics.get("dataset"));
        assertEquals(4L, ((Number) metrics.get("val_images")).longValue());
        assertEquals(2, ((List<Object>) metrics.get("val_accuracy_history")).size());
        assertFalse(metrics.containsKey("test_accuracy"));
        var header = SafeTensors.readHeader(run.resolve("model.safetensors"));
        assertEquals("[\"circle\",\"square\"]", header.metadata().get("class_names"));
        assertEquals("[1,28,28]", header.metadata().get("input_shape"), "folder images converted to the model's input");
    }

    @Test
    void cifarWithAModelOfAnotherShapeIsAClearError() throws IOException {
        Path dir = tmp.resolve("c10");
        Files.createDirectories(dir);
        byte[] rec = new byte[3073 * 2];
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
                "test_batch.bin")) Files.write(dir.resolve(f), rec);
        MainTest.Run r = MainTest.run("train", "--dataset", "cifar10", "--data-dir", dir.toString(), "--out", tmp.resolve("r").toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err()); // a model that does not fit the data is a usage error
        assertTrue(r.err().contains("fashion-cnn expects inputs [1, 28, 28], CIFAR-10 has [3, 32, 32]"), r.err());

        MainTest.Run s = MainTest.run("samples", "--dataset", "cifar10", "--data-dir", dir.toString(), "--out", tmp.resolve("c.png").toString(),
                "--split", "test");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("2 test samples of CIFAR-10"), s.out());

        Files.write(dir.resolve("test_batch.bin"), new byte[3073 + 5]);
        MainTest.Run bad = MainTest.run("samples", "--dataset", "cifar10", "--data-dir", dir.toString(), "--out", tmp.resolve("d.png").toString());
        assertEquals(Main.EXIT_FILE, bad.code(), bad.err());
        assertTrue(bad.err().contains("test_batch.bin") && bad.err().contains("offset 3073"), bad.err());
    }

    @Test
    void usageErrors() {
        assertEquals(Main.EXIT_USAGE, MainTest.run("train", "--dataset", "imagenet").code());
        assertEquals(Main.EXIT_USAGE, MainTest.run("train", "--dataset", "folder:").code());
        assertEquals(Main.EXIT_USAGE, MainTest.run("train", "--val-split", "1.5").code());
        assertEquals(Main.EXIT_USAGE, MainTest.run("train", "--workers", "-1").code());
        assertEquals(Main.EXIT_USAGE, MainTest.run("samples").code(), "--out is required");
        assertEquals(Main.EXIT_USAGE, MainTest.run("samples", "--out", "x.png", "--rows", "0").code());
        assertEquals(Main.EXIT_USAGE, MainTest.run("samples", "--out", "x.png", "--split", "val").code());
        MainTest.Run missing = MainTest.run("samples", "--dataset", "folder:" + tmp.resolve("nope"), "--out", tmp.resolve("x.png").toString());
        assertEquals(Main.EXIT_FILE, missing.code(), missing.err());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
    }
}
