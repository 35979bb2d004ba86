package org.cnn4j.examples;

import org.cnn4j.models.FashionCNN;
import org.cnn4j.models.FashionDNN;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.EpochResult;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiment 1 (seed 000): the fully connected FashionDNN (235,146 parameters) against FashionCNN
 * (1,475,338) on Fashion-MNIST, trained the same way (Adam lr 0.001, batches of 100, the same epochs
 * and data). The seed's conclusion: the CNN is somewhat more accurate.
 *
 * <pre>examples/run.sh Ex01DnnVsCnn --epochs 2 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: {@code bin/cnn4j train --model fashion-dnn --epochs 2 --limit 10000 --test-limit 2000} and the
 * same with {@code --model fashion-cnn}.
 */
public final class Ex01DnnVsCnn {
    static final String NAME = "ex01-dnn-vs-cnn";

    private Ex01DnnVsCnn() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 10_000, 2_000, 100);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex01DnnVsCnn::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        Training.Settings settings = Training.Settings.of(o);
        Report r = new Report("1. FashionDNN vs FashionCNN (seed 000)").data(data.description()).settings(o.settings())
                .columns("model", "params", "epoch 1 test acc", "final test acc", "final test loss", "train acc (last epoch)", "train img/s", "seconds");
        Map<String, double[]> curves = new LinkedHashMap<>();
        Training.Run[] runs = new Training.Run[2];
        for (int i = 0; i < 2; i++) {
            Rng.manualSeed(o.seed());
            Module model = i == 0 ? new FashionDNN(spec) : new FashionCNN(spec);
            String label = i == 0 ? "FashionDNN" : "FashionCNN";
            Training.Run run = Training.train(label, model, data.train(), data.test(), settings, log);
            runs[i] = run;
            double imgs = run.history().stream().mapToDouble(EpochResult::trainImagesPerSecond).average().orElse(Double.NaN);
            r.row(label, run.params(), run.history().getFirst().testAccuracy(), run.testAccuracy(), run.testLoss(), run.trainAccuracy(),
                    Math.round(imgs), String.format(java.util.Locale.ROOT, "%.1f", run.seconds()));
            curves.put(label, run.history().stream().mapToDouble(EpochResult::testAccuracy).toArray());
        }
        double diff = runs[1].testAccuracy() - runs[0].testAccuracy();
        r.note(String.format(java.util.Locale.ROOT, "CNN minus DNN test accuracy: %+.4f; the seed's claim (the CNN is somewhat better) %s",
                diff, diff > 0 ? "held" : "did NOT hold"));
        if (o.out() != null) {
            double[] epochs = new double[settings.epochs()];
            for (int e = 0; e < epochs.length; e++) epochs[e] = e + 1;
            if (epochs.length > 1)
                r.file(Charts.lines(o.out().resolve("accuracy.png"), "FashionDNN vs FashionCNN: test accuracy", "epoch", "test accuracy",
                        epochs, curves, false));
            else
                r.file(Charts.bars(o.out().resolve("accuracy.png"), "FashionDNN vs FashionCNN: test accuracy", "test accuracy",
                        List.of("epoch 1"), curves, true));
        }
        return r;
    }
}
