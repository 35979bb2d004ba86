package org.cnn4j.examples;

import org.cnn4j.models.MnistEncoder;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.summary.Summary;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 14 (seed 004): the MNIST-style encoder, five {@code BatchedCNNLayer} blocks [Conv 3x3 pad 1,
 * ReLU, Conv 3x3 stride 2 pad 1, ReLU] with channels 1-32-64-128-256-512 (28 -> 14 -> 7 -> 4 -> 2 -> 1),
 * then Linear 512 -> 200, ReLU, Linear 200 -> classes ({@link MnistEncoder}), trained on Fashion-MNIST
 * (MNIST itself is not installed on the machine the figures come from; the model is the same).
 *
 * <pre>examples/run.sh Ex14MnistEncoder --epochs 2 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: {@code bin/cnn4j train --model mnist-encoder --epochs 2 --limit 10000 --test-limit 2000}.
 */
public final class Ex14MnistEncoder {
    static final String NAME = "ex14-mnist-encoder";

    private Ex14MnistEncoder() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 100);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex14MnistEncoder::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        Rng.manualSeed(o.seed());
        MnistEncoder model = new MnistEncoder(new ModelSpec(s[0], s[1], s[2], data.numClasses()));
        Summary summary = Summary.of(model, s);
        Training.Run run = Training.train("MnistEncoder", model, data.train(), data.test(), Training.Settings.of(o), log);
        Report r = new Report("14. The MNIST encoder of seed 004 (five BatchedCNNLayer blocks)").data(data.description()).settings(o.settings())
                .columns("model", "params", "epochs", "test acc", "test loss", "train acc (last epoch)", "seconds");
        r.row("MnistEncoder", model.parameterCount(), run.history().size(), run.testAccuracy(), run.testLoss(), run.trainAccuracy(),
                String.format(Locale.ROOT, "%.1f", run.seconds()));
        r.text(summary.table());
        return r;
    }
}
