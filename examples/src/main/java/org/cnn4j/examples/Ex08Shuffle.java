package org.cnn4j.examples;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.Datasets;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Experiment 8 (seed 003: Keras' fit shuffles by default, which "helps a little"): the seed's CNN trained
 * with a new random order every epoch ({@code DataLoader.shuffle(true)}), with no shuffling (the file's
 * order every epoch), and, to show what shuffling protects against, with no shuffling on the training
 * set sorted by class (every batch holds one class).
 *
 * <pre>examples/run.sh Ex08Shuffle --epochs 3 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: none (the CLI always shuffles the training set).
 */
public final class Ex08Shuffle {
    static final String NAME = "ex08-shuffle";

    private Ex08Shuffle() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 3, 10_000, 2_000, 64, "width", 16, "sorted", "true");
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex08Shuffle::run, args);
    }

    /** The training set ordered by label (stable: the file's order within a class). */
    static Dataset sortedByClass(Dataset ds) {
        int[] order = IntStream.range(0, ds.size()).boxed().sorted(Comparator.comparingInt(ds::label)).mapToInt(Integer::intValue).toArray();
        return Datasets.subset(ds, order);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        Report r = new Report("8. Shuffling on / off (seed 003)").data(data.description()).settings(o.settings())
                .columns("training order", "test acc", "test loss", "train acc (last epoch)", "seconds");
        List<String> labels = new ArrayList<>(List.of("shuffled every epoch", "not shuffled (file order)"));
        if (o.flag("sorted")) labels.add("not shuffled, sorted by class");
        Map<String, double[]> curves = new LinkedHashMap<>();
        double[] acc = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            Rng.manualSeed(o.seed());
            var model = SeedCnn.plain(o.positive("width")).withBatchNorm(true).build(spec);
            Dataset train = i == 2 ? sortedByClass(data.train()) : data.train();
            Training.Run run = Training.train(labels.get(i), model, train, data.test(), Training.Settings.of(o).withShuffle(i == 0), log);
            acc[i] = run.testAccuracy();
            r.row(labels.get(i), run.testAccuracy(), run.testLoss(), run.trainAccuracy(), String.format(Locale.ROOT, "%.1f", run.seconds()));
            curves.put(labels.get(i), run.history().stream().mapToDouble(e -> e.testAccuracy()).toArray());
        }
        r.note(String.format(Locale.ROOT, "shuffled minus file order: %+.4f; the seed's claim (shuffling helps a little) %s", acc[0] - acc[1],
                acc[0] > acc[1] ? "held" : "did NOT hold (Fashion-MNIST's files are already in random order, so one fixed order is as good as any)"));
        if (acc.length > 2)
            r.note(String.format(Locale.ROOT, "sorted by class without shuffling: %.4f, %+.4f against shuffled", acc[2], acc[2] - acc[0]));
        if (o.out() != null && o.epochs() > 1) {
            double[] x = new double[o.epochs()];
            for (int e = 0; e < x.length; e++) x[e] = e + 1;
            r.file(Charts.lines(o.out().resolve("shuffle.png"), "Test accuracy by epoch", "epoch", "test accuracy", x, curves, false));
        }
        return r;
    }
}
