package org.cnn4j.examples;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 9 (seed 003): global average pooling (one value per channel) instead of Flatten before the
 * dense layers. Flatten feeds {@code channels x H x W} values into the first Dense layer, GAP only
 * {@code channels}, so the dense layer shrinks by the factor {@code H x W}; the seed: GAP is not always
 * more accurate but resists over-fitting. Both variants of the seed's CNN, trained alike.
 *
 * <pre>examples/run.sh Ex09GlobalAveragePooling --epochs 2 --limit 10000 --test-limit 2000</pre>
 */
public final class Ex09GlobalAveragePooling {
    static final String NAME = "ex09-gap";

    private Ex09GlobalAveragePooling() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 64, "width", 32, "hidden", 100);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex09GlobalAveragePooling::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        Report r = new Report("9. Global average pooling vs Flatten + Dense (seed 003)").data(data.description()).settings(o.settings())
                .columns("head", "total params", "first Dense params", "test acc", "test loss", "train acc (last epoch)", "train - test", "seconds");
        double[] acc = new double[2];
        long[] params = new long[2];
        for (int gap = 0; gap < 2; gap++) {
            Rng.manualSeed(o.seed());
            SeedCnn cfg = new SeedCnn(o.positive("width"), true, "he_normal", gap == 1, o.positive("hidden"), 0);
            var model = cfg.build(spec);
            long dense = 0;
            for (var e : model.namedModules().entrySet())
                if (e.getValue() instanceof org.cnn4j.nn.Linear lin && dense == 0) dense = lin.weight().numel() + lin.bias().numel();
            Training.Run run = Training.train(cfg.label(), model, data.train(), data.test(), Training.Settings.of(o), log);
            acc[gap] = run.testAccuracy();
            params[gap] = model.parameterCount();
            r.row(gap == 1 ? "GlobalAveragePooling2D + Dense" : "Flatten + Dense", model.parameterCount(), dense, run.testAccuracy(),
                    run.testLoss(), run.trainAccuracy(), run.trainAccuracy() - run.testAccuracy(), String.format(Locale.ROOT, "%.1f", run.seconds()));
        }
        r.note(String.format(Locale.ROOT, "GAP has %,d fewer parameters (%.1f%% of Flatten's model); test accuracy %+.4f against Flatten",
                params[0] - params[1], 100.0 * params[1] / params[0], acc[1] - acc[0]));
        r.note("both with BatchNorm and he_normal, as the seed's later models; 'train - test' uses the last epoch's running train accuracy");
        return r;
    }
}
