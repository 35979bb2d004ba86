package org.cnn4j.examples;

import org.cnn4j.viz.ImageFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The experiments' comparison plots (XChart, PNG), written atomically through {@link ImageFiles}. */
public final class Charts {
    private Charts() {}

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Grouped bars: one group per category, one bar per series; y in [yMin, 1] when {@code accuracy}. */
    public static Path bars(Path file, String title, String yTitle, List<String> categories, Map<String, double[]> series,
                            boolean accuracy) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(720).height(420).title(title).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(chart.getStyler().getLabelsFont().deriveFont(10f));
        chart.getStyler().setYAxisDecimalPattern(accuracy ? "0.00" : "#,###");
        if (accuracy) {
            double min = 1;
            for (double[] v : series.values()) for (double d : v) min = Math.min(min, d);
            chart.getStyler().setYAxisMin(Math.max(0, Math.floor(min * 10 - 1) / 10));
            chart.getStyler().setYAxisMax(1.0);
        }
        for (var e : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (double d : e.getValue()) ys.add(d);
            chart.addSeries(e.getKey(), categories, ys);
        }
        return write(file, chart);
    }

    /** Lines over x (log2 axis when {@code logX}), one per series, with markers. */
    public static Path lines(Path file, String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series,
                             boolean logX) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (var e : series.entrySet()) chart.addSeries(e.getKey(), x, e.getValue());
        return write(file, chart);
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe5, 0xe5, 0xe5));
        st.setAntiAlias(true);
    }

    private static Path write(Path file, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        return ImageFiles.write(file, BitmapEncoder.getBufferedImage(chart));
    }
}
