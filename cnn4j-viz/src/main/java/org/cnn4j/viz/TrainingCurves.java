package org.cnn4j.viz;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code curves.png}: loss and accuracy against the iteration, as the seeds plot them, drawn with XChart.
 * Left: the training loss of every batch (thin) with its moving average over about a tenth of an epoch,
 * and the test loss after every epoch (dots). Right: the same for accuracy.
 */
public final class TrainingCurves {
    private TrainingCurves() {}

    static {
        Headless.ensure();
    }

    static final Color TRAIN_RAW = new Color(0x1f, 0x77, 0xb4, 0x60);
    static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    static final Color TEST = new Color(0xff, 0x7f, 0x0e);

    /** Width and height of each of the two charts. */
    public static final int CHART_WIDTH = 640, CHART_HEIGHT = 420;

    /** Both charts side by side: {@code 2 * CHART_WIDTH x CHART_HEIGHT} pixels. */
    public static BufferedImage render(TrainingLog log) {
        if (log.iterations().isEmpty()) throw new IllegalArgumentException("no training iterations to plot");
        BufferedImage loss = BitmapEncoder.getBufferedImage(chart(log, true));
        BufferedImage acc = BitmapEncoder.getBufferedImage(chart(log, false));
        BufferedImage both = Draw.canvas(loss.getWidth() + acc.getWidth(), Math.max(loss.getHeight(), acc.getHeight()));
        Graphics2D g = both.createGraphics();
        g.drawImage(loss, 0, 0, null);
        g.drawImage(acc, loss.getWidth(), 0, null);
        g.dispose();
        return both;
    }

    static XYChart chart(TrainingLog log, boolean loss) {
        String what = loss ? "Loss" : "Accuracy";
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(what)
                .xAxisTitle("iteration (batch)").yAxisTitle(loss ? "cross-entropy loss" : "accuracy").build();
        var st = chart.getStyler();
        chart.getStyler().setLegendPosition(loss ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe5, 0xe5, 0xe5));
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        st.setAntiAlias(true);
        if (!loss) {
            chart.getStyler().setYAxisMax(1.0);
        }
        chart.getStyler().setYAxisMin(0.0);

        List<TrainingLog.Iteration> its = log.iterations();
        int n = its.size();
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = its.get(i).iteration();
            y[i] = loss ? its.get(i).loss() : its.get(i).accuracy();
        }
        if (!loss) {
            // keep the y axis readable when the curve starts far below its end
            double min = 1;
            for (double v : y) min = Math.min(min, v);
            chart.getStyler().setYAxisMin(Math.max(0, Math.floor(min * 10) / 10));
        }
        // XChart puts a tick on every k-th point of an equally spaced first series (1, 251, 501, ...); an invisible
        // first series that is not equally spaced makes it choose round ticks (0, 500, 1,000, ...).
        XYSeries anchor = chart.addSeries(" ", new double[] {0, 0.5, n}, new double[] {y[0], y[0], y[0]});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(SeriesLines.NONE);
        anchor.setShowInLegend(false);
        XYSeries raw = chart.addSeries("train (batch)", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(TRAIN_RAW);
        raw.setLineStyle(new BasicStroke(1f));
        int window = window(log);
        if (window > 1 && n > window) {
            XYSeries avg = chart.addSeries("train (moving average, " + window + " batches)", x, movingAverage(y, window));
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(TRAIN);
            avg.setLineStyle(new BasicStroke(2f));
        }
        List<TrainingLog.EpochPoint> eps = log.epochs().stream()
                .filter(p -> Double.isFinite(loss ? p.result().testLoss() : p.result().testAccuracy())).toList();
        if (!eps.isEmpty()) {
            double[] ex = new double[eps.size()], ey = new double[eps.size()];
            for (int i = 0; i < ex.length; i++) {
                ex[i] = eps.get(i).iteration();
                ey[i] = loss ? eps.get(i).result().testLoss() : eps.get(i).result().testAccuracy();
            }
            XYSeries test = chart.addSeries("test (after each epoch)", ex, ey);
            test.setMarker(SeriesMarkers.CIRCLE);
            test.setMarkerColor(TEST);
            test.setLineColor(TEST);
            test.setLineStyle(new BasicStroke(2f));
        }
        return chart;
    }

    /** About a tenth of an epoch, at least 1. */
    static int window(TrainingLog log) {
        int perEpoch = log.epochs().isEmpty() ? log.iterations().size() : Math.max(1, log.epochs().getFirst().iteration());
        return Math.max(1, perEpoch / 10);
    }

    /** Trailing mean over up to {@code window} values. */
    static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) sum -= y[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
