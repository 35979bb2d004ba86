package org.cnn4j.examples;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.Datasets;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.summary.Summary;
import org.cnn4j.tensor.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 12 (seed 002): transfer learning with ResNet-18. The seed loads ImageNet weights, replaces
 * {@code fc} (512 -> 1000) by 512 -> 2, freezes everything else (11,177,538 parameters, 1,026 trainable)
 * and trains the head on ants vs bees; then fine-tunes a wider range. Without network access to
 * ImageNet weights, the source task here is 8 classes of the CIFAR-10 data (or its labelled Fashion-MNIST
 * stand-in) and the target task is the remaining 2 classes with few images per class, so the pretrained
 * features meet classes they have never seen, as ants and bees are new to an ImageNet model's head.
 *
 * <pre>examples/run.sh Ex12TransferLearning --epochs 2 --limit 8000 --test-limit 2000 --per-class 100</pre>
 */
public final class Ex12TransferLearning {
    static final String NAME = "ex12-transfer";

    private Ex12TransferLearning() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 2, 8_000, 2_000, 64, "per-class", 100, "target-epochs", 4);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex12TransferLearning::run, args);
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        List<String> notes = new ArrayList<>();
        ExampleData.Split data = ExampleData.cifarOrStandIn(o, notes);
        int n = data.numClasses(), perClass = o.positive("per-class");
        int[] s = data.sampleShape();
        int[] source = new int[n - 2];
        for (int c = 0; c < n - 2; c++) source[c] = c;
        int[] target = {n - 2, n - 1};
        Dataset sourceTrain = Datasets.ofClasses(data.train(), Integer.MAX_VALUE, source);
        Dataset sourceTest = Datasets.ofClasses(data.test(), Integer.MAX_VALUE, source);
        Dataset targetTrain = Datasets.ofClasses(data.train(), perClass, target);
        Dataset targetTest = Datasets.ofClasses(data.test(), Integer.MAX_VALUE, target);
        Training.Settings pre = Training.Settings.of(o);
        Training.Settings fine = new Training.Settings(o.positive("target-epochs"), Math.min(o.batchSize(), 32), o.lr(), true, o.seed(), false);

        Report r = new Report("12. Transfer learning with ResNet-18 (seed 002)").data(data.description()).settings(o.settings())
                .columns("model", "trainable params", "total params", "target test acc", "target test loss", "seconds");
        notes.forEach(r::note);

        // Source task: ResNet-18 (torchvision's layout) trained on the first n-2 classes.
        Rng.manualSeed(o.seed());
        Module pretrained = Zoo.create("resnet18", new ModelSpec(s[0], s[1], s[2], source.length));
        Training.Run p = Training.train("resnet18 source", pretrained, sourceTrain, sourceTest, pre, log);
        r.note(String.format(Locale.ROOT, "source task (classes %s, %d images): test accuracy %.4f after %d epochs",
                sourceTrain.classNames(), sourceTrain.size(), p.testAccuracy(), pre.epochs()));
        var weights = pretrained.stateDict();

        // The seed's recipe: fc replaced by 512 -> 2, everything else frozen.
        Rng.manualSeed(o.seed() + 1);
        Module head = fromPretrained(weights, s, source.length);
        head.replace("fc", new Linear(512, 2));
        head.freezeUntil("avgpool");
        Summary summary = Summary.of(head, s);
        r.note(String.format(Locale.ROOT, "summary after replacing fc and freezing the rest: %,d total, %,d trainable, %,d non-trainable",
                summary.totalParams(), summary.trainableParams(), summary.nonTrainableParams()));
        Training.Run a = Training.train("frozen backbone, new fc", head, targetTrain, targetTest, fine, log);
        r.row("pretrained, fc only (feature extraction)", head.trainableParameterCount(), head.parameterCount(), a.testAccuracy(),
                a.testLoss(), String.format(Locale.ROOT, "%.1f", a.seconds()));

        // A wider range: layer4 and fc train, starting from the head just trained.
        head.freezeUntil("layer3");
        Training.Run b = Training.train("layer4 + fc fine-tuned", head, targetTrain, targetTest, fine, log);
        r.row("then layer4 + fc fine-tuned", head.trainableParameterCount(), head.parameterCount(), b.testAccuracy(), b.testLoss(),
                String.format(Locale.ROOT, "%.1f", b.seconds()));

        // Baseline: the same network from scratch on the few target images.
        Rng.manualSeed(o.seed() + 2);
        Module scratch = Zoo.create("resnet18", new ModelSpec(s[0], s[1], s[2], 2));
        Training.Run c = Training.train("from scratch", scratch, targetTrain, targetTest, fine, log);
        r.row("from scratch (no pretraining)", scratch.trainableParameterCount(), scratch.parameterCount(), c.testAccuracy(), c.testLoss(),
                String.format(Locale.ROOT, "%.1f", c.seconds()));
        r.note("target task: classes " + targetTrain.classNames() + ", " + perClass + " training images per class, "
                + targetTest.size() + " test images");
        return r;
    }

    /** A ResNet-18 for {@code sourceClasses} classes carrying the pretrained weights (a fresh module: each approach starts alike). */
    private static Module fromPretrained(Map<String, org.cnn4j.tensor.Tensor> weights, int[] s, int sourceClasses) {
        Module m = Zoo.create("resnet18", new ModelSpec(s[0], s[1], s[2], sourceClasses));
        m.loadStateDict(weights, true);
        return m;
    }
}
