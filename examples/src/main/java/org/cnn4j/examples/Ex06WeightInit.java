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
 * Experiment 6 (seed 003): the seed's CNN ({@link SeedCnn}) with three kernel initialisers, PyTorch's
 * {@code default} (cnn4j's default), Keras {@code glorot_normal} and {@code he_normal}, each without and
 * with BatchNormalization after every convolution; test accuracy after the same epochs. The seed's claim:
 * with BN the initialiser makes little difference. The spread (best minus worst) over the initialisers
 * is reported for both.
 *
 * <pre>examples/run.sh Ex06WeightInit --epochs 1 --limit 10000 --test-limit 2000</pre>
 */
public final class Ex06WeightInit {
    static final String NAME = "ex06-weight-init";

    private Ex06WeightInit() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 1, 10_000, 2_000, 64, "width", 16, "inits", "default,glorot_normal,he_normal");
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex06WeightInit::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        String[] inits = o.string("inits").split(",");
        Report r = new Report("6. Weight initialisation with and without BatchNorm (seed 003)").data(data.description()).settings(o.settings())
                .columns("initialiser", "batch norm", "params", "test acc", "test loss", "train acc (last epoch)", "seconds");
        Map<String, double[]> bars = new LinkedHashMap<>();
        double[][] acc = new double[2][inits.length];
        for (int bn = 0; bn < 2; bn++) {
            for (int i = 0; i < inits.length; i++) {
                String init = inits[i].trim();
                Rng.manualSeed(o.seed());
                SeedCnn cfg = SeedCnn.plain(o.positive("width")).withInit(init).withBatchNorm(bn == 1);
                var model = cfg.build(spec);
                Training.Run run = Training.train(cfg.label(), model, data.train(), data.test(), Training.Settings.of(o), log);
                acc[bn][i] = run.testAccuracy();
                r.row(init, bn == 1 ? "yes" : "no", model.parameterCount(), run.testAccuracy(), run.testLoss(), run.trainAccuracy(),
                        String.format(Locale.ROOT, "%.1f", run.seconds()));
            }
            bars.put(bn == 1 ? "with BatchNorm" : "without BatchNorm", acc[bn]);
        }
        double spreadPlain = spread(acc[0]), spreadBn = spread(acc[1]);
        r.note(String.format(Locale.ROOT, "spread of test accuracy over the initialisers: without BN %.4f, with BN %.4f", spreadPlain, spreadBn));
        r.note("the seed's claim (with BN the initialiser matters little, i.e. less than without) "
                + (spreadBn < spreadPlain ? "held" : "did NOT hold") + " in this run");
        if (o.out() != null) {
            List<String> cats = new ArrayList<>();
            for (String i : inits) cats.add(i.trim());
            r.file(Charts.bars(o.out().resolve("weight-init.png"), "Test accuracy by initialiser", "test accuracy", cats, bars, true));
        }
        return r;
    }

    static double spread(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return hi - lo;
    }
}
