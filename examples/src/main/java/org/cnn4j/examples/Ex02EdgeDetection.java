package org.cnn4j.examples;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Padding;
import org.cnn4j.vision.Filter;
import org.cnn4j.vision.Filters;
import org.cnn4j.vision.ImageFilters;
import org.cnn4j.vision.Kernel;
import org.cnn4j.viz.ImageFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 2: edge detection on a real grayscale photograph. Seed 002 defines {@code convolve(image,
 * kernel)} in NumPy (valid convolution, {@code out = (h - k_h + 1) x (w - k_w + 1)}, each value
 * {@code np.sum(image[i:i+k_h, j:j+k_w] * kernel)} on 0..255 pixels) and applies the 8-neighbour edge
 * kernel {@code [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]}; seed 004 shows a table of kernels (identity, three edge
 * detectors, sharpen), to which Sobel x/y are added. Here {@link #convolve} is seed 002's function
 * written out in Java, checked against the library's convolution ({@link ImageFilters#convolve}, the op
 * behind {@code nn.Conv2d}), and every kernel of the table is applied to the photo.
 *
 * <pre>tools/sample-images.sh samples && examples/run.sh Ex02EdgeDetection --image samples/camera.png</pre>
 * CLI recipe: {@code bin/cnn4j filter samples/camera.png edges.png --kernel edge --padding valid} (and
 * {@code --kernel identity|edge-diagonal|laplacian|sharpen|sobel-x|sobel-y}).
 */
public final class Ex02EdgeDetection {
    static final String NAME = "ex02-edge-detection";

    private Ex02EdgeDetection() {}

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("image", "samples/camera.png");
        d.put("out", "runs/examples/" + NAME);
        d.put("tile", "256");
        return d;
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex02EdgeDetection::run, args);
    }

    /** Seed 002's 8-neighbour edge kernel. */
    public static final float[][] EDGE = {{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}};

    /** The kernels of seed 004's table plus Sobel x/y, in the table's order. */
    public static List<Kernel> kernelTable() {
        List<Kernel> k = new ArrayList<>();
        k.add(Filters.identity());
        for (String n : List.of("edge-diagonal", "laplacian", "edge", "sharpen", "sobel-x", "sobel-y"))
            k.add(Filters.named(n, Double.NaN).kernels().getFirst());
        return k;
    }

    /** Seed 002's {@code convolve}: valid cross-correlation of a [h][w] image with a [kh][kw] kernel, in double. */
    public static double[][] convolve(double[][] image, float[][] kernel) {
        int h = image.length, w = image[0].length, kh = kernel.length, kw = kernel[0].length;
        int outH = h - kh + 1, outW = w - kw + 1;
        if (outH < 1 || outW < 1)
            throw new IllegalArgumentException("convolve: kernel " + kh + "x" + kw + " is larger than the image " + h + "x" + w);
        double[][] out = new double[outH][outW];
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++) {
                double s = 0;
                for (int a = 0; a < kh; a++) for (int b = 0; b < kw; b++) s += image[i + a][j + b] * kernel[a][b];
                out[i][j] = s;
            }
        return out;
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        Path file = o.path("image");
        if (file == null || !Files.isRegularFile(file))
            throw new IOException("no image at " + file + "; fetch the seeds' photographs with tools/sample-images.sh samples");
        return run(ImageFilters.toGray(ImageFiles.read(file)), file.getFileName().toString(), o.out(), o.positive("tile"), log);
    }

    /** The experiment on a gray image with values in [0, 1] (the tests pass a synthetic one). */
    public static Report run(Image gray, String imageName, Path out, int tile, PrintStream log) throws IOException {
        int h = gray.height(), w = gray.width();
        // Seed 002 works on the 0..255 array of PIL's convert('L').
        double[][] pixels = new double[h][w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) pixels[y][x] = Math.round(gray.get(0, y, x) * 255f);
        double[][] seed = convolve(pixels, EDGE);
        Image img255 = new Image(1, h, w, new float[h * w]);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img255.set(0, y, x, (float) pixels[y][x]);
        Image lib = ImageFilters.convolve(img255, Filter.of(Kernel.of("edge", EDGE)), 1, Padding.VALID);
        double maxDiff = 0;
        for (int y = 0; y < seed.length; y++)
            for (int x = 0; x < seed[0].length; x++) maxDiff = Math.max(maxDiff, Math.abs(seed[y][x] - lib.get(0, y, x)));

        Report r = new Report("2. Edge detection and the kernel table on " + imageName + " (seeds 002, 004)")
                .data(imageName + ", " + w + "x" + h + " gray (0..255)")
                .settings("valid convolution (seed 002's convolve), stride 1; pictures min-max scaled as plt.imshow(cmap='gray'), clipped for kernels summing to 1")
                .columns("kernel", "weights", "output", "min", "max", "mean abs(value)", "share with abs(value) > 64");
        r.note(String.format(Locale.ROOT, "seed 002's convolve() in plain loops vs the library's Conv2dOp on the edge kernel: output %dx%d both, "
                + "largest difference %.3g", seed.length, seed[0].length, maxDiff));
        List<ImageTools.Tile> tiles = new ArrayList<>();
        tiles.add(new ImageTools.Tile("original", gray));
        for (Kernel k : kernelTable()) {
            Image y = ImageFilters.convolve(img255, Filter.of(k), 1, Padding.VALID);
            ImageFilters.Range range = ImageFilters.range(y);
            double abs = 0;
            long strong = 0;
            for (float v : y.data()) {
                abs += Math.abs(v);
                if (Math.abs(v) > 64) strong++;
            }
            int n = y.data().length;
            r.row(k.name(), k.matrix().replace("\n", " ").trim(), y.width() + "x" + y.height(), (double) range.min(), (double) range.max(),
                    abs / n, (double) strong / n);
            boolean sumsToOne = Math.abs(k.sum() - 1) < 1e-6;
            Image shown = sumsToOne ? ImageFilters.rescale(scale(y, 1 / 255f), ImageFilters.Rescale.CLIP)
                    : ImageFilters.rescale(y, ImageFilters.Rescale.MINMAX);
            tiles.add(new ImageTools.Tile(k.name(), shown));
            if (out != null) r.file(ImageFiles.write(out.resolve(k.name() + ".png"), shown));
            if (log != null) log.printf(Locale.ROOT, "  %-14s values %.0f..%.0f%n", k.name(), range.min(), range.max());
        }
        if (out != null) r.file(ImageFiles.write(out.resolve("kernels.png"), ImageTools.sheet(tiles, 4, tile)));
        r.note("flat regions give 0 with every edge kernel (their weights sum to 0) and keep their value with identity and sharpen (sum 1)");
        return r;
    }

    static Image scale(Image img, float f) {
        float[] d = img.data().clone();
        for (int i = 0; i < d.length; i++) d[i] *= f;
        return new Image(img.channels(), img.height(), img.width(), d);
    }
}
