package org.cnn4j.examples;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 7 (seed 003): test accuracy against the batch size (32, 128, 512, 2048 by default) for the
 * seed's CNN without and with BatchNorm, the same epochs and learning rate for all. The seed's claim: as
 * the batch grows, test accuracy drops sharply without BN and somewhat less with it.
 *
 * <pre>examples/run.sh Ex07BatchSize --epochs 2 --limit 10000 --test-limit 2000</pre>
 */
public final class Ex07BatchSize {
    static final String NAME = "ex07-batch-size";

    private Ex07BatchSize() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 32, "width", 16, "batch-sizes", "32,128,512,2048");
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex07BatchSize::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        int[] sizes = o.integers("batch-sizes");
        Report r = new Report("7. Batch size with and without BatchNorm (seed 003)").data(data.description())
                .settings(o.settings().replaceAll("--batch-size \\d+ ", ""))
                .columns("batch size", "batch norm", "steps per epoch", "test acc", "test loss", "train acc (last epoch)", "seconds");
        double[] x = new double[sizes.length];
        Map<String, double[]> lines = new LinkedHashMap<>();
        double[][] acc = new double[2][sizes.length];
        for (int bn = 0; bn < 2; bn++) {
            for (int i = 0; i < sizes.length; i++) {
                x[i] = sizes[i];
                Rng.manualSeed(o.seed());
                SeedCnn cfg = SeedCnn.plain(o.positive("width")).withBatchNorm(bn == 1);
                var model = cfg.build(spec);
                Training.Run run = Training.train(cfg.label() + " batch " + sizes[i], model, data.train(), data.test(),
                        Training.Settings.of(o).withBatchSize(sizes[i]), log);
                acc[bn][i] = run.testAccuracy();
                r.row(sizes[i], bn == 1 ? "yes" : "no", (data.train().size() + sizes[i] - 1) / sizes[i], run.testAccuracy(), run.testLoss(),
                        run.trainAccuracy(), String.format(Locale.ROOT, "%.1f", run.seconds()));
            }
            lines.put(bn == 1 ? "with BatchNorm" : "without BatchNorm", acc[bn]);
        }
        int last = sizes.length - 1;
        double dropPlain = acc[0][0] - acc[0][last], dropBn = acc[1][0] - acc[1][last];
        r.note(String.format(Locale.ROOT, "test accuracy lost from batch %d to batch %d: without BN %.4f, with BN %.4f",
                sizes[0], sizes[last], dropPlain, dropBn));
        r.note("the seed's claim (accuracy falls as the batch grows) " + (dropPlain > 0 && dropBn > 0 ? "held" : "did NOT hold")
                + "; (BN falls less) " + (dropBn < dropPlain ? "held" : "did NOT hold") + " in this run");
        if (o.out() != null)
            r.file(Charts.lines(o.out().resolve("batch-size.png"), "Test accuracy vs batch size (" + o.epochs() + " epoch(s), same lr)",
                    "batch size (log scale)", "test accuracy", x, lines, true));
        return r;
    }
}
