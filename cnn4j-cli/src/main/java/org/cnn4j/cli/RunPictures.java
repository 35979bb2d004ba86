package org.cnn4j.cli;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.summary.Summary;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.RunDirectory;
import org.cnn4j.viz.ConfusionMatrix;
import org.cnn4j.viz.FeatureMaps;
import org.cnn4j.viz.FilterGrid;
import org.cnn4j.viz.HtmlReport;
import org.cnn4j.viz.ImageFiles;
import org.cnn4j.viz.SampleGrid;
import org.cnn4j.viz.TrainingCurves;
import org.cnn4j.viz.TrainingLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pictures {@code cnn4j train} leaves in the run directory after training, and the report that shows
 * them: curves.png, iterations.csv, confusion.png + confusion.csv, samples.png, filters.png,
 * featuremaps.png, report.html.
 */
final class RunPictures {
    static final String CURVES = "curves.png", ITERATIONS = "iterations.csv", CONFUSION_PNG = "confusion.png",
            CONFUSION_CSV = "confusion.csv", SAMPLES = "samples.png", FILTERS = "filters.png", FEATUREMAPS = "featuremaps.png",
            REPORT = "report.html";

    /** Test images in the sample grid (8 columns). */
    static final int SAMPLE_COUNT = 32;

    private RunPictures() {}

    /**
     * Writes every picture and the report; returns the file names written, in order.
     *
     * @param predictions the final evaluation's predictions in test-set order
     * @param metrics     the run's settings and figures (metrics.json), shown in the report
     * @param featureIndex the test image whose feature maps are drawn
     */
    static List<String> write(Path dir, Module net, String model, Dataset test, TrainingLog log, int[] predictions,
                              Map<String, Object> metrics, int[] inputShape, int featureIndex, ProgressMeter progress) throws IOException {
        List<String> written = new ArrayList<>();
        List<String> names = test.classNames();

        ImageFiles.write(dir.resolve(CURVES), TrainingCurves.render(log));
        AtomicFiles.writeString(dir.resolve(ITERATIONS), log.iterationsCsv());
        written.add(CURVES);
        written.add(ITERATIONS);
        step(progress);

        int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = test.label(i);
        ConfusionMatrix cm = ConfusionMatrix.of(labels, predictions, names);
        AtomicFiles.writeString(dir.resolve(CONFUSION_CSV), cm.csv());
        ImageFiles.write(dir.resolve(CONFUSION_PNG), cm.render());
        written.add(CONFUSION_PNG);
        written.add(CONFUSION_CSV);
        step(progress);

        int[] shape = test.sampleShape();
        List<SampleGrid.Sample> samples = new ArrayList<>();
        int wrong = 0;
        for (int i = 0; i < Math.min(SAMPLE_COUNT, test.size()); i++) {
            float[] d = new float[test.sampleSize()];
            test.copySample(i, d, 0);
            samples.add(new SampleGrid.Sample(new Image(shape[0], shape[1], shape[2], d), names.get(labels[i]), names.get(predictions[i])));
            if (labels[i] != predictions[i]) wrong++;
        }
        ImageFiles.write(dir.resolve(SAMPLES), SampleGrid.render(samples, 8, String.format(Locale.ROOT,
                "The first %d test images: true and predicted class (%d misclassified, in red)", samples.size(), wrong)));
        written.add(SAMPLES);
        step(progress);

        Conv2d first = null;
        String firstPath = null;
        for (var e : net.namedModules().entrySet())
            if (e.getValue() instanceof Conv2d c) {
                first = c;
                firstPath = e.getKey();
                break;
            }
        if (first != null) {
            ImageFiles.write(dir.resolve(FILTERS), FilterGrid.render(first.weight(), "Learned kernels of the first convolution, "
                    + firstPath + " (" + first.describe() + ")"));
            written.add(FILTERS);
        }
        step(progress);

        List<String> blocks = FeatureMaps.defaultLayers(net);
        if (!blocks.isEmpty() && featureIndex < test.size()) {
            float[] d = new float[test.sampleSize()];
            int truth = test.copySample(featureIndex, d, 0);
            Image img = new Image(shape[0], shape[1], shape[2], d);
            List<FeatureMaps.Capture> maps = FeatureMaps.capture(net, new Tensor(d.clone(), 1, shape[0], shape[1], shape[2]), blocks);
            if (!maps.isEmpty()) {
                ImageFiles.write(dir.resolve(FEATUREMAPS), FeatureMaps.render(img, String.format(Locale.ROOT,
                        "Feature maps of each conv block for test image %d (true %s, predicted %s)", featureIndex, names.get(truth),
                        names.get(predictions[featureIndex])), maps, 64));
                written.add(FEATUREMAPS);
            }
        }
        step(progress);

        HtmlReport report = new HtmlReport(String.format(Locale.ROOT, "cnn4j run: %s on Fashion-MNIST, test accuracy %.4f", model,
                cm.accuracy()));
        report.paragraph("Written by cnn4j train into " + dir.getFileName() + ". Everything is embedded in this page; the files "
                + "listed at the end lie next to it.");
        Map<String, Object> settings = new LinkedHashMap<>(metrics);
        report.table("Settings and results", settings);
        report.pre("Model summary", Summary.of(net, inputShape).table());
        report.picture("Loss and accuracy", dir.resolve(CURVES), "Training loss and accuracy of every batch (thin), their moving "
                + "average, and the test figures after every epoch (dots).");
        report.picture("Confusion matrix", dir.resolve(CONFUSION_PNG), "Rows: true class; columns: predicted class; counts of "
                + "the final evaluation. The same numbers are in " + CONFUSION_CSV + ".");
        report.picture("Test samples", dir.resolve(SAMPLES), "Misclassified images are framed in red.");
        report.picture("Learned filters", dir.resolve(FILTERS), "The first convolution's kernels.");
        report.picture("Feature maps", dir.resolve(FEATUREMAPS), "Each channel stretched min..max on its own; bright = strong "
                + "response.");
        report.links("Files", List.of(RunDirectory.MODEL_FILE, RunDirectory.METRICS_FILE, RunDirectory.HISTORY_FILE, ITERATIONS,
                CONFUSION_CSV));
        report.write(dir.resolve(REPORT));
        written.add(REPORT);
        step(progress);
        return written;
    }

    /** The steps {@link #write} reports to its progress meter. */
    static final int STEPS = 6;

    private static void step(ProgressMeter p) {
        if (p != null) p.stepBy(1);
    }
}
