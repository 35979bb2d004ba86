package org.cnn4j.viz;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A confusion matrix: {@code counts[t][p]} = how many samples of true class {@code t} were predicted as
 * {@code p}. Rows are true classes, columns predictions, both in label order with the dataset's names.
 */
public record ConfusionMatrix(List<String> classNames, int[][] counts) {
    static {
        Headless.ensure();
    }

    public ConfusionMatrix {
        classNames = List.copyOf(classNames);
        int k = classNames.size();
        if (k == 0) throw new IllegalArgumentException("ConfusionMatrix: no classes");
        if (counts.length != k) throw new IllegalArgumentException("ConfusionMatrix: " + k + " classes but " + counts.length + " rows");
        int[][] copy = new int[k][];
        for (int i = 0; i < k; i++) {
            if (counts[i].length != k)
                throw new IllegalArgumentException("ConfusionMatrix: row " + i + " has " + counts[i].length + " columns, expected " + k);
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** Counts from labels and predictions in the same order. */
    public static ConfusionMatrix of(int[] labels, int[] predictions, List<String> classNames) {
        if (labels.length != predictions.length)
            throw new IllegalArgumentException("ConfusionMatrix: " + labels.length + " labels but " + predictions.length + " predictions");
        int k = classNames.size();
        int[][] c = new int[k][k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k || predictions[i] < 0 || predictions[i] >= k)
                throw new IllegalArgumentException("ConfusionMatrix: sample " + i + " has label " + labels[i] + " and prediction "
                        + predictions[i] + ", outside the " + k + " classes");
            c[labels[i]][predictions[i]]++;
        }
        return new ConfusionMatrix(classNames, c);
    }

    @Override
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) copy[i] = counts[i].clone();
        return copy;
    }

    public int count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    public long total() {
        long n = 0;
        for (int[] row : counts) for (int v : row) n += v;
        return n;
    }

    /** Fraction on the diagonal. */
    public double accuracy() {
        long d = 0;
        for (int i = 0; i < counts.length; i++) d += counts[i][i];
        long t = total();
        return t == 0 ? Double.NaN : (double) d / t;
    }

    /** Of the samples of class {@code t}, the fraction predicted as {@code t} (NaN when there are none). */
    public double recall(int t) {
        long row = 0;
        for (int v : counts[t]) row += v;
        return row == 0 ? Double.NaN : (double) counts[t][t] / row;
    }

    /**
     * CSV: header {@code true\predicted,<class names...>}, then one row per true class, its name first
     * (quoted when it holds a comma or a quote).
     */
    public String csv() {
        StringBuilder sb = new StringBuilder("true\\predicted");
        for (String n : classNames) sb.append(',').append(csvCell(n));
        sb.append('\n');
        for (int t = 0; t < counts.length; t++) {
            sb.append(csvCell(classNames.get(t)));
            for (int v : counts[t]) sb.append(',').append(v);
            sb.append('\n');
        }
        return sb.toString();
    }

    static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * The matrix as an XChart heat map with the count in every cell, coloured from white (0) to medium blue
     * (the largest count). True classes top to bottom, predictions left to right.
     */
    public BufferedImage render() {
        int k = classNames.size();
        int size = Math.max(560, Math.min(1400, 160 + 64 * k));
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 140).height(size)
                .title(String.format(java.util.Locale.ROOT, "Confusion matrix: %,d test images, accuracy %.4f", total(), accuracy()))
                .xAxisTitle("predicted").yAxisTitle("true").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setShowValue(true);
        int max = 1;
        for (int[] row : counts) for (int v : row) max = Math.max(max, v);
        st.setMin(0);
        st.setMax(max);
        // light to medium blue, so the black counts stay readable on every cell
        st.setRangeColors(new Color[] {new Color(0xff, 0xff, 0xff), new Color(0xc6, 0xdb, 0xef), new Color(0x6b, 0xae, 0xd6)});
        st.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, k > 20 ? 9 : 13));
        st.setValueFontColor(Color.BLACK);
        st.setLegendVisible(false);
        st.setHeatMapDecimalValueFormatter(v -> Long.toString(Math.round(v)));
        st.setXAxisLabelRotation(45);
        st.setAntiAlias(true);
        List<String> x = new ArrayList<>(classNames);
        List<String> y = new ArrayList<>();
        for (int i = k - 1; i >= 0; i--) y.add(classNames.get(i)); // first class at the top
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++) cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
        chart.addSeries("count", x, y, cells);
        return BitmapEncoder.getBufferedImage(chart);
    }
}
