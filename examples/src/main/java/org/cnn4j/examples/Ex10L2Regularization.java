package org.cnn4j.examples;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 10 (seed 003): Keras' {@code kernel_regularizer=l2(a)} on the dense layers, which adds
 * {@code a * sum W^2} to the loss, against none. Measured: accuracy on the training set (evaluation mode,
 * after training) and on the test set, and their gap; a small training set and several epochs make the
 * network over-fit so that the regulariser has something to do.
 *
 * <pre>examples/run.sh Ex10L2Regularization --epochs 6 --limit 2000 --test-limit 2000</pre>
 */
public final class Ex10L2Regularization {
    static final String NAME = "ex10-l2";

    private Ex10L2Regularization() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 6, 2_000, 2_000, 64, "width", 16, "hidden", 300, "l2", "0.001");
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex10L2Regularization::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        double a = o.number("l2");
        if (!(a > 0)) throw new IllegalArgumentException(NAME + ": --l2 must be a positive number. Received: " + a);
        Report r = new Report("10. L2 regularisation on the dense layers (seed 003)").data(data.description()).settings(o.settings())
                .columns("dense kernel_regularizer", "train acc (eval)", "test acc", "gap (train - test)", "test loss", "seconds");
        double[] gap = new double[2];
        Map<String, double[]> bars = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            Rng.manualSeed(o.seed());
            SeedCnn cfg = new SeedCnn(o.positive("width"), false, "he_normal", false, o.positive("hidden"), i == 1 ? a : 0);
            var model = cfg.build(spec);
            Training.Run run = Training.train(cfg.label(), model, data.train(), data.test(), Training.Settings.of(o).withTrainSetEvaluation(true), log);
            gap[i] = run.trainEvalAccuracy() - run.testAccuracy();
            String name = i == 1 ? "l2(" + a + ")" : "none";
            r.row(name, run.trainEvalAccuracy(), run.testAccuracy(), gap[i], run.testLoss(), String.format(Locale.ROOT, "%.1f", run.seconds()));
            bars.put(name, new double[] {run.trainEvalAccuracy(), run.testAccuracy()});
        }
        r.note(String.format(Locale.ROOT, "train/test gap: %.4f without, %.4f with l2(%s); the seed's claim (the penalty curbs over-fitting) %s",
                gap[0], gap[1], a, gap[1] < gap[0] ? "held" : "did NOT hold"));
        if (o.out() != null)
            r.file(Charts.bars(o.out().resolve("l2.png"), "Train vs test accuracy, with and without l2 on the dense layers", "accuracy",
                    new ArrayList<>(List.of("train (eval mode)", "test")), bars, true));
        return r;
    }
}
