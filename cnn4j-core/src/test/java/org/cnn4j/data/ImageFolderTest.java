package org.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageFolderTest {
    @TempDir
    Path tmp;

    /** An RGB image whose pixel (x, y) is (r0 + x, g0 + y, b0 + x + y). */
    static BufferedImage rgb(int w, int h, int r0, int g0, int b0) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.setRGB(x, y, ((r0 + x) << 16) | ((g0 + y) << 8) | (b0 + x + y));
        return img;
    }

    static void save(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no writer for " + format);
    }

    /** root/{ant,cat,dog}: ant 2 PNGs, cat a BMP and a GIF and a nested PNG, dog a gray PNG; plus files to ignore. */
    Path tree() throws IOException {
        Path root = tmp.resolve("root");
        save(rgb(4, 3, 10, 20, 30), "png", root.resolve("ant/b.png"));
        save(rgb(4, 3, 100, 120, 130), "png", root.resolve("ant/a.PNG"));
        save(rgb(4, 3, 50, 60, 70), "bmp", root.resolve("cat/x.bmp"));
        BufferedImage gifImg = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB); // few colours: GIF keeps them exactly
        for (int y = 0; y < 3; y++) for (int x = 0; x < 4; x++) gifImg.setRGB(x, y, x < 2 ? 0xFF0000 : 0x0000FF);
        save(gifImg, "gif", root.resolve("cat/y.gif"));
        save(rgb(4, 3, 0, 0, 0), "png", root.resolve("cat/sub/z.png"));
        BufferedImage gray = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 4; x++) gray.getRaster().setSample(x, y, 0, 100 + 10 * x + y);
        save(gray, "png", root.resolve("dog/g.png"));
        Files.writeString(root.resolve("dog/notes.txt"), "not an image");
        Files.writeString(root.resolve("dog/.hidden.png"), "ignored");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("README"), "a file at the top is not a class");
        return root;
    }

    @Test
    void readsClassesFilesAndPixels() throws IOException {
        Path root = tree();
        ImageFolder ds = ImageFolder.builder(root).build();
        assertEquals(List.of("ant", "cat", "dog"), ds.classNames());
        assertEquals(6, ds.size());
        assertArrayEquals(new int[]{3, 3, 4}, ds.sampleShape());
        assertEquals(List.of(root.resolve("ant/a.PNG"), root.resolve("ant/b.png"), root.resolve("cat/sub/z.png"),
                root.resolve("cat/x.bmp"), root.resolve("cat/y.gif"), root.resolve("dog/g.png")), ds.files());
        assertArrayEquals(new int[]{2, 3, 1}, ds.classCounts());
        assertEquals(2, ds.classToIndex().get("dog"));
        assertTrue(ds.skipped().isEmpty());

        float[] x = new float[36];
        assertEquals(0, ds.copySample(0, x, 0)); // a.PNG: r = 100 + x, g = 120 + y, b = 130 + x + y
        assertEquals(101 / 255f, x[1]);            // red, (x 1, y 0)
        assertEquals(122 / 255f, x[12 + 2 * 4]);   // green, (x 0, y 2)
        assertEquals(135 / 255f, x[24 + 2 * 4 + 3]); // blue, (x 3, y 2)
        assertEquals(1, ds.copySample(3, x, 0));   // the BMP is lossless too
        assertEquals(53 / 255f, x[3]);
        assertEquals(1, ds.copySample(4, x, 0));   // the GIF: red left half, blue right half
        assertEquals(1f, x[0]);
        assertEquals(0f, x[3]);
        assertEquals(1f, x[24 + 3]);
        assertEquals(2, ds.copySample(5, x, 0));   // gray PNG read exactly, repeated into R, G and B
        for (int c = 0; c < 3; c++) assertEquals((100 + 10 * 2 + 1) / 255f, x[c * 12 + 4 + 2]);
    }

    @Test
    void grayscaleUsesPilLumaAndResizeIsBilinear() throws IOException {
        Path root = tree();
        ImageFolder gray = ImageFolder.builder(root).grayscale(true).build();
        assertArrayEquals(new int[]{1, 3, 4}, gray.sampleShape());
        // PIL's convert("L"): (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16 for a.PNG's pixel (x 2, y 1).
        int r = 102, g = 121, b = 133;
        assertEquals((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16, gray.rawByte(0, 4 + 2));
        assertEquals(100 + 10 * 3 + 2, gray.rawByte(5, 2 * 4 + 3), "gray stays gray");

        ImageFolder small = ImageFolder.builder(root).size(2, 3).threads(2).build();
        assertArrayEquals(new int[]{3, 2, 3}, small.sampleShape());
        ImageDecoder.Pixels p = ImageDecoder.read(root.resolve("ant/a.PNG"), 3);
        float[] f = new float[p.data().length];
        for (int i = 0; i < f.length; i++) f[i] = p.data()[i] & 0xFF;
        float[] expected = ImageResize.bilinear(f, 3, 3, 4, 2, 3);
        for (int j = 0; j < expected.length; j++) assertEquals(Math.round(expected[j]), small.rawByte(0, j), "element " + j);
    }

    @Test
    void mixedSizesNeedASize() throws IOException {
        Path root = tree();
        save(rgb(5, 5, 1, 1, 1), "png", root.resolve("dog/big.png"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFolder.builder(root).build());
        assertEquals(root.resolve("dog/big.png"), e.file());
        assertTrue(e.getMessage().contains("is 5x5") && e.getMessage().contains("3x4"), e.getMessage());
        assertEquals(7, ImageFolder.builder(root).size(8, 8).build().size());
    }

    @Test
    void corruptFilesFailOrAreSkipped() throws IOException {
        Path root = tree();
        Path garbage = root.resolve("cat/broken.png");
        Files.writeString(garbage, "this is not a PNG");
        byte[] png = Files.readAllBytes(root.resolve("ant/b.png"));
        Path truncated = root.resolve("dog/cut.png");
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFolder.builder(root).build());
        assertTrue(e.file().equals(garbage) || e.file().equals(truncated), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file().toString()), e.getMessage());

        List<String> log = new ArrayList<>();
        ImageFolder ds = ImageFolder.builder(root).skipCorrupt(true).log(log::add).build();
        assertEquals(6, ds.size());
        assertEquals(List.of(garbage, truncated), ds.skipped().stream().map(ImageFolder.Skipped::file).toList());
        assertFalse(ds.skipped().getFirst().reason().isBlank());
        assertEquals(2, log.size());
        assertTrue(log.getFirst().contains("skipping " + garbage), log.toString());
        assertFalse(ds.files().contains(garbage));
        assertTrue(ds.toString().contains("2 skipped"), ds.toString());
    }

    @Test
    void trainValFoldersAndFractionSplit() throws IOException {
        Path root = tmp.resolve("split");
        for (int i = 0; i < 5; i++) {
            save(rgb(2, 2, i, 0, 0), "png", root.resolve("train/bird/" + i + ".png"));
            save(rgb(2, 2, i, 9, 0), "png", root.resolve("train/fish/" + i + ".png"));
        }
        save(rgb(2, 2, 7, 7, 7), "png", root.resolve("val/fish/v.png"));
        assertTrue(ImageFolder.hasSplitFolders(root));
        ImageFolder.Split s = ImageFolder.builder(root).buildSplit();
        assertEquals(List.of("bird", "fish"), s.train().classNames());
        assertEquals(List.of("bird", "fish"), s.val().classNames(), "validation keeps the training labels");
        assertEquals(10, s.train().size());
        assertEquals(1, s.val().size());
        assertEquals(1, s.val().label(0), "fish is label 1 even though val has no bird folder");

        save(rgb(2, 2, 7, 7, 7), "png", root.resolve("val/whale/w.png"));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.builder(root).buildSplit());
        assertTrue(e.getMessage().contains("[whale]"), e.getMessage());

        List<Dataset> parts = Datasets.stratifiedSplit(s.train(), 0.2, 42);
        assertEquals(8, parts.get(0).size());
        assertEquals(2, parts.get(1).size());
        assertNotEquals(parts.get(1).label(0), parts.get(1).label(1), "one of each class held out");
    }

    @Test
    void emptyOrMissingFoldersAreClearErrors() throws IOException {
        Path root = tmp.resolve("empty");
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/readme.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.builder(root).build());
        assertTrue(e.getMessage().contains("class folder 'a' holds no image"), e.getMessage());
        Path none = tmp.resolve("none");
        Files.createDirectories(none);
        IOException n = assertThrows(IOException.class, () -> ImageFolder.builder(none).build());
        assertTrue(n.getMessage().contains("no class folders"), n.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageFolder.builder(tmp.resolve("missing")).build());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder(root).size(0, 3));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder(root).channels(2));
    }
}
