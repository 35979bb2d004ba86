package org.cnn4j.cli;

import org.cnn4j.data.transforms.AugmentSpec;
import org.cnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.cnn4j.cli.MainTest.FASHION;
import static org.cnn4j.cli.MainTest.assumeFashionMnist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cnn4j augment} and {@code train --augment}. */
class AugmentCommandTest {
    @Test
    void helpListsEverySpecKey() {
        for (String key : AugmentSpec.KEYS.keySet())
            assertTrue(AugmentCommand.KEYS_HELP.contains(" " + key + "=") || AugmentCommand.KEYS_HELP.contains(" " + key + "["),
                    key + " missing from the help's key list");
        Run help = run("augment", "--help");
        assertEquals(0, help.code());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : new String[] {"--dataset", "--augment", "--out", "--count", "--variants", "--seed", "--scale", "--data-dir"})
            assertTrue(text.contains(option), option);
        assertTrue(text.contains("cutout=SIZE"), text);
        assertTrue(run("train", "--help").out().replaceAll("\\s+", " ").contains("--augment=SPEC"));
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        MainTest.Run r = MainTest.run(args);
        return new Run(r.code(), r.out(), r.err());
    }

    @Test
    void badSpecsAreUsageErrorsNamingTheToken() {
        Run bad = run("augment", "--augment", "hflip,rotat=10", "--out", "/nonexistent/x.png");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("token 2 'rotat=10' (column 7)") && bad.err().contains("did you mean 'rotate'"), bad.err());
        Run train = run("train", "--augment", "cutout=x", "--epochs", "1");
        assertEquals(2, train.code(), train.err());
        assertTrue(train.err().contains("Invalid value for option '--augment'") && train.err().contains("'x' is not a number"), train.err());
        assertEquals(2, run("augment", "--augment", "hflip", "--count", "0").code());
        assertEquals(2, run("augment").code()); // --augment is required
    }

    @Test
    void drawsAGridOfOriginalsAndVariants(@TempDir Path dir) throws Exception {
        assumeFashionMnist();
        Path png = dir.resolve("grid.png");
        Run r = run("augment", "--dataset", "fashion-mnist", "--augment", "hflip,rotate=10,zoom=0.1,cutout=8", "--out", png.toString(),
                "--count", "3", "--variants", "4", "--seed", "7", "--scale", "2", "--data-dir", FASHION.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + png), r.out());
        assertTrue(r.out().contains("us per image"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        // 5 columns of max(56, 48) + 6 padding, 3 rows of 14 + 56 + 6 under a 20-pixel header
        assertEquals(6 + 5 * (56 + 6), img.getWidth());
        assertEquals(14 + 6 + 3 * (14 + 56 + 6), img.getHeight());
        // the first original is drawn (not all white) in grey
        int dark = 0;
        for (int y = 40; y < 40 + 56; y++)
            for (int x = 6; x < 6 + 56; x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                assertEquals((rgb >> 16) & 0xFF, rgb & 0xFF, "grey");
                if ((rgb & 0xFF) < 128) dark++;
            }
        assertTrue(dark > 100, "the image is drawn: " + dark);
        // the same seed draws the same grid
        Path again = dir.resolve("again.png");
        run("augment", "--augment", "hflip,rotate=10,zoom=0.1,cutout=8", "--out", again.toString(), "--count", "3", "--variants", "4",
                "--seed", "7", "--scale", "2", "--data-dir", FASHION.toString());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(png), Files.readAllBytes(again)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWithAugmentation(@TempDir Path dir) throws Exception {
        assumeFashionMnist();
        Path out = dir.resolve("run");
        Run r = run("train", "--model", "fashion-dnn", "--limit", "200", "--test-limit", "100", "--epochs", "1", "--batch-size", "50",
                "--augment", "hflip,shift=0.1,cutout=6", "--out", out.toString(), "--no-progress", "--data-dir", FASHION.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("augmentation Compose[RandomHorizontalFlip"), r.out());
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertEquals("hflip,shift=0.1,cutout=6", metrics.get("augment"));
        assertFalse(Files.readString(out.resolve("metrics.json")).isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWithMixUpUsesSoftTargetsThroughTheLoaderWorkers(@TempDir Path dir) throws Exception {
        assumeFashionMnist();
        Path out = dir.resolve("run");
        Run r = run("train", "--model", "fashion-dnn", "--limit", "200", "--test-limit", "100", "--epochs", "1", "--batch-size", "50",
                "--mixup", "0.2", "--augment", "hflip", "--workers", "1", "--no-pictures", "--out", out.toString(), "--no-progress",
                "--data-dir", FASHION.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertEquals(0.2, ((Number) metrics.get("mixup")).doubleValue());
        Run both = run("train", "--mixup", "0.2", "--cutmix", "1", "--epochs", "1");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--mixup and --cutmix exclude each other"), both.err());
        assertEquals(2, run("train", "--cutmix", "0", "--epochs", "1").code());
    }
}
