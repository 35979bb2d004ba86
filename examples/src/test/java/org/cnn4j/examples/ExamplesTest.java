package org.cnn4j.examples;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Padding;
import org.cnn4j.vision.Filter;
import org.cnn4j.vision.ImageFilters;
import org.cnn4j.vision.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example runs end to end on small synthetic data (generated gratings of 4 classes, a few hundred
 * images, one epoch) so none can rot: each test checks the report has its rows, the numbers are sane
 * (accuracies in [0, 1], the convolutional models above chance) and the pictures were written. No
 * figure is hard-coded beyond the seeds' exact arithmetic and parameter counts.
 */
class ExamplesTest {
    private static final double CHANCE = 0.25; // 4 synthetic classes

    @TempDir
    Path tmp;

    private ExampleOptions synthetic(String name, Map<String, String> defaults, String... extra) {
        List<String> args = new ArrayList<>(List.of("--synthetic", "--limit", "320", "--test-limit", "160", "--epochs", "1", "--batch-size", "32", "--lr", "0.003",
                "--out", tmp.resolve(name).toString()));
        args.addAll(List.of(extra));
        return ExampleOptions.parse(name, defaults, args.toArray(String[]::new));
    }

    private static void assertAccuracy(double acc) {
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc + " outside [0, 1]");
    }

    private static void assertAboveChance(double acc, String what) {
        assertTrue(acc > CHANCE + 0.1, what + ": test accuracy " + acc + " is not above chance (" + CHANCE + ")");
    }

    private static void assertPng(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " missing");
        byte[] head = Files.readAllBytes(p);
        assertTrue(head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', p + " is not a PNG");
    }

    @Test
    void ex01_dnnVsCnn() throws IOException {
        Report r = Ex01DnnVsCnn.run(synthetic("ex01", Ex01DnnVsCnn.defaults()), null);
        assertEquals(2, r.rowCount());
        assertEquals("FashionDNN", r.cell(0, "model"));
        assertEquals("FashionCNN", r.cell(1, "model"));
        assertTrue(r.number(1, "params") > r.number(0, "params"));
        assertAccuracy(r.number(0, "final test acc"));
        assertAboveChance(r.number(1, "final test acc"), "FashionCNN");
        assertTrue(r.notes().getFirst().contains("CNN minus DNN"));
        assertPng(tmp.resolve("ex01/accuracy.png"));
    }

    /** A 40x48 gray picture: a bright square on a dark background. */
    private static Image square() {
        Image img = new Image(1, 40, 48, new float[40 * 48]);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 48; x++) img.set(0, y, x, y >= 10 && y < 30 && x >= 12 && x < 36 ? 0.8f : 0.2f);
        return img;
    }

    @Test
    void ex02_edgeDetection() throws IOException {
        Report r = Ex02EdgeDetection.run(square(), "square", tmp.resolve("ex02"), 64, null);
        assertEquals(7, r.rowCount());
        assertEquals(List.of("identity", "edge-diagonal", "laplacian", "edge", "sharpen", "sobel-x", "sobel-y"),
                java.util.stream.IntStream.range(0, 7).mapToObj(i -> r.cell(i, "kernel")).toList());
        assertEquals("46x38", r.cell(3, "output")); // valid: (48 - 3 + 1) x (40 - 3 + 1)
        assertEquals(204, r.number(0, "max"), 1e-3); // identity keeps 0.8 * 255
        assertTrue(r.number(3, "min") < 0 && r.number(3, "max") > 0, "the edge kernel responds with both signs at the square's border");
        assertTrue(r.notes().getFirst().endsWith("largest difference 0.00"), r.notes().getFirst());
        assertPng(tmp.resolve("ex02/kernels.png"));
        assertPng(tmp.resolve("ex02/edge.png"));
    }

    @Test
    void ex02_seedConvolveMatchesTheLibrary() {
        double[][] img = new double[9][11];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (double[] row : img) for (int i = 0; i < row.length; i++) row[i] = rng.nextInt(256);
        double[][] seed = Ex02EdgeDetection.convolve(img, Ex02EdgeDetection.EDGE);
        assertEquals(7, seed.length);
        assertEquals(9, seed[0].length);
        Image im = new Image(1, 9, 11, new float[99]);
        for (int y = 0; y < 9; y++) for (int x = 0; x < 11; x++) im.set(0, y, x, (float) img[y][x]);
        Image lib = ImageFilters.convolve(im, Filter.of(Kernel.of("edge", Ex02EdgeDetection.EDGE)), 1, Padding.VALID);
        for (int y = 0; y < 7; y++) for (int x = 0; x < 9; x++) assertEquals(seed[y][x], lib.get(0, y, x), 1e-3);
        // by hand: the top-left window
        double s = 8 * img[1][1];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) if (a != 1 || b != 1) s -= img[a][b];
        assertEquals(s, seed[0][0], 1e-9);
    }

    @Test
    void ex03_lineFilters() throws IOException {
        Image ones = new Image(3, 20, 30, new float[3 * 600]);
        java.util.Arrays.fill(ones.data(), 1f);
        Image noise = new Image(3, 20, 30, new float[3 * 600]);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < noise.data().length; i++) noise.data()[i] = (float) rng.nextDouble();
        Report r = Ex03LineFilters.run(List.of(ones, noise), List.of("ones.png", "noise.png"), tmp.resolve("ex03"), 60);
        assertEquals(4, r.rowCount());
        assertEquals("20x30", r.cell(0, "shape")); // SAME keeps the size
        assertEquals(21, r.number(0, "max"), 1e-4); // 7 pixels x 3 channels of ones, inside
        assertEquals(12, r.number(0, "min"), 1e-4); // a corner sees 4 of the 7 rows: 4 x 3
        assertTrue(r.number(3, "max") <= 21);
        assertPng(tmp.resolve("ex03/line-filters.png"));
        assertPng(tmp.resolve("ex03/ones-map1.png"));
    }

    @Test
    void ex04_cifarCnn() throws IOException {
        Report r = Ex04CifarCnn.run(synthetic("ex04", Ex04CifarCnn.defaults()), null);
        assertEquals(1, r.rowCount());
        assertTrue(r.cell(0, "summary matches the seed").startsWith("yes"), r.cell(0, "summary matches the seed"));
        assertTrue(r.texts().getFirst().contains("227,026"));
        assertAboveChance(r.number(0, "test acc"), "CifarCNN");
    }

    @Test
    void ex05_kerasCnn() throws IOException {
        Report r = Ex05KerasCnn.run(synthetic("ex05", Ex05KerasCnn.defaults()), null);
        assertEquals(1, r.rowCount());
        // 4 synthetic classes: the seed's 1,101,526 less 6 x 101 for the missing output units
        assertEquals(1_101_526 - 6 * 101, r.number(0, "params"), 0);
        assertTrue(r.texts().getFirst().contains("Total params"));
        assertAboveChance(r.number(0, "test acc"), "KerasCNN");
    }

    @Test
    void ex06_weightInit() throws IOException {
        Report r = Ex06WeightInit.run(synthetic("ex06", Ex06WeightInit.defaults(), "--width", "4"), null);
        assertEquals(6, r.rowCount());
        double best = 0;
        for (int i = 0; i < 6; i++) {
            assertAccuracy(r.number(i, "test acc"));
            best = Math.max(best, r.number(i, "test acc"));
        }
        assertEquals("no", r.cell(0, "batch norm"));
        assertEquals("yes", r.cell(5, "batch norm"));
        assertTrue(r.number(3, "params") > r.number(0, "params"), "BN adds gamma and beta");
        assertAboveChance(best, "best initialiser");
        assertTrue(r.notes().get(1).contains("the seed's claim"));
        assertPng(tmp.resolve("ex06/weight-init.png"));
    }

    @Test
    void ex07_batchSize() throws IOException {
        Report r = Ex07BatchSize.run(synthetic("ex07", Ex07BatchSize.defaults(), "--width", "4", "--batch-sizes", "16,160"), null);
        assertEquals(4, r.rowCount());
        assertEquals(20, r.number(0, "steps per epoch"), 0); // 320 / 16
        assertEquals(2, r.number(1, "steps per epoch"), 0); // 320 / 160
        for (int i = 0; i < 4; i++) assertAccuracy(r.number(i, "test acc"));
        assertAboveChance(Math.max(r.number(0, "test acc"), r.number(2, "test acc")), "batch 16");
        assertPng(tmp.resolve("ex07/batch-size.png"));
    }

    @Test
    void ex08_shuffle() throws IOException {
        Report r = Ex08Shuffle.run(synthetic("ex08", Ex08Shuffle.defaults(), "--width", "4", "--epochs", "3"), null);
        assertEquals(3, r.rowCount());
        assertEquals("not shuffled, sorted by class", r.cell(2, "training order"));
        for (int i = 0; i < 3; i++) assertAccuracy(r.number(i, "test acc"));
        assertAboveChance(r.number(0, "test acc"), "shuffled");
    }

    @Test
    void ex08_sortedByClassOrdersLabels() {
        var ds = SyntheticImages.gratings(12, 1, 8, 3, 1);
        var sorted = Ex08Shuffle.sortedByClass(ds);
        for (int i = 1; i < sorted.size(); i++) assertTrue(sorted.label(i - 1) <= sorted.label(i));
        assertEquals(12, sorted.size());
    }

    @Test
    void ex09_globalAveragePooling() throws IOException {
        Report r = Ex09GlobalAveragePooling.run(synthetic("ex09", Ex09GlobalAveragePooling.defaults(), "--width", "4", "--hidden", "20", "--epochs", "3"), null);
        assertEquals(2, r.rowCount());
        // flatten: 16 channels x 3 x 3 into 20 units; GAP: 16 channels into 20 units
        assertEquals(16 * 9 * 20 + 20, r.number(0, "first Dense params"), 0);
        assertEquals(16 * 20 + 20, r.number(1, "first Dense params"), 0);
        assertEquals(r.number(0, "total params") - r.number(1, "total params"), 16 * 8 * 20, 0);
        assertAboveChance(Math.max(r.number(0, "test acc"), r.number(1, "test acc")), "GAP / flatten");
    }

    @Test
    void ex10_l2() throws IOException {
        Report r = Ex10L2Regularization.run(synthetic("ex10", Ex10L2Regularization.defaults(), "--width", "4", "--hidden", "32",
                "--epochs", "2"), null);
        assertEquals(2, r.rowCount());
        assertEquals("none", r.cell(0, "dense kernel_regularizer"));
        assertEquals("l2(0.001)", r.cell(1, "dense kernel_regularizer"));
        for (int i = 0; i < 2; i++) {
            assertAccuracy(r.number(i, "train acc (eval)"));
            assertEquals(r.number(i, "train acc (eval)") - r.number(i, "test acc"), r.number(i, "gap (train - test)"), 1e-9);
        }
        assertPng(tmp.resolve("ex10/l2.png"));
    }

    @Test
    void ex10_l2LandsOnTheDenseKernelsOnly() {
        var model = SeedCnn.plain(4).withDenseL2(0.01).build(new org.cnn4j.models.ModelSpec(1, 16, 16, 3));
        int regularized = 0;
        for (var e : model.namedParameters().entrySet()) {
            boolean has = e.getValue().regularizer() != null;
            if (has) regularized++;
            if (e.getKey().startsWith("conv2d")) assertTrue(!has, e.getKey() + " must not be regularised");
        }
        assertEquals(2, regularized); // dense and dense_1 kernels
        assertTrue(model.hasRegularizers());
    }

    @Test
    void ex11_augmentation() throws IOException {
        Report r = Ex11Augmentation.run(synthetic("ex11", Ex11Augmentation.defaults(), "--width", "4", "--epochs", "2"), null);
        assertEquals(2, r.rowCount());
        assertTrue(r.cell(1, "train generator").contains("horizontal_flip"));
        for (int i = 0; i < 2; i++) assertAccuracy(r.number(i, "test acc"));
        assertAboveChance(Math.max(r.number(0, "test acc"), r.number(1, "test acc")), "flow training");
        assertPng(tmp.resolve("ex11/augmentation.png"));
    }

    @Test
    void ex11_rawPixelsAreRescaledBack() {
        var ds = SyntheticImages.gratings(3, 1, 8, 2, 9);
        float[] raw = Ex11Augmentation.raw255(ds);
        float[] x = new float[64];
        ds.copySample(1, x, 0);
        for (int i = 0; i < 64; i++) assertEquals(Math.round(x[i] * 255f), raw[64 + i], 0);
    }

    @Test
    void ex12_transferLearning() throws IOException {
        Report r = Ex12TransferLearning.run(synthetic("ex12", Ex12TransferLearning.defaults(), "--per-class", "20", "--target-epochs", "1",
                "--test-limit", "80"), null);
        assertEquals(3, r.rowCount());
        assertEquals(1_026L, (long) r.number(0, "trainable params"));     // the seed's figure: only the new fc trains
        assertEquals(11_177_538L, (long) r.number(0, "total params"));
        assertTrue(r.number(1, "trainable params") > 1_026, "layer4 + fc train in the second stage");
        for (int i = 0; i < 3; i++) assertAccuracy(r.number(i, "target test acc"));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("11,177,538 total, 1,026 trainable")), String.valueOf(r.notes()));
    }

    @Test
    void ex13_explainMatchesTheSeeds() throws IOException {
        Report r = Ex13Explain.run(ExampleOptions.parse("ex13", Ex13Explain.defaults(), "--out", tmp.toString()), null);
        assertEquals(8, r.rowCount());
        for (int i = 0; i < r.rowCount(); i++) assertEquals("yes", r.cell(i, "matches"), r.cell(i, "worked example"));
        assertTrue(r.texts().stream().anyMatch(t -> t.contains("impossible configuration")));
        assertTrue(r.texts().stream().anyMatch(t -> t.contains("cifar-cnn")));
    }

    @Test
    void ex14_mnistEncoder() throws IOException {
        Report r = Ex14MnistEncoder.run(synthetic("ex14", Ex14MnistEncoder.defaults()), null);
        assertEquals(1, r.rowCount());
        assertAccuracy(r.number(0, "test acc"));
        assertTrue(r.texts().getFirst().contains("Conv2d"));
        assertTrue(Double.isFinite(r.number(0, "test loss")));
    }

    @Test
    void optionsRejectUnknownNamesAndBadNumbers() {
        var d = Ex01DnnVsCnn.defaults();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parse("ex", d, "--epoch", "2"));
        assertTrue(e.getMessage().contains("--epoch") && e.getMessage().contains("--epochs"), e.getMessage());
        var o = ExampleOptions.parse("ex", d, "--epochs=3", "--synthetic", "--limit", "10,000");
        assertEquals(3, o.epochs());
        assertTrue(o.flag("synthetic"));
        assertEquals(10_000, o.positive("limit"));
        var bad = ExampleOptions.parse("ex", d, "--epochs", "zero");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::epochs).getMessage().contains("zero"));
        assertTrue(o.usage().contains("--batch-size"));
    }

    @Test
    void catalogueNamesExistingClasses() throws ClassNotFoundException {
        for (String name : Examples.catalogue().keySet()) Class.forName("org.cnn4j.examples." + name);
    }
}
