package org.cnn4j.examples;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Padding;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.vision.ImageFilters;
import org.cnn4j.viz.ImageFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 3 (seed 001's {@code tf.nn.conv2d} example): the two colour photographs {@code china.jpg}
 * and {@code flower.jpg} (values / 255) as one batch, two 7x7 filters over all three channels (filter 0:
 * ones in the middle column, a vertical line; filter 1: ones in the middle row, a horizontal line),
 * stride 1, {@code padding='SAME'}:
 * <pre>
 * filters = np.zeros(shape=(7, 7, channels, 2)); filters[:, 3, :, 0] = 1; filters[3, :, :, 1] = 1
 * outputs = tf.nn.conv2d(images, filters, strides=1, padding='SAME')
 * plt.imshow(outputs[0, :, :, 1], cmap='gray')     # the first image's second feature map
 * </pre>
 * Here that is an {@code nn.Conv2d(3, 2, 7, padding=SAME, bias=False)} with those weights, NCHW; every
 * feature map is written as a gray picture (min-max, as {@code imshow}).
 *
 * <pre>examples/run.sh Ex03LineFilters --images samples/china.jpg,samples/flower.jpg</pre>
 * CLI recipe (per channel after a gray conversion, so the values differ by the luma weights):
 * {@code bin/cnn4j filter samples/china.jpg lines.png --kernel horizontal-line --gray}.
 */
public final class Ex03LineFilters {
    static final String NAME = "ex03-line-filters";

    private Ex03LineFilters() {}

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("images", "samples/china.jpg,samples/flower.jpg");
        d.put("out", "runs/examples/" + NAME);
        d.put("tile", "240");
        return d;
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex03LineFilters::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        List<Image> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : o.string("images").split(",")) {
            Path p = Path.of(s.trim());
            if (!Files.isRegularFile(p))
                throw new IOException("no image at " + p + "; fetch the seeds' photographs with tools/sample-images.sh samples");
            images.add(ImageFiles.read(p));
            names.add(p.getFileName().toString());
        }
        return run(images, names, o.out(), o.positive("tile"));
    }

    /** The two-filter convolution layer of the seed: weight [2, C, 7, 7], filter 0 vertical, filter 1 horizontal. */
    public static Conv2d lineFilters(int channels) {
        Conv2d conv = Conv2d.builder(channels, 2, 7).padding(Padding.SAME).bias(false).build();
        float[] w = conv.weight().data();
        Arrays.fill(w, 0f);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < 7; i++) {
                w[((0 * channels + c) * 7 + i) * 7 + 3] = 1; // [:, 3, c, 0] = 1: middle column
                w[((1 * channels + c) * 7 + 3) * 7 + i] = 1; // [3, :, c, 1] = 1: middle row
            }
        return conv;
    }

    /** The experiment on images of one size and channel count (values in [0, 1]). */
    public static Report run(List<Image> images, List<String> names, Path out, int tile) throws IOException {
        Image first = images.getFirst();
        int c = first.channels(), h = first.height(), w = first.width(), plane = h * w;
        for (Image im : images)
            if (im.channels() != c || im.height() != h || im.width() != w)
                throw new IllegalArgumentException("the images must share one shape to form a batch (as np.array([china, flower])): "
                        + Arrays.toString(first.shape()) + " vs " + Arrays.toString(im.shape()));
        float[] batch = new float[images.size() * c * plane];
        for (int i = 0; i < images.size(); i++) System.arraycopy(images.get(i).data(), 0, batch, i * c * plane, c * plane);
        Tensor y;
        try (var ignored = Autograd.noGrad()) {
            y = lineFilters(c).call(new Tensor(batch, images.size(), c, h, w));
        }
        int[] shape = y.shape();
        Report r = new Report("3. 7x7 vertical / horizontal line filters with SAME padding (seed 001)")
                .data(String.join(" + ", names) + " as one batch " + Arrays.toString(new int[] {images.size(), c, h, w}) + " (NCHW, / 255)")
                .settings("Conv2d(" + c + ", 2, 7, padding=SAME, bias=False), stride 1; filter 0 = ones in column 3 (vertical), filter 1 = ones in row 3 (horizontal)")
                .columns("image", "feature map", "shape", "min", "max", "mean");
        float[] yd = y.data();
        List<ImageTools.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            tiles.add(new ImageTools.Tile(names.get(i), images.get(i)));
            for (int f = 0; f < 2; f++) {
                float[] map = Arrays.copyOfRange(yd, (i * 2 + f) * plane, (i * 2 + f + 1) * plane);
                Image m = new Image(1, shape[2], shape[3], map);
                ImageFilters.Range range = ImageFilters.range(m);
                double mean = 0;
                for (float v : map) mean += v;
                String which = f == 0 ? "0 (vertical line)" : "1 (horizontal line)";
                r.row(names.get(i), which, shape[2] + "x" + shape[3], (double) range.min(), (double) range.max(), mean / plane);
                Image gray = ImageFilters.rescale(m, ImageFilters.Rescale.MINMAX);
                tiles.add(new ImageTools.Tile(names.get(i) + " map " + f + (f == 0 ? " vertical" : " horizontal"), gray));
                if (out != null) r.file(ImageFiles.write(out.resolve(stem(names.get(i)) + "-map" + f + ".png"), gray));
            }
        }
        if (out != null) r.file(ImageFiles.write(out.resolve("line-filters.png"), ImageTools.sheet(tiles, 3, tile)));
        r.note(String.format(Locale.ROOT, "output %s: SAME padding keeps %dx%d; a map value is the sum of 7 pixels x %d channels, so at most %d",
                Arrays.toString(shape), h, w, c, 7 * c));
        r.note("the seed shows outputs[0, :, :, 1], the first image's second (horizontal-line) map: here row '" + names.getFirst()
                + " / 1 (horizontal line)'; it blurs along rows, so horizontal structures stay sharp and vertical ones smear");
        return r;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
