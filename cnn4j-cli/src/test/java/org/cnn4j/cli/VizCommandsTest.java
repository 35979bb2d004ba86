package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.cnn4j.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filter and featuremaps commands and the pictures, --json and --quiet of train, run in-process. */
class VizCommandsTest {
    /** A gray PNG from rows of 0..255 values. */
    static Path grayPng(Path file, int[][] rows) throws IOException {
        BufferedImage bi = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rows.length; y++) for (int x = 0; x < rows[0].length; x++) bi.getRaster().setSample(x, y, 0, rows[y][x]);
        ImageIO.write(bi, "png", file.toFile());
        return file;
    }

    static BufferedImage decode(Path p) throws IOException {
        BufferedImage bi = ImageIO.read(p.toFile());
        assertTrue(bi != null, p + " does not decode as an image");
        return bi;
    }

    static int[] grayRow(BufferedImage bi, int y) {
        int[] r = new int[bi.getWidth()];
        for (int x = 0; x < r.length; x++) r[x] = bi.getRaster().getSample(x, y, 0);
        return r;
    }

    static int[][] stepEdge(int h, int w) {
        int[][] rows = new int[h][w];
        for (int[] r : rows) for (int x = w / 2; x < w; x++) r[x] = 255;
        return rows;
    }

    @Test
    void sobelOnAStepEdgeGivesTheHandComputedPixels(@TempDir Path dir) throws IOException {
        Path in = grayPng(dir.resolve("step.png"), stepEdge(6, 8));
        // valid: 4x6 output; column j sees input columns j..j+2, gx = 4 * (x[j+2] - x[j]) = 4 where the window
        // straddles the step (j = 2, 3), 0 elsewhere; min-max maps 0 -> 0 and 4 -> 255
        MainTest.Run r = run("filter", in.toString(), dir.resolve("sobel.png").toString(), "--kernel", "sobel-x", "--padding", "valid");
        assertEquals(0, r.code(), r.err());
        BufferedImage out = decode(dir.resolve("sobel.png"));
        assertEquals(6, out.getWidth());
        assertEquals(4, out.getHeight());
        for (int y = 0; y < 4; y++) assertArrayEquals(new int[] {0, 0, 255, 255, 0, 0}, grayRow(out, y));
        assertTrue(r.out().contains("values 0.0..1020.0 on the 0-255 scale, stretched min..max"), r.out());

        // sobel magnitude with clipping: 4 (in units of 255) clips to 255; same padding keeps 6x8
        assertEquals(0, run("filter", in.toString(), dir.resolve("mag.png").toString(), "--kernel", "sobel", "--rescale", "clip").code());
        BufferedImage mag = decode(dir.resolve("mag.png"));
        assertEquals(8, mag.getWidth());
        assertEquals(6, mag.getHeight());
        assertArrayEquals(new int[] {0, 0, 0, 255, 255, 0, 0, 255}, grayRow(mag, 2)); // the right border meets the zero padding

        // sobel-y sees no horizontal edge inside the image
        assertEquals(0, run("filter", in.toString(), dir.resolve("y.png").toString(), "--kernel", "sobel-y", "--padding", "valid",
                "--rescale", "clip").code());
        for (int y = 0; y < 4; y++) assertArrayEquals(new int[6], grayRow(decode(dir.resolve("y.png")), y));
    }

    @Test
    void identityBoxAndStride(@TempDir Path dir) throws IOException {
        java.util.Random rnd = new java.util.Random(5);
        BufferedImage rgb = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 7; y++) for (int x = 0; x < 9; x++) rgb.setRGB(x, y, rnd.nextInt(0x1000000));
        Path in = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", in.toFile());
        assertEquals(0, run("filter", in.toString(), dir.resolve("id.png").toString(), "--kernel", "identity").code());
        BufferedImage id = decode(dir.resolve("id.png"));
        for (int y = 0; y < 7; y++) for (int x = 0; x < 9; x++) assertEquals(rgb.getRGB(x, y), id.getRGB(x, y), "pixel " + x + "," + y);

        // box 3x3 valid on 0, 10, ..., 80: the mean, 40
        Path ramp = grayPng(dir.resolve("ramp.png"), new int[][] {{0, 10, 20}, {30, 40, 50}, {60, 70, 80}});
        assertEquals(0, run("filter", ramp.toString(), dir.resolve("box.png").toString(), "--kernel", "box", "--padding", "valid").code());
        BufferedImage box = decode(dir.resolve("box.png"));
        assertEquals(1, box.getWidth());
        assertEquals(40, box.getRaster().getSample(0, 0, 0));

        // inline kernel, stride 2, padding 1: a 7x9 image gives (7 + 2 - 3) / 2 + 1 = 4 by (9 + 2 - 3) / 2 + 1 = 5
        assertEquals(0, run("filter", in.toString(), dir.resolve("s2.png").toString(), "--kernel", "0,0,0;0,1,0;0,0,0", "--stride", "2",
                "--padding", "1", "--gray").code());
        BufferedImage s2 = decode(dir.resolve("s2.png"));
        assertEquals(5, s2.getWidth());
        assertEquals(4, s2.getHeight());
        assertEquals(1, s2.getRaster().getNumBands(), "--gray writes a gray image");
    }

    @Test
    void poolingMaxAvgMin(@TempDir Path dir) throws IOException {
        Path in = grayPng(dir.resolve("p.png"), new int[][] {{30, 10, 120, 10}, {0, 20, 0, 40}, {50, 0, 0, 10}, {70, 20, 90, 30}});
        int[][] expected = {{30, 120, 70, 90}, {15, 43, 35, 33}, {0, 0, 0, 0}}; // avg: 60/4, 170/4 = 42.5 -> 43, 140/4, 130/4 = 32.5 -> 33
        String[] kinds = {"max", "avg", "min"};
        for (int k = 0; k < 3; k++) {
            Path out = dir.resolve(kinds[k] + ".png");
            MainTest.Run r = run("filter", in.toString(), out.toString(), "--pool", kinds[k], "--size", "2");
            assertEquals(0, r.code(), r.err());
            BufferedImage bi = decode(out);
            assertEquals(2, bi.getWidth());
            int[] got = {bi.getRaster().getSample(0, 0, 0), bi.getRaster().getSample(1, 0, 0), bi.getRaster().getSample(0, 1, 0),
                    bi.getRaster().getSample(1, 1, 0)};
            assertArrayEquals(expected[k], got, kinds[k]);
        }
    }

    @Test
    void filterErrors(@TempDir Path dir) throws IOException {
        Path in = grayPng(dir.resolve("s.png"), stepEdge(4, 4));
        MainTest.Run unknown = run("filter", in.toString(), dir.resolve("o.png").toString(), "--kernel", "blurry");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown name 'blurry'") && unknown.err().contains("sobel-x"), unknown.err());
        assertEquals(2, run("filter", in.toString(), dir.resolve("o.png").toString()).code()); // neither --kernel nor --pool
        assertEquals(2, run("filter", in.toString(), dir.resolve("o.png").toString(), "--kernel", "1,2;3").code());
        MainTest.Run big = run("filter", in.toString(), dir.resolve("o.png").toString(), "--kernel", "vertical-line", "--padding", "valid");
        assertEquals(2, big.code());
        assertTrue(big.err().contains("larger than the image 4x4"), big.err());
        assertEquals(3, run("filter", dir.resolve("missing.png").toString(), dir.resolve("o.png").toString(), "--kernel", "edge").code());
        assertFalse(Files.exists(dir.resolve("o.png")));
    }

    @Test
    void featureMapsOfASavedModel(@TempDir Path dir) throws IOException {
        Rng.manualSeed(11);
        FashionCNN net = new FashionCNN();
        Path model = dir.resolve("model.safetensors");
        SafeTensors.write(model, net.stateDict(), Map.of("model", "fashion-cnn", "num_classes", "10",
                "class_names", Json.writeCompact(List.of("T-Shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                        "Sneaker", "Bag", "Ankle Boot"))));
        Path img = grayPng(dir.resolve("in.png"), stepEdge(40, 40));
        MainTest.Run r = run("featuremaps", "--model-file", model.toString(), "--image", img.toString(), "--out",
                dir.resolve("fm.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer1 (Sequential) -> [32, 14, 14]"), r.out());
        assertTrue(r.out().contains("layer2 (Sequential) -> [64, 6, 6]"), r.out());
        assertEquals(8 + 16 * 60 + 8, decode(dir.resolve("fm.png")).getWidth());

        MainTest.Run conv = run("featuremaps", "--model-file", model.toString(), "--image", img.toString(), "--layer", "layer1.0",
                "--channels", "4", "--out", dir.resolve("conv.png").toString());
        assertEquals(0, conv.code(), conv.err());
        assertTrue(conv.out().contains("layer1.0 (Conv2d 1->32, k3, s1, p1) -> [32, 28, 28]"), conv.out());
        // 28x28 maps enlarged 2x: 4 tiles of 56 px, but the picture is at least 520 wide
        assertEquals(520, decode(dir.resolve("conv.png")).getWidth());

        MainTest.Run bad = run("featuremaps", "--model-file", model.toString(), "--image", img.toString(), "--layer", "layer9");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("layer1.0"), bad.err());
        assertEquals(2, run("featuremaps", "--model-file", model.toString()).code()); // --image or --index is required
        assertEquals(2, run("featuremaps", "--model-file", model.toString(), "--image", img.toString(), "--index", "3").code());
    }

    static final Pattern REF = Pattern.compile("\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"");

    @Test
    void trainWritesPicturesAndAReportAndSpeaksJson(@TempDir Path dir) throws IOException {
        MainTest.assumeFashionMnist();
        Path out = dir.resolve("run");
        MainTest.Run r = run("train", "--epochs", "2", "--limit", "200", "--test-limit", "100", "--batch-size", "50", "--json",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // --json: one object per epoch on stdout, nothing else
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        for (int i = 0; i < 2; i++) {
            Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(lines[i]));
            assertEquals(i + 1, ((Number) m.get("epoch")).intValue());
            assertEquals(2, ((Number) m.get("epochs")).intValue());
            for (String k : List.of("train_loss", "train_accuracy", "test_loss", "test_accuracy", "images_per_second", "seconds"))
                assertInstanceOf(Number.class, m.get(k), k);
        }
        double testAccuracy = ((Number) ((Map<?, ?>) Json.parse(lines[1])).get("test_accuracy")).doubleValue();

        // every picture decodes with its size
        int[][] sizes = {{1280, 420}, {940, 800}, {1050, 676}, {904, 200}, {976, -1}};
        String[] files = {"curves.png", "confusion.png", "samples.png", "filters.png", "featuremaps.png"};
        for (int i = 0; i < files.length; i++) {
            BufferedImage bi = decode(out.resolve(files[i]));
            assertEquals(sizes[i][0], bi.getWidth(), files[i]);
            if (sizes[i][1] > 0) assertEquals(sizes[i][1], bi.getHeight(), files[i]);
        }
        // the confusion matrix is the final evaluation: 100 images, its diagonal is the reported accuracy
        List<String> csv = Files.readAllLines(out.resolve("confusion.csv"));
        assertEquals(11, csv.size());
        assertTrue(csv.get(0).startsWith("true\\predicted,T-Shirt,Trouser,"), csv.get(0));
        int total = 0, diagonal = 0;
        for (int t = 1; t <= 10; t++) {
            String[] cells = csv.get(t).split(",");
            for (int p = 1; p <= 10; p++) {
                total += Integer.parseInt(cells[p]);
                if (p == t) diagonal += Integer.parseInt(cells[p]);
            }
        }
        assertEquals(100, total);
        assertEquals(testAccuracy, diagonal / 100.0, 1e-9);
        assertEquals(9, Files.readAllLines(out.resolve("iterations.csv")).size()); // header + 2 epochs x 4 batches

        // report.html: self-contained, every reference embedded or an existing file next to it
        String html = Files.readString(out.resolve("report.html"));
        List<String> refs = new ArrayList<>();
        Matcher m = REF.matcher(html);
        while (m.find()) refs.add(m.group(1));
        long embedded = refs.stream().filter(s -> s.startsWith("data:image/png;base64,")).count();
        assertEquals(5, embedded, "curves, confusion, samples, filters, feature maps are embedded");
        for (String ref : refs) {
            if (ref.startsWith("data:")) continue;
            assertFalse(ref.contains("://") || ref.startsWith("//"), ref);
            assertTrue(Files.isRegularFile(out.resolve(ref)), "report links to a missing file " + ref);
        }
        assertTrue(refs.contains(RunDirectory.MODEL_FILE) && refs.contains("confusion.csv"), refs.toString());
        assertTrue(html.contains("Total params: 1,475,338"), "the summary table is in the report");

        // --quiet: one line
        MainTest.Run quiet = run("train", "--epochs", "1", "--limit", "100", "--test-limit", "50", "--quiet", "--no-pictures",
                "--out", dir.resolve("q").toString());
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals(1, quiet.out().split("\n").length, quiet.out());
        assertTrue(quiet.out().startsWith("test accuracy "), quiet.out());
        assertFalse(Files.exists(dir.resolve("q").resolve("report.html")));
        assertEquals(2, run("train", "--quiet", "--json").code());
    }
}
