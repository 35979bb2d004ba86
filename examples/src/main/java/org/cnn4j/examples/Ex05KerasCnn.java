package org.cnn4j.examples;

import org.cnn4j.graph.Model;
import org.cnn4j.models.KerasCNN;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.summary.KerasSummary;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 5 (seed 003): the Keras CNN built with the functional API ({@link KerasCNN}: Input, Conv2D
 * 32 same relu, Conv2D 64 relu, MaxPooling2D, Flatten, Dense 100 relu, Dropout 0.4, Dense 10), its Keras
 * {@code model.summary()} (1,101,526 parameters), trained with Adam.
 *
 * <pre>examples/run.sh Ex05KerasCnn --epochs 2 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: {@code bin/cnn4j summary --model keras-cnn --style keras}, then
 * {@code bin/cnn4j train --model keras-cnn --epochs 2 --limit 10000 --test-limit 2000 --batch-size 64}.
 */
public final class Ex05KerasCnn {
    static final String NAME = "ex05-keras-cnn";
    public static final long SEED_PARAMS = 1_101_526;

    private Ex05KerasCnn() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 64);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex05KerasCnn::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        Rng.manualSeed(o.seed());
        Model model = KerasCNN.create(new ModelSpec(s[0], s[1], s[2], data.numClasses()));
        KerasSummary summary = KerasSummary.of(model, s);
        Training.Run run = Training.train("KerasCNN", model, data.train(), data.test(), Training.Settings.of(o), log);
        Report r = new Report("5. The Keras CNN of seed 003, functional API").data(data.description()).settings(o.settings())
                .columns("model", "params", "seed's params", "epochs", "test acc", "test loss", "train acc (last epoch)", "seconds");
        r.row("KerasCNN", model.parameterCount(), data.numClasses() == 10 ? SEED_PARAMS : -1L, run.history().size(), run.testAccuracy(),
                run.testLoss(), run.trainAccuracy(), String.format(Locale.ROOT, "%.1f", run.seconds()));
        r.text(summary.table());
        if (data.numClasses() == 10)
            r.note("parameter count " + (model.parameterCount() == SEED_PARAMS ? "equals" : "DIFFERS FROM") + " the seed's 1,101,526");
        return r;
    }
}
