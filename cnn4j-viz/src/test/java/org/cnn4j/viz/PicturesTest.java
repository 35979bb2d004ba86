package org.cnn4j.viz;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every picture decodes as a PNG of the expected size and shows what it claims to. */
class PicturesTest {
    static final List<String> NAMES = List.of("T-Shirt", "Trouser", "Pullover");

    static BufferedImage decode(Path p) throws IOException {
        BufferedImage bi = ImageIO.read(p.toFile());
        assertTrue(bi != null, p + " does not decode");
        return bi;
    }

    static TrainingLog log() {
        TrainingLog log = new TrainingLog(10, 95); // 10 batches per epoch, the last one of 5
        for (int e = 1; e <= 2; e++) {
            log.onEpochStart(e, 2, 10);
            for (int b = 1; b <= 10; b++) {
                int seen = Math.min(b * 10, 95);
                // batch b gets b - 1 of its samples right, except the last (5 samples, 5 right)
                int correct = 0;
                for (int i = 1; i <= b; i++) correct += i == 10 ? 5 : i - 1;
                log.onBatchEnd(e, b, 10, 2.0 / (b + 10 * (e - 1)), 0, (double) correct / seen, 100);
            }
            log.onEpochEnd(new EpochResult(e, 1, 0.5, 0.9 / e, 0.6 + 0.1 * e, 100, 1));
        }
        return log;
    }

