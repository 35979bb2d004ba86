package org.cnn4j.cli;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.transforms.AugmentSpec;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.data.transforms.SampleRandom;
import org.cnn4j.data.transforms.Transform;
import org.cnn4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j augment}: draws a grid of training images (one per row, titled with its label) beside
 * augmented variants of it into a PNG, to see what an {@code --augment} spec does before training with it.
 * Variant k of sample i is exactly what {@code train --augment SPEC --seed S} feeds in epoch k - 1.
 */
@Command(name = "augment", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Draw training images beside augmented variants of them into a PNG grid.",
                "SPEC is a comma-separated list of key or key=value, applied left to right, e.g. "
                        + "hflip,rotate=10,zoom=0.1,cutout=8,shift=0.1,brightness=0.2. " + AugmentCommand.KEYS_HELP},
        footer = {"See docs/augmentation.md for what each key does and the value range it expects."})
final class AugmentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DataChoice.DEFAULT,
            description = "Dataset to draw from, as for train: fashion-mnist (default), mnist, kmnist, cifar10, cifar100, or folder:PATH.")
    String dataset;

    @Option(names = "--augment", paramLabel = "SPEC", required = true,
            description = "Augmentation spec, e.g. \"hflip,rotate=10,zoom=0.1,cutout=8\".")
    String augment;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "augment.png",
            description = "PNG file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "8",
            description = "Number of images (rows) (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--variants", paramLabel = "K", defaultValue = "6",
            description = "Augmented variants per image (columns after the original) (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed for picking the images and for the augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "3",
            description = "Pixels per image pixel in the PNG (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the dataset's files (default: as for train).")
    Path dataDir;

    /** The spec keys for the help texts (a test checks it against AugmentSpec.KEYS). */
    static final String KEYS_HELP = "Keys: hflip[=P], vflip[=P], rotate=DEG, shift=F, wshift=F, hshift=F, shear=DEG, zoom=Z, "
            + "fill=constant|nearest|reflect|wrap, crop=PAD, resized-crop=S, perspective=D, brightness=B, contrast=C, saturation=S, hue=H, gamma=G, "
            + "rgbshift=L, grayscale=P, blur=SIGMA, median=K, boxblur=K, sharpen=F, noise=STD, cutout=SIZE, erase=P, equalize[=P], "
            + "invert[=P], solarize=T, posterize=BITS, rescale=F, normalize=MEAN:STD.";

    static final int MAX_COUNT = 100, MAX_VARIANTS = 30, MAX_SCALE = 16;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--count", count);
        Options.positive(spec, "--variants", variants);
        Options.positive(spec, "--scale", scale);
        if (count > MAX_COUNT || variants > MAX_VARIANTS || scale > MAX_SCALE)
            throw new ParameterException(spec.commandLine(), "--count is at most " + MAX_COUNT + ", --variants at most " + MAX_VARIANTS
                    + ", --scale at most " + MAX_SCALE + " (got " + count + ", " + variants + ", " + scale + ")");
        Transform transform;
        try {
            transform = AugmentSpec.parse(augment);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--augment': " + e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
        DataChoice.check(spec, dataset);
        Dataset train = DataChoice.open(dataset, dataDir, null, false, stderr).train;
        int[] shape = train.sampleShape();
        int c = shape.length == 3 ? shape[0] : 1, h = shape[shape.length - 2], w = shape[shape.length - 1];
        int n = Math.min(count, train.size());

        // distinct random samples, reproducible by seed
        SplittableRandom pick = new SplittableRandom(seed);
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < n) chosen.add(pick.nextInt(train.size()));

        Image[][] cells = new Image[n][variants + 1];
        String[] titles = new String[n];
        long nanos = 0;
        int row = 0;
        for (int index : chosen) {
            float[] x = new float[train.sampleSize()];
            int label = train.copySample(index, x, 0);
            titles[row] = train.classNames().get(label);
            cells[row][0] = new Image(c, h, w, x);
            for (int k = 0; k < variants; k++) {
                long t0 = System.nanoTime();
                cells[row][k + 1] = transform.apply(cells[row][0].copy(), SampleRandom.of(seed, k, index));
                nanos += System.nanoTime() - t0;
            }
            row++;
        }
        BufferedImage grid = draw(cells, titles, scale);
        AtomicFiles.write(out, os -> {
            if (!ImageIO.write(grid, "png", os)) throw new IOException("no PNG writer available");
        });
        stdout.printf(Locale.ROOT, "wrote %s: %d %s images x (original + %d variants), %dx%d px%n", out, n, dataset, variants,
                grid.getWidth(), grid.getHeight());
        stdout.printf(Locale.ROOT, "augmentation %s: %.1f us per image (%d images, first calls include JIT warm-up)%n",
                transform, nanos / 1e3 / (n * (double) variants), n * variants);
        stdout.flush();
        return Main.EXIT_OK;
    }

    /** The grid: a header line, then per row the original (titled with its label) and its variants. */
    static BufferedImage draw(Image[][] cells, String[] titles, int scale) {
        System.setProperty("java.awt.headless", "true");
        int maxH = 1, maxW = 1;
        for (Image[] r : cells)
            for (Image img : r) {
                maxH = Math.max(maxH, img.height());
                maxW = Math.max(maxW, img.width());
            }
        int pad = 6, title = 14, cellW = Math.max(maxW * scale, 48), cellH = maxH * scale;
        int cols = cells.length == 0 ? 1 : cells[0].length;
        int width = pad + cols * (cellW + pad), height = title + pad + cells.length * (title + cellH + pad);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            g.setColor(Color.DARK_GRAY);
            g.drawString("original", pad, title - 2);
            if (cols > 1) g.drawString("augmented (variant k = epoch k - 1)", pad + cellW + pad, title - 2);
            for (int r = 0; r < cells.length; r++) {
                int y0 = title + pad + r * (title + cellH + pad);
                for (int k = 0; k < cells[r].length; k++) {
                    int x0 = pad + k * (cellW + pad);
                    String t = k == 0 ? titles[r] : titles[r] + " #" + k;
                    while (fm.stringWidth(t) > cellW && t.length() > 1) t = t.substring(0, t.length() - 1);
                    g.setColor(k == 0 ? Color.BLACK : Color.GRAY);
                    g.drawString(t, x0, y0 + title - 3);
                    paint(out, cells[r][k], x0, y0 + title, scale);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Draws one image (grey, or RGB from the first 3 channels), values clamped to [0, 1]. */
    private static void paint(BufferedImage out, Image img, int x0, int y0, int scale) {
        for (int y = 0; y < img.height(); y++)
            for (int x = 0; x < img.width(); x++) {
                int r = byteOf(img.get(0, y, x));
                int gr = img.channels() >= 3 ? byteOf(img.get(1, y, x)) : r;
                int b = img.channels() >= 3 ? byteOf(img.get(2, y, x)) : r;
                int rgb = (r << 16) | (gr << 8) | b;
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++) out.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
            }
    }

    private static int byteOf(float v) {
        if (!(v > 0)) return 0;
        return v >= 1 ? 255 : Math.round(v * 255);
    }
}
