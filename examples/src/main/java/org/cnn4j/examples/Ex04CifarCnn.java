package org.cnn4j.examples;

import org.cnn4j.models.CifarCNN;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.summary.Summary;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Experiment 4 (seed 002): the CIFAR CNN ({@link CifarCNN}), its torchsummary table compared row by row
 * with the one the seed prints for {@code summary(model, input_size=(3, 32, 32))}, then trained. CIFAR-10
 * is used when {@code Cifar.cifar10} finds it or can download it; otherwise a clearly labelled stand-in
 * (Fashion-MNIST resized to 32x32 and copied into 3 channels).
 *
 * <pre>examples/run.sh Ex04CifarCnn --epochs 2 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: {@code bin/cnn4j summary --model cifar-cnn} prints the table.
 */
public final class Ex04CifarCnn {
    static final String NAME = "ex04-cifar-cnn";

    private Ex04CifarCnn() {}

    /** Seed 002's table: layer, output shape, params; total 227,026. */
    public static final List<String[]> SEED_TABLE = List.of(
            new String[] {"Conv2d-1", "[-1, 7, 28, 28]", "532"},
            new String[] {"BatchNorm2d-2", "[-1, 7, 28, 28]", "14"},
            new String[] {"ReLU-3", "[-1, 7, 28, 28]", "0"},
            new String[] {"MaxPool2d-4", "[-1, 7, 14, 14]", "0"},
            new String[] {"Conv2d-5", "[-1, 15, 14, 14]", "2640"},
            new String[] {"BatchNorm2d-6", "[-1, 15, 14, 14]", "30"},
            new String[] {"ReLU-7", "[-1, 15, 14, 14]", "0"},
            new String[] {"MaxPool2d-8", "[-1, 15, 7, 7]", "0"},
            new String[] {"Linear-9", "[-1, 300]", "220800"},
            new String[] {"Linear-10", "[-1, 10]", "3010"});
    public static final long SEED_TOTAL = 227_026;

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 100);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex04CifarCnn::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        Summary s = Summary.of(new CifarCNN(), 3, 32, 32);
        List<String> mismatches = new ArrayList<>();
        if (s.rows().size() != SEED_TABLE.size())
            mismatches.add(s.rows().size() + " rows, the seed has " + SEED_TABLE.size());
        for (int i = 0; i < Math.min(s.rows().size(), SEED_TABLE.size()); i++) {
            Summary.Row row = s.rows().get(i);
            String[] e = SEED_TABLE.get(i);
            String got = row.name() + " " + row.shapeString() + " " + row.params();
            String want = e[0] + " " + e[1] + " " + e[2];
            if (!got.equals(want)) mismatches.add("row " + (i + 1) + ": " + got + " vs the seed's " + want);
        }
        if (s.totalParams() != SEED_TOTAL) mismatches.add("total " + s.totalParams() + " vs the seed's " + SEED_TOTAL);

        List<String> dataLog = new ArrayList<>();
        ExampleData.Split data = ExampleData.cifarOrStandIn(o, dataLog);
        dataLog.forEach(l -> { if (log != null) log.println("  " + l); });
        Rng.manualSeed(o.seed());
        CifarCNN model = new CifarCNN(new ModelSpec(3, 32, 32, data.numClasses()));
        Training.Run run = Training.train("CifarCNN", model, data.train(), data.test(), Training.Settings.of(o), log);

        Report r = new Report("4. The CIFAR CNN of seed 002: summary and training").data(data.description()).settings(o.settings())
                .columns("model", "params", "summary matches the seed", "epochs", "test acc", "test loss", "train acc (last epoch)", "seconds");
        r.row("CifarCNN", model.parameterCount(), mismatches.isEmpty() ? "yes, all " + SEED_TABLE.size() + " rows and the total" : "NO",
                run.history().size(), run.testAccuracy(), run.testLoss(), run.trainAccuracy(), String.format(java.util.Locale.ROOT, "%.1f", run.seconds()));
        r.text(s.table());
        mismatches.forEach(m -> r.note("summary mismatch: " + m));
        dataLog.forEach(r::note);
        if (data.description().startsWith("STAND-IN"))
            r.note("the accuracy is on the stand-in (clothing pictures), not on CIFAR-10's photos; it is not comparable with CIFAR-10 figures");
        return r;
    }

    /** The seed's table as text rows, for tests. */
    static String seedRow(int i) {
        return Arrays.toString(SEED_TABLE.get(i));
    }
}