    @Test
    void trainingLogRecoversBatchAccuracyAndPlots(@TempDir Path dir) throws IOException {
        TrainingLog log = log();
        assertEquals(20, log.iterations().size());
        assertEquals(0.0, log.iterations().get(0).accuracy(), 1e-12);
        assertEquals(0.4, log.iterations().get(4).accuracy(), 1e-12);   // batch 5: 4 of 10
        assertEquals(1.0, log.iterations().get(9).accuracy(), 1e-12);   // last batch: 5 of 5
        assertEquals(0.1, log.iterations().get(11).accuracy(), 1e-12);  // epoch 2 starts over
        assertEquals(10, log.epochs().get(0).iteration());
        assertEquals(20, log.epochs().get(1).iteration());
        assertTrue(log.iterationsCsv().startsWith("iteration,epoch,loss,accuracy\n1,1,2.000000,0.000000\n"), log.iterationsCsv());

        Path png = ImageFiles.write(dir.resolve("curves.png"), TrainingCurves.render(log));
        BufferedImage bi = decode(png);
        assertEquals(2 * TrainingCurves.CHART_WIDTH, bi.getWidth());
        assertEquals(TrainingCurves.CHART_HEIGHT, bi.getHeight());
        assertTrue(countColour(bi, TrainingCurves.TEST.getRGB()) > 20, "the test series is drawn in orange");
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, TrainingCurves.movingAverage(new double[] {1, 2, 3, 4}, 2), 1e-12);
    }

    static int countColour(BufferedImage bi, int argb) {
        int n = 0;
        for (int y = 0; y < bi.getHeight(); y++)
            for (int x = 0; x < bi.getWidth(); x++) if ((bi.getRGB(x, y) & 0xffffff) == (argb & 0xffffff)) n++;
        return n;
    }

    @Test
    void confusionMatrixCountsCsvAndPicture(@TempDir Path dir) throws IOException {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 0, 2},
                List.of("T-Shirt", "Trouser", "Bag, small"));
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(0, 1));
        assertEquals(1, cm.count(2, 0));
        assertEquals(2, cm.count(2, 2));
        assertEquals(4.0 / 6, cm.accuracy(), 1e-12);
        assertEquals(2.0 / 3, cm.recall(2), 1e-12);
        assertEquals("true\\predicted,T-Shirt,Trouser,\"Bag, small\"\nT-Shirt,1,1,0\nTrouser,0,1,0\n\"Bag, small\",1,0,2\n", cm.csv());
        BufferedImage bi = decode(ImageFiles.write(dir.resolve("confusion.png"), cm.render()));
        assertTrue(bi.getWidth() >= 560 && bi.getHeight() >= 560, bi.getWidth() + "x" + bi.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {3}, new int[] {0}, NAMES));
    }

    @Test
    void sampleGridMarksMistakes(@TempDir Path dir) throws IOException {
        List<SampleGrid.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Image img = Image.zeros(1, 28, 28);
            for (int y = 8; y < 20; y++) for (int x = 8; x < 20; x++) img.set(0, y, x, 1f);
            samples.add(new SampleGrid.Sample(img, NAMES.get(i % 3), NAMES.get(i < 8 ? i % 3 : (i + 1) % 3)));
        }
        BufferedImage bi = decode(ImageFiles.write(dir.resolve("samples.png"), SampleGrid.render(samples, 5, "test images")));
        // 28 px enlarged 4x = 112 per tile, tile width >= 120, 5 columns, 2 rows
        assertEquals(10 + 5 * (120 + 10), bi.getWidth());
        assertEquals(34 + 10 + 2 * (36 + 112 + 10), bi.getHeight());
        assertTrue(countColour(bi, Draw.WRONG.getRGB()) > 4 * 112, "two misclassified tiles are framed in red");
    }

    @Test
    void filterGridShowsSignsAndRgb(@TempDir Path dir) throws IOException {
        Tensor w = Tensor.zeros(2, 1, 3, 3);
        w.set(1f, 0, 0, 1, 1);
        w.set(-1f, 1, 0, 1, 1);
        BufferedImage bi = decode(ImageFiles.write(dir.resolve("filters.png"), FilterGrid.render(w, "conv1")));
        assertTrue(countColour(bi, 0xff0000) >= 16 * 16, "a positive centre is red");
        assertTrue(countColour(bi, 0x0000ff) >= 16 * 16, "a negative centre is blue");
        Rng.manualSeed(3);
        Conv2d rgb = new Conv2d(3, 8, 5);
        BufferedImage b2 = FilterGrid.render(rgb.weight(), "rgb");
        assertTrue(b2.getWidth() >= 8 * 50);
    }

    @Test
    void featureMapsOfEachConvBlock(@TempDir Path dir) throws IOException {
        Rng.manualSeed(7);
        FashionCNN net = new FashionCNN();
        assertEquals(List.of("layer1", "layer2"), FeatureMaps.defaultLayers(net));
        Image img = Image.zeros(1, 28, 28);
        for (int y = 4; y < 24; y++) img.set(0, y, 14, 1f);
        Tensor x = new Tensor(img.data().clone(), 1, 1, 28, 28);
        List<FeatureMaps.Capture> maps = FeatureMaps.capture(net, x, FeatureMaps.defaultLayers(net));
        assertEquals(2, maps.size());
        assertArrayEquals(new int[] {32, 14, 14}, maps.get(0).shape());
        assertArrayEquals(new int[] {64, 6, 6}, maps.get(1).shape());
        assertTrue(net.isTraining(), "the model's mode is restored");
        assertFalse(net.children().get("layer1").hasForwardHooks(), "hooks are removed");
        // the captured map equals running the block directly
        Tensor direct;
        net.eval();
        try (var ignored = org.cnn4j.autograd.Autograd.noGrad()) {
            direct = net.children().get("layer1").call(new Tensor(img.data().clone(), 1, 1, 28, 28));
        }
        net.train(true);
        assertArrayEquals(direct.data(), maps.get(0).data(), 0f);
        List<FeatureMaps.Capture> conv = FeatureMaps.capture(net, x, List.of("layer2.0", "fc1"));
        assertEquals(1, conv.size(), "fc1's 2-D output is skipped");
        assertArrayEquals(new int[] {64, 12, 12}, conv.get(0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureMaps.capture(net, x, List.of("layer3")));
        assertTrue(e.getMessage().contains("layer1.0"), e.getMessage());

        BufferedImage bi = decode(ImageFiles.write(dir.resolve("featuremaps.png"), FeatureMaps.render(img, "one image", maps, 64)));
        // 14x14 maps enlarged 4x (56 px), 16 to a row: 8 + 16 * 60 + 8
        assertEquals(8 + 16 * 60 + 8, bi.getWidth());
        BufferedImage some = FeatureMaps.render(img, "t", maps, 8);
        assertTrue(some.getHeight() < bi.getHeight());
    }

    @Test
    void imageFilesRoundTrip(@TempDir Path dir) throws IOException {
        Image gray = Image.zeros(1, 3, 4);
        for (int i = 0; i < 12; i++) gray.data()[i] = i / 11f;
        Image back = ImageFiles.read(ImageFiles.write(dir.resolve("g.png"), gray));
        assertEquals(1, back.channels());
        for (int i = 0; i < 12; i++) assertEquals(Math.round(i / 11f * 255) / 255f, back.data()[i], 1e-6f);
        Image rgb = Image.zeros(3, 2, 2);
        rgb.set(0, 0, 0, 1f);
        rgb.set(1, 0, 1, 1f);
        rgb.set(2, 1, 0, 1f);
        Image rgbBack = ImageFiles.read(ImageFiles.write(dir.resolve("c.png"), rgb));
        assertEquals(rgb, rgbBack);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageFiles.read(dir.resolve("missing.png")));
        Files.writeString(dir.resolve("not.png"), "text");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(dir.resolve("not.png")));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    }

    @Test
    void reportEmbedsPicturesAndLinksOnlyExistingFiles(@TempDir Path dir) throws IOException {
        ImageFiles.write(dir.resolve("curves.png"), TrainingCurves.render(log()));
        Files.writeString(dir.resolve("history.csv"), "epoch\n");
        Path page = new HtmlReport("run <1>").table("Settings", java.util.Map.of("lr", 0.001))
                .pre("Summary", "Conv2d-1 [-1, 32, 28, 28] 320")
                .picture("Curves", dir.resolve("curves.png"), "loss & accuracy")
                .picture("Missing", dir.resolve("nope.png"), null)
                .links("Files", List.of("history.csv", "absent.csv"))
                .write(dir.resolve("report.html"));
        String html = Files.readString(page);
        assertTrue(html.contains("<title>run &lt;1&gt;</title>"));
        assertTrue(html.contains("loss &amp; accuracy"));
        assertFalse(html.contains("Missing"));
        assertFalse(html.contains("absent.csv"));
        List<String> refs = ReportChecks.references(html);
        assertEquals(2, refs.size(), refs.toString());
        ReportChecks.assertSelfContained(html, dir);
        assertNotEquals(-1, html.indexOf("data:image/png;base64,iVBORw0KGgo"));
        assertEquals("0.50924", HtmlReport.display(0.5092402189970017));
        assertEquals("0.001", HtmlReport.display(0.001));
        assertEquals("1475338", HtmlReport.display(1475338L));
        assertEquals("a%20b.csv", HtmlReport.urlPath("a b.csv"));
    }

    /** Reference checks shared with the CLI's report test. */
    static final class ReportChecks {
        static final Pattern REF = Pattern.compile("\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"");

        static List<String> references(String html) {
            List<String> out = new ArrayList<>();
            Matcher m = REF.matcher(html);
            while (m.find()) out.add(m.group(1));
            return out;
        }

        /** Every src/href is a data: URI or a relative path to an existing file; nothing is fetched from a network. */
        static void assertSelfContained(String html, Path dir) {
            for (String ref : references(html)) {
                if (ref.startsWith("data:")) continue;
                assertFalse(ref.contains("://") || ref.startsWith("//"), "network reference " + ref);
                assertTrue(Files.isRegularFile(dir.resolve(ref)), "reference to a missing file: " + ref);
            }
            assertFalse(html.contains("url("), "no CSS url() fetches");
            assertFalse(html.contains("@import"), "no CSS imports");
        }
    }
}
