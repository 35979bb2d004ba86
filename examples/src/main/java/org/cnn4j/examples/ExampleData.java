package org.cnn4j.examples;

import org.cnn4j.data.Cifar;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageResize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The data an example trains on: Fashion-MNIST subsets, CIFAR-10 or its stand-in, or synthetic images for tests. */
public final class ExampleData {
    private ExampleData() {}

    /** A training set, a test set and one line saying what they are. */
    public record Split(Dataset train, Dataset test, String description) {
        public int[] sampleShape() {
            return train.sampleShape();
        }

        public int numClasses() {
            return train.numClasses();
        }
    }

    /**
     * The first {@code --limit} training and {@code --test-limit} test images of Fashion-MNIST (the files
     * are in a random class order already, so a prefix is a fair sample), or with {@code --synthetic}
     * that many generated 1x28x28 images of 4 classes.
     */
    public static Split fashion(ExampleOptions o) throws IOException {
        int limit = o.positive("limit"), testLimit = o.positive("test-limit");
        if (o.flag("synthetic"))
            return new Split(SyntheticImages.gratings(limit, 1, 28, 4, o.seed()), SyntheticImages.gratings(testLimit, 1, 28, 4, o.seed() + 1),
                    "synthetic gratings 1x28x28, 4 classes, " + limit + " train / " + testLimit + " test");
        Dataset train = FashionMnist.train(o.path("data-dir")), test = FashionMnist.test(o.path("data-dir"));
        return new Split(first(train, limit), first(test, testLimit),
                "Fashion-MNIST, first " + Math.min(limit, train.size()) + " of " + train.size() + " train / first "
                        + Math.min(testLimit, test.size()) + " of " + test.size() + " test images");
    }

    static Dataset first(Dataset ds, int n) {
        return n >= ds.size() ? ds : ds.subset(0, n);
    }

    /**
     * CIFAR-10 when {@link Cifar#cifar10} finds it or can download it; otherwise a clearly labelled
     * stand-in: Fashion-MNIST resized to 32x32 (bilinear) and copied into 3 channels ({@link Rgb32}).
     * With {@code --synthetic}, generated 3x32x32 images.
     */
    public static Split cifarOrStandIn(ExampleOptions o, List<String> log) throws IOException {
        int limit = o.positive("limit"), testLimit = o.positive("test-limit");
        if (o.flag("synthetic"))
            return new Split(SyntheticImages.gratings(limit, 3, 32, 4, o.seed()), SyntheticImages.gratings(testLimit, 3, 32, 4, o.seed() + 1),
                    "synthetic gratings 3x32x32, 4 classes, " + limit + " train / " + testLimit + " test");
        try {
            var loader = Cifar.cifar10(o.path("data-dir"));
            Dataset train = loader.train(), test = loader.test();
            return new Split(first(train, limit), first(test, testLimit), "CIFAR-10, first " + Math.min(limit, train.size())
                    + " train / first " + Math.min(testLimit, test.size()) + " test images");
        } catch (IOException | RuntimeException e) {
            log.add("CIFAR-10 is not available (" + firstLine(e) + "); using the STAND-IN: Fashion-MNIST resized to 3x32x32");
        }
        Split f = fashion(o);
        return new Split(new Rgb32(f.train()), new Rgb32(f.test()),
                "STAND-IN for CIFAR-10: " + f.description() + ", resized 28x28 -> 32x32 (bilinear) and copied into 3 channels");
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl >= 0 ? m.substring(0, nl) : m);
    }

    /** A 1-channel dataset resized to 32x32 (bilinear) with its channel copied three times: a CIFAR-shaped stand-in. */
    public static final class Rgb32 implements Dataset {
        private final Dataset base;
        private final int h, w;

        public Rgb32(Dataset base) {
            int[] s = base.sampleShape();
            if (s.length != 3 || s[0] != 1)
                throw new IllegalArgumentException("Rgb32 takes 1-channel [1, H, W] samples, got " + java.util.Arrays.toString(s));
            this.base = base;
            this.h = s[1];
            this.w = s[2];
        }

        @Override public int size() { return base.size(); }
        @Override public int[] sampleShape() { return new int[] {3, 32, 32}; }
        @Override public int numClasses() { return base.numClasses(); }
        @Override public List<String> classNames() { return base.classNames(); }
        @Override public int label(int index) { return base.label(index); }

        @Override
        public int copySample(int index, float[] dst, int dstOffset) {
            float[] src = new float[h * w];
            int label = base.copySample(index, src, 0);
            float[] r = ImageResize.bilinear(src, 1, h, w, 32, 32);
            for (int c = 0; c < 3; c++) System.arraycopy(r, 0, dst, dstOffset + c * 1024, 1024);
            return label;
        }
    }
}
