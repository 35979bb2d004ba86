package org.cnn4j.examples;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.Batch;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.transforms.ImageDataGenerator;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 11 (seed 003's section on data augmentation), written as the seed writes it:
 * <pre>
 * train_generator = ImageDataGenerator(horizontal_flip=True, rescale=1/255.0)
 * valid_generator = ImageDataGenerator(rescale=1/255.0)
 * flow_tr_gen = train_generator.flow(tr_images, tr_oh_labels, batch_size=BATCH_SIZE, shuffle=True)
 * flow_val_gen = valid_generator.flow(val_images, val_oh_labels, batch_size=BATCH_SIZE, shuffle=False)
 * </pre>
 * The images are the raw 0..255 pixels (the generators' {@code rescale} brings them to [0, 1]); the model
 * is trained by iterating {@code flow_tr_gen} epoch by epoch (Keras' {@code fit(flow_tr_gen)}) and
 * evaluated on {@code flow_val_gen}. Against it: the same with a generator that only rescales.
 *
 * <pre>examples/run.sh Ex11Augmentation --epochs 3 --limit 10000 --test-limit 2000</pre>
 * CLI recipe: {@code bin/cnn4j train --augment hflip ...} (see docs/augmentation.md).
 */
public final class Ex11Augmentation {
    static final String NAME = "ex11-augmentation";

    private Ex11Augmentation() {}

    public static Map<String, String> defaults() {
        return ExampleOptions.training(NAME, 3, 10_000, 2_000, 64, "width", 16);
    }

    public static void main(String[] args) {
        Examples.launch(NAME, defaults(), Ex11Augmentation::run, args);
    }

    /** The samples of {@code ds} times 255 (the raw pixel values Keras' generators start from), back to back. */
    static float[] raw255(Dataset ds) {
        int n = ds.size(), per = ds.sampleSize();
        float[] x = new float[n * per];
        for (int i = 0; i < n; i++) ds.copySample(i, x, i * per);
        for (int i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 255f);
        return x;
    }

    static int[] labels(Dataset ds) {
        int[] y = new int[ds.size()];
        for (int i = 0; i < y.length; i++) y[i] = ds.label(i);
        return y;
    }

    public static Report run(ExampleOptions o, PrintStream log) throws IOException {
        ExampleData.Split data = ExampleData.fashion(o);
        int[] s = data.sampleShape();
        ModelSpec spec = new ModelSpec(s[0], s[1], s[2], data.numClasses());
        float[] trX = raw255(data.train()), valX = raw255(data.test());
        int[] trY = labels(data.train()), valY = labels(data.test());
        int batch = o.batchSize(), epochs = o.epochs();
        ImageDataGenerator valid = ImageDataGenerator.builder().rescale(1 / 255f).build();
        ImageDataGenerator.Flow flowVal = valid.flow(valX, s, valY, batch, false, o.seed());
        Report r = new Report("11. ImageDataGenerator augmentation: horizontal flip + rescale, flow(shuffle=True) (seed 003)")
                .data(data.description() + ", as raw 0..255 pixels").settings(o.settings())
                .columns("train generator", "train acc (last epoch)", "test acc", "test loss", "seconds");
        Map<String, double[]> curves = new LinkedHashMap<>();
        double[] acc = new double[2];
        for (int aug = 0; aug < 2; aug++) {
            ImageDataGenerator gen = aug == 1 ? ImageDataGenerator.builder().horizontalFlip(true).rescale(1 / 255f).build()
                    : ImageDataGenerator.builder().rescale(1 / 255f).build();
            String name = aug == 1 ? "horizontal_flip=True, rescale=1/255" : "rescale=1/255 only";
            ImageDataGenerator.Flow flowTr = gen.flow(trX, s, trY, batch, true, o.seed());
            Rng.manualSeed(o.seed());
            Module model = SeedCnn.plain(o.positive("width")).withBatchNorm(true).build(spec);
            Adam adam = new Adam(model.parameters(), o.lr());
            CrossEntropyLoss ce = new CrossEntropyLoss();
            double[] testByEpoch = new double[epochs];
            double trainAcc = 0, testAcc = 0, testLoss = 0;
            long start = System.nanoTime();
            for (int e = 0; e < epochs; e++) {
                flowTr.setEpoch(e);
                model.train(true);
                long correct = 0, seen = 0;
                for (Batch b : flowTr) {
                    try (var step = BufferPool.scope()) {
                        Tensor logits = model.call(b.inputs());
                        Tensor loss = ce.apply(logits, b.labels());
                        correct += correct(logits, b.labels());
                        adam.zeroGrad();
                        loss.backward();
                        adam.step();
                    }
                    seen += b.size();
                }
                trainAcc = (double) correct / seen;
                double[] ev = evaluate(model, flowVal, ce);
                testLoss = ev[0];
                testAcc = ev[1];
                testByEpoch[e] = testAcc;
                if (log != null)
                    log.printf(Locale.ROOT, "  %-36s epoch %d: train acc %.4f | test loss %.4f acc %.4f%n", name, e + 1, trainAcc, testLoss, testAcc);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            acc[aug] = testAcc;
            r.row(name, trainAcc, testAcc, testLoss, String.format(Locale.ROOT, "%.1f", seconds));
            curves.put(name, testByEpoch);
        }
        r.note(String.format(Locale.ROOT, "augmented minus plain test accuracy: %+.4f after %d epoch(s)", acc[1] - acc[0], epochs));
        r.note("the seed makes no numeric claim here; augmentation is a regulariser, so it pays off over longer training, "
                + "and a flip is label-preserving for clothing (a mirrored shirt is a shirt)");
        if (o.out() != null && epochs > 1) {
            double[] x = new double[epochs];
            for (int e = 0; e < epochs; e++) x[e] = e + 1;
            r.file(Charts.lines(o.out().resolve("augmentation.png"), "Test accuracy by epoch", "epoch", "test accuracy", x, curves, false));
        }
        return r;
    }

    /** {loss, accuracy} over one pass of {@code flow}, in evaluation mode without gradients. */
    static double[] evaluate(Module model, Iterable<Batch> flow, CrossEntropyLoss ce) {
        model.eval();
        double loss = 0;
        long correct = 0, seen = 0;
        try (var ignored = Autograd.noGrad()) {
            for (Batch b : flow) {
                try (var step = BufferPool.scope()) {
                    Tensor logits = model.call(b.inputs());
                    loss += (double) ce.apply(logits, b.labels()).item() * b.size();
                    correct += correct(logits, b.labels());
                }
                seen += b.size();
            }
        }
        model.train(true);
        return new double[] {loss / seen, (double) correct / seen};
    }

    static int correct(Tensor logits, int[] labels) {
        int[] p = logits.argmax(1);
        int c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == labels[i]) c++;
        return c;
    }
}
