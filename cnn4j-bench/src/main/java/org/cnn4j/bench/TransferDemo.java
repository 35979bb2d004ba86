package org.cnn4j.bench;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Datasets;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Transfer learning on Fashion-MNIST, the seeds' recipe on real data: pretrain a small CNN on classes 0-4
 * (T-shirt, Trouser, Pullover, Dress, Coat), then learn classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot)
 * from 100 training images per class three ways: feature extraction (backbone frozen, new head), fine-tuning
 * (new head, backbone trained at a tenth of the head's learning rate) and from scratch. Prints the test
 * accuracy of each on all 5,000 test images of classes 5-9. Run with {@code cnn4j-bench/transfer.sh}.
 *
 * <p>Arguments: [data dir] [pretraining images, default 10000] [pretraining epochs, default 2] [target epochs, default 20].
 */
public final class TransferDemo {
    private TransferDemo() {}

    static Sequential backbonePlusHead(int classes) {
        return new Sequential(new Conv2d(1, 16, 3), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(32 * 5 * 5, 64), new ReLU(), new Linear(64, classes));
    }

    /** The samples of {@code ds} with labels in [lo, lo + 5), relabelled from 0, at most {@code perClass} per class. */
    static Dataset classes(Dataset ds, int lo, int perClass) {
        return Datasets.ofClasses(ds, perClass, lo, lo + 1, lo + 2, lo + 3, lo + 4);
    }

    static DataLoader loader(Dataset ds, boolean shuffle) {
        return DataLoader.builder(ds).batchSize(50).shuffle(shuffle).seed(1).build();
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : null;
        int pretrainImages = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        int pretrainEpochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Dataset train = FashionMnist.train(dir), test = FashionMnist.test(dir);
        Dataset source = classes(train, 0, pretrainImages / 5), sourceTest = classes(test, 0, 1000);
        Dataset target = classes(train, 5, 100), targetTest = classes(test, 5, 1000);
        System.out.printf(Locale.ROOT, "pretraining on classes 0-4: %d images, %d epochs%n", source.size(), pretrainEpochs);

        long t0 = System.nanoTime();
        Rng.manualSeed(1);
        Sequential pre = backbonePlusHead(5);
        Trainer t = new Trainer(pre, new Adam(pre.parameters(), 1e-3f));
        var h = t.fit(loader(source, true), loader(sourceTest, false), pretrainEpochs);
        System.out.printf(Locale.ROOT, "  source test accuracy %.4f (%.0f s)%n", h.getLast().testAccuracy(), (System.nanoTime() - t0) / 1e9);
        var pretrained = new java.util.LinkedHashMap<String, org.cnn4j.tensor.Tensor>();
        pre.stateDict().forEach((k, v) -> pretrained.put(k, new org.cnn4j.tensor.Tensor(v.data().clone(), v.shape())));

        System.out.printf(Locale.ROOT, "target classes 5-9: %d training images (100 per class), %d test images, %d epochs each%n",
                target.size(), targetTest.size(), epochs);
        // 1. feature extraction: the pretrained backbone frozen (its batch norms in eval mode), a new head
        Rng.manualSeed(2);
        Sequential fe = backbonePlusHead(5);
        fe.loadStateDict(pretrained, true);
        fe.replace("11", new Linear(64, 5));
        fe.freezeUntil("10");
        double a1 = run("feature extraction", fe, new Adam(fe.parameters(), 1e-3f), target, targetTest, epochs);
        // 2. fine-tuning: a new head at lr 1e-3, the whole pretrained backbone at 1e-4
        Rng.manualSeed(2);
        Sequential ft = backbonePlusHead(5);
        ft.loadStateDict(pretrained, true);
        ft.replace("11", new Linear(64, 5));
        List<Parameter> head = ft.module("11").parameters(), backbone = new ArrayList<>(ft.parameters());
        backbone.removeAll(head);
        Adam ftOpt = new Adam(head, 1e-3f);
        ftOpt.addParamGroup(ParamGroup.of(backbone).withLr(1e-4));
        double a2 = run("fine-tuning", ft, ftOpt, target, targetTest, epochs);
        // 3. from scratch
        Rng.manualSeed(2);
        Sequential sc = backbonePlusHead(5);
        double a3 = run("from scratch", sc, new Adam(sc.parameters(), 1e-3f), target, targetTest, epochs);
        System.out.printf(Locale.ROOT, "%nRESULT feature-extraction %.4f | fine-tuning %.4f | from-scratch %.4f%n", a1, a2, a3);
    }

    static double run(String name, Module net, org.cnn4j.optim.Optimizer opt, Dataset train, Dataset test, int epochs) {
        long t0 = System.nanoTime();
        var h = new Trainer(net, opt).fit(loader(train, true), loader(test, false), epochs);
        double acc = h.getLast().testAccuracy();
        System.out.printf(Locale.ROOT, "  %-18s trainable %,9d of %,9d  test accuracy %.4f  (%.0f s)%n", name, net.trainableParameterCount(),
                net.parameterCount(), acc, (System.nanoTime() - t0) / 1e9);
        return acc;
    }
}
