package org.cnn4j.data.transforms;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Keras' {@code ImageDataGenerator} for on-the-fly augmentation (seed 003):
 *
 * <pre>{@code
 * ImageDataGenerator gen = ImageDataGenerator.builder()
 *         .rotationRange(10).zoomRange(0.1).widthShiftRange(0.1).heightShiftRange(0.1)
 *         .horizontalFlip(true).rescale(1 / 255f).build();
 * for (Batch b : gen.flow(x, new int[] {1, 28, 28}, y, 32, true, 42)) { ... }   // one epoch
 * }</pre>
 *
 * Per sample, in Keras' order: the random affine transform ({@link KerasAffine}: rotation_range,
 * width/height_shift_range, shear_range in degrees, zoom_range, fill_mode, cval; bilinear), horizontal and
 * vertical flips with probability 1/2 each, brightness (a factor from brightness_range multiplies the
 * pixels, clipped to [0, 1 / rescale] when rescale is set, else [0, 1]: Keras applies brightness to the
 * raw pixels through PIL, before rescale), then rescale. Defaults as Keras: everything off, fill_mode
 * {@code nearest}, cval 0.
 *
 * <p>{@code flow} differs from Keras' in that each {@code iterator()} call is one epoch (as
 * {@link DataLoader}) rather than an endless stream; the order comes from a DataLoader with the same
 * seed, and the sample at position p of epoch e is augmented with {@link SampleRandom#of SampleRandom.of(seed, e, p)}.
 */
public final class ImageDataGenerator {
    private final double rotationRange, widthShift, heightShift, shearRange, zoomMin, zoomMax;
    private final boolean horizontalFlip, verticalFlip;
    private final double brightnessMin, brightnessMax;
    private final boolean brightness;
    private final FillMode fillMode;
    private final float cval;
    private final Float rescale;
    private final Transform transform;

    private ImageDataGenerator(Builder b) {
        rotationRange = b.rotationRange;
        widthShift = b.widthShift;
        heightShift = b.heightShift;
        shearRange = b.shearRange;
        zoomMin = b.zoomMin;
        zoomMax = b.zoomMax;
        horizontalFlip = b.horizontalFlip;
        verticalFlip = b.verticalFlip;
        brightness = b.brightness;
        brightnessMin = b.brightnessMin;
        brightnessMax = b.brightnessMax;
        fillMode = b.fillMode;
        cval = b.cval;
        rescale = b.rescale;
        transform = build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keras' constructor arguments, by their names in camel case; all off by default. */
    public static final class Builder {
        private double rotationRange, widthShift, heightShift, shearRange, zoomMin = 1, zoomMax = 1;
        private boolean horizontalFlip, verticalFlip, brightness;
        private double brightnessMin = 1, brightnessMax = 1;
        private FillMode fillMode = FillMode.NEAREST;
        private float cval;
        private Float rescale;

        private Builder() {}

        /** Degrees: the angle is uniform in [-d, d]. */
        public Builder rotationRange(double degrees) {
            rotationRange = Check.nonNegative("rotation_range", degrees);
            return this;
        }

        /** A fraction of the width (< 1) or pixels (>= 1): the shift is uniform in [-s, s]. */
        public Builder widthShiftRange(double s) {
            widthShift = Check.nonNegative("width_shift_range", s);
            return this;
        }

        /** A fraction of the height (< 1) or pixels (>= 1). */
        public Builder heightShiftRange(double s) {
            heightShift = Check.nonNegative("height_shift_range", s);
            return this;
        }

        /** Shear angle in degrees (counter-clockwise), uniform in [-s, s]. */
        public Builder shearRange(double degrees) {
            shearRange = Check.nonNegative("shear_range", degrees);
            return this;
        }

        /** {@code zoom_range=z}: zoom factors uniform in [1 - z, 1 + z] (z in [0, 1)). */
        public Builder zoomRange(double z) {
            if (!(z >= 0 && z < 1)) throw new IllegalArgumentException("zoom_range must be in [0, 1) as one number. Received: " + z);
            return zoomRange(1 - z, 1 + z);
        }

        /** {@code zoom_range=[lo, hi]}. */
        public Builder zoomRange(double lo, double hi) {
            Check.range("zoom_range", lo, hi);
            Check.positive("zoom_range lower bound", lo);
            zoomMin = lo;
            zoomMax = hi;
            return this;
        }

        public Builder horizontalFlip(boolean on) {
            horizontalFlip = on;
            return this;
        }

        public Builder verticalFlip(boolean on) {
            verticalFlip = on;
            return this;
        }

        /** {@code brightness_range=[lo, hi]}: a brightness factor uniform in it (1 keeps the image). */
        public Builder brightnessRange(double lo, double hi) {
            Check.range("brightness_range", lo, hi);
            Check.nonNegative("brightness_range lower bound", lo);
            brightness = true;
            brightnessMin = lo;
            brightnessMax = hi;
            return this;
        }

        public Builder fillMode(FillMode m) {
            fillMode = Check.notNull("fill_mode", m);
            return this;
        }

        /** Keras' fill_mode name: constant, nearest, reflect or wrap. */
        public Builder fillMode(String name) {
            return fillMode(FillMode.parse(name));
        }

        /** The value outside the image with fill_mode constant. */
        public Builder cval(float v) {
            cval = v;
            return this;
        }

        /** Multiplies the data by this after all other transforms (e.g. 1 / 255f). */
        public Builder rescale(float r) {
            if (!Float.isFinite(r) || r == 0) throw new IllegalArgumentException("rescale must be finite and non-zero. Received: " + r);
            rescale = r;
            return this;
        }

        public ImageDataGenerator build() {
            return new ImageDataGenerator(this);
        }
    }

    private Transform build() {
        List<Transform> steps = new ArrayList<>();
        KerasAffine affine = new KerasAffine(rotationRange, widthShift, heightShift, shearRange, zoomMin, zoomMax,
                Interpolation.BILINEAR, fillMode, cval);
        if (!affine.isIdentity()) steps.add(affine);
        if (horizontalFlip) steps.add(new RandomHorizontalFlip(0.5));
        if (verticalFlip) steps.add(new RandomVerticalFlip(0.5));
        if (brightness) {
            double lo = brightnessMin, hi = brightnessMax;
            double max = rescale != null ? Math.abs(1.0 / rescale) : 1.0;
            steps.add(new Transform() {
                @Override
                public Image apply(Image image, SplittableRandom rng) {
                    double f = Check.uniform(rng, lo, hi);
                    float[] x = image.data(), out = new float[x.length];
                    for (int i = 0; i < x.length; i++) out[i] = (float) Math.min(max, Math.max(0, x[i] * f));
                    return new Image(image.channels(), image.height(), image.width(), out);
                }

                @Override
                public String toString() {
                    return "Brightness([" + lo + ", " + hi + "], clip " + max + ")";
                }
            });
        }
        if (rescale != null) steps.add(new Rescale(rescale));
        return new Compose(steps);
    }

    /** The per-sample transform ({@code random_transform} followed by {@code standardize}'s rescale). */
    public Transform transform() {
        return transform;
    }

    /** Keras' {@code random_transform} + rescale of one image. */
    public Image randomTransform(Image image, SplittableRandom rng) {
        return transform.apply(image, rng);
    }

    /**
     * Batches of {@code x} (N samples of {@code sampleShape}, [C, H, W] or [H, W], back to back) with labels
     * {@code y} (classes 0..max(y)), augmented on the fly.
     */
    public Flow flow(float[] x, int[] sampleShape, int[] y, int batchSize, boolean shuffle, long seed) {
        int classes = 1;
        for (int label : y) classes = Math.max(classes, label + 1);
        return flow(ArrayDataset.of(x, sampleShape, y, classes), batchSize, shuffle, seed);
    }

    /**
     * Keras' {@code flow(x, y, batch_size, shuffle, seed)} for square one-channel images (MNIST-like): the
     * sample shape [1, S, S] is inferred from {@code x.length / y.length = S * S}; other shapes need
     * {@link #flow(float[], int[], int[], int, boolean, long)}.
     */
    public Flow flow(float[] x, int[] y, int batchSize, boolean shuffle, long seed) {
        if (y.length == 0 || x.length % y.length != 0)
            throw new IllegalArgumentException("flow: " + x.length + " values do not split into " + y.length + " samples");
        int per = x.length / y.length, side = (int) Math.round(Math.sqrt(per));
        if (side * side != per)
            throw new IllegalArgumentException("flow: samples of " + per + " values are not square one-channel images; pass the "
                    + "sample shape with flow(x, sampleShape, y, batchSize, shuffle, seed)");
        return flow(x, new int[] {1, side, side}, y, batchSize, shuffle, seed);
    }

    /** Batches of a dataset (its own labels), augmented on the fly. */
    public Flow flow(Dataset dataset, int batchSize, boolean shuffle, long seed) {
        return new Flow(dataset, batchSize, shuffle, seed);
    }

    /** What {@code flow} returns: each {@link #iterator()} is one epoch of augmented batches (a {@link DataLoader} with this generator's transform). */
    public final class Flow implements Iterable<Batch> {
        private final Dataset dataset;
        private final DataLoader loader;

        private Flow(Dataset dataset, int batchSize, boolean shuffle, long seed) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            Samples.chw(dataset.sampleShape(), "ImageDataGenerator.flow");
            this.loader = DataLoader.builder(dataset).batchSize(batchSize).shuffle(shuffle).seed(seed).transform(transform).build();
        }

        /** Batches per epoch. */
        public int numBatches() {
            return loader.numBatches();
        }

        public Dataset dataset() {
            return dataset;
        }

        /** Makes the next {@link #iterator()} produce epoch {@code epoch}. */
        public void setEpoch(int epoch) {
            if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0. Received: " + epoch);
            loader.setEpoch(epoch);
        }

        @Override
        public Iterator<Batch> iterator() {
            return loader.iterator();
        }
    }

    @Override
    public String toString() {
        return "ImageDataGenerator(" + transform + ")";
    }
}
