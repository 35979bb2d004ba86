package org.cnn4j.examples;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.models.Zoo;
import org.cnn4j.summary.Explain;
import org.cnn4j.vision.ImageFilters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Experiment 13: the worked arithmetic of seeds 000, 002 and 004, computed by the library and checked
 * against the seeds' printed results (as corrected in SEEDS.md): the 6x6 convolution with the X-shaped
 * 3x3 filter (4x4 output), the two 2x2 pooling examples (max and average), the output-size formula
 * {@code O = (I - F + 2P)/S + 1} for H = 4, F = 3, P = 1 and S = 1, 2, 3 (2.5 must be rejected), and the
 * layer-by-layer shape walk of the seeds' models. The same text comes from the CLI:
 * <pre>
 * bin/cnn4j explain conv --input 6x6 --kernel "1,0,1;0,1,0;1,0,1" --values "1,0,0,0,0,1;0,1,0,0,1,0;0,0,1,1,0,0;1,0,0,0,1,0;0,1,0,0,1,0;0,0,1,0,1,0"
 * bin/cnn4j explain conv --input 4x4 --kernel "1,1,1;1,1,1;1,1,1" --stride 2 --padding 1
 * bin/cnn4j explain --model fashion-cnn     (and cifar-cnn, mnist-encoder)
 * </pre>
 */
public final class Ex13Explain {
    static final String NAME = "ex13-explain";

    private Ex13Explain() {}

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("models", "fashion-cnn,cifar-cnn,mnist-encoder");
        d.put("out", "runs/examples/" + NAME);
        return d;
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex13Explain::run, args);
    }

    static final float[][] SEED_INPUT_6X6 = {
            {1, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 1, 0, 0}, {1, 0, 0, 0, 1, 0}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 0, 1, 0}};
    static final float[][] X_FILTER = {{1, 0, 1}, {0, 1, 0}, {1, 0, 1}};
    static final float[][] EXPECTED_4X4 = {{3, 1, 1, 3}, {1, 2, 3, 0}, {1, 2, 2, 2}, {3, 0, 3, 1}};
    static final float[][] POOL_000 = {{3, -1, 12, -1}, {-3, 1, 0, 1}, {2, -3, 0, 1}, {3, -2, 4, -1}};
    static final float[][] POOL_000_MAX = {{3, 12}, {3, 4}}, POOL_000_AVG = {{0, 3}, {0, 1}};
    static final float[][] POOL_004 = {
            {1, 2, 0, 1, 3, 2}, {3, 1, 2, 1, 0, 1}, {0, 4, 1, 0, 2, 5}, {1, 3, 2, 4, 2, 1}, {1, 2, 1, 4, 1, 2}, {0, 2, 5, 4, 3, 1}};
    static final float[][] POOL_004_MAX = {{3, 2, 3}, {4, 4, 5}, {2, 5, 3}};
    static final float[][] POOL_004_AVG = {{1.75f, 1, 1.5f}, {2, 1.75f, 2.5f}, {1.25f, 3.5f, 1.75f}};

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        Report r = new Report("13. The seeds' worked arithmetic through Explain").settings("exact values from SEEDS.md")
                .columns("worked example", "seed", "expected", "computed", "matches");
        Explain.ConvolutionExplanation conv = Explain.convolution(6, 6, X_FILTER, 1, 0, SEED_INPUT_6X6);
        r.row("6x6 input * X filter, stride 1, no padding", "000, 002", show(EXPECTED_4X4), show(conv.output()),
                yes(Arrays.deepEquals(conv.output(), EXPECTED_4X4)));
        r.text(conv.text());
        pool(r, "2x2 max pool, stride 2", "000, 002", POOL_000, ImageFilters.Pool.MAX, POOL_000_MAX);
        pool(r, "2x2 average pool, stride 2", "000, 002", POOL_000, ImageFilters.Pool.AVG, POOL_000_AVG);
        pool(r, "2x2 max pool, stride 2 (6x6)", "004", POOL_004, ImageFilters.Pool.MAX, POOL_004_MAX);
        pool(r, "2x2 average pool, stride 2 (6x6)", "004", POOL_004, ImageFilters.Pool.AVG, POOL_004_AVG);
        float[][] ones = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
        String[] expected = {"4", "2.5: rejected", "2"};
        for (int s = 1; s <= 3; s++) {
            Explain.ConvolutionExplanation e = Explain.convolution(4, 4, ones, s, 1, null);
            String got = e.valid() ? Integer.toString(e.outH()) : "2.5: rejected";
            r.row("O = (4 - 3 + 2*1)/" + s + " + 1", "004", expected[s - 1], got, yes(got.equals(expected[s - 1])));
            if (s == 2) r.text(e.text());
        }
        for (String name : o.string("models").split(",")) {
            var entry = Zoo.entry(name.trim());
            Explain.ModelExplanation m = Explain.model(entry.create(entry.defaultSpec()), name.trim(), entry.inputShape());
            r.text(m.text());
        }
        return r;
    }

    private static void pool(Report r, String what, String seed, float[][] in, ImageFilters.Pool kind, float[][] expected) {
        int h = in.length, w = in[0].length;
        Image img = new Image(1, h, w, new float[h * w]);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.set(0, y, x, in[y][x]);
        Image out = ImageFilters.pool(img, kind, 2);
        float[][] got = new float[out.height()][out.width()];
        for (int y = 0; y < out.height(); y++) for (int x = 0; x < out.width(); x++) got[y][x] = out.get(0, y, x);
        r.row(what, seed, show(expected), show(got), yes(Arrays.deepEquals(got, expected)));
    }

    static String show(float[][] m) {
        if (m == null) return "-";
        StringBuilder sb = new StringBuilder();
        for (float[] row : m) {
            if (!sb.isEmpty()) sb.append(" / ");
            for (int j = 0; j < row.length; j++) {
                if (j > 0) sb.append(' ');
                sb.append(row[j] == Math.rint(row[j]) ? Integer.toString((int) row[j]) : Float.toString(row[j]));
            }
        }
        return sb.toString();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }
}
