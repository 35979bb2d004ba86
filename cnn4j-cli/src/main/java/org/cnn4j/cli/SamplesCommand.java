package org.cnn4j.cli;

import org.cnn4j.data.Dataset;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j samples}: a grid of random samples of a dataset, each titled with its class name, drawn with
 * java.awt (headless) into a PNG, as the seeds' 4x5 Fashion-MNIST figure.
 */
@Command(name = "samples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Draw a grid of random samples of a dataset, titled with their class names, into a PNG file.")
final class SamplesCommand implements Callable<Integer> {
    /** Images are scaled up (nearest neighbour) until their longer side reaches this many pixels. */
    static final int MIN_CELL = 112;

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DataChoice.DEFAULT,
            description = "Dataset: fashion-mnist (default), mnist, kmnist, cifar10, cifar100, or folder:PATH.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory to look in first for the dataset's files.")
    Path dataDir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "4", description = "Rows of the grid (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", paramLabel = "N", defaultValue = "5", description = "Columns of the grid (default: ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed choosing the samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
            description = "Which part to draw from: train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--rows", rows);
        Options.positive(spec, "--cols", cols);
        if (rows * (long) cols > 10_000) throw new ParameterException(spec.commandLine(), "--rows x --cols must be at most 10,000 samples");
        if (!split.equals("train") && !split.equals("test"))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--split': '" + split + "' (train or test)");
        DataChoice.check(spec, dataset);
        PrintWriter stdout = spec.commandLine().getOut();
        DataChoice data = DataChoice.open(dataset, dataDir, null, false, spec.commandLine().getErr());
        Dataset ds = split.equals("train") ? data.train : data.test;
        if (ds == null) throw new FileProblem(data.title + " has no test part (expected " + data.dir + "/val/)");
        int[] chosen = choose(ds.size(), rows * cols, seed);
        BufferedImage grid = draw(ds, chosen, rows, cols);
        AtomicFiles.write(out, o -> {
            if (!ImageIO.write(grid, "png", o)) throw new IOException("no PNG writer in this Java runtime");
        });
        stdout.printf(Locale.ROOT, "wrote %s: %d %s samples of %s (seed %d), %dx%d pixels%n", out, chosen.length, split, data.title, seed,
                grid.getWidth(), grid.getHeight());
        stdout.flush();
        return Main.EXIT_OK;
    }

    /** {@code k} distinct indices of {@code [0, n)} (all of them, shuffled, when {@code n <= k}), by a seeded partial Fisher-Yates. */
    static int[] choose(int n, int k, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        int m = Math.min(n, k);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }

    /** The grid: each cell a title line (class name) above the image, scaled up by an integer factor. */
    static BufferedImage draw(Dataset ds, int[] indices, int rows, int cols) {
        System.setProperty("java.awt.headless", "true");
        int[] shape = ds.sampleShape();
        int c = shape.length == 3 ? shape[0] : 1, h = shape.length >= 2 ? shape[shape.length - 2] : 1, w = shape[shape.length - 1];
        int scale = Math.max(1, (MIN_CELL + Math.max(h, w) - 1) / Math.max(h, w));
        int cellW = Math.max(w * scale, 60), imgH = h * scale, pad = 8;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int titleH = fm.getHeight() + 4;
        int width = cols * (cellW + pad) + pad, height = rows * (titleH + imgH + pad) + pad;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(font);
        float[] x = new float[ds.sampleSize()];
        int plane = h * w;
        for (int k = 0; k < indices.length; k++) {
            int label = ds.copySample(indices[k], x, 0);
            int x0 = pad + (k % cols) * (cellW + pad), y0 = pad + (k / cols) * (titleH + imgH + pad);
            String title = fit(ds.classNames().get(label), fm, cellW);
            g.setColor(Color.BLACK);
            g.drawString(title, x0 + (cellW - fm.stringWidth(title)) / 2, y0 + fm.getAscent());
            int ix = x0 + (cellW - w * scale) / 2, iy = y0 + titleH;
            for (int yy = 0; yy < h; yy++)
                for (int xx = 0; xx < w; xx++) {
                    int p = yy * w + xx;
                    int r = byteOf(x[p]), gg = c >= 3 ? byteOf(x[plane + p]) : r, b = c >= 3 ? byteOf(x[2 * plane + p]) : r;
                    g.setColor(new Color(r, gg, b));
                    g.fillRect(ix + xx * scale, iy + yy * scale, scale, scale);
                }
        }
        g.dispose();
        return img;
    }

    private static int byteOf(float v) {
        return Math.round(Math.min(1f, Math.max(0f, Float.isNaN(v) ? 0f : v)) * 255f);
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) return s;
        while (s.length() > 1 && fm.stringWidth(s + "\u2026") > width) s = s.substring(0, s.length() - 1);
        return s + "\u2026";
    }
}
