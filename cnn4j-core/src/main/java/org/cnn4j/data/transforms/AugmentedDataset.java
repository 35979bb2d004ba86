package org.cnn4j.data.transforms;

import org.cnn4j.data.Dataset;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A dataset whose samples pass through a {@link Transform} each time they are read: lazy, on-the-fly
 * augmentation as Keras' {@code flow} and a torchvision dataset's {@code transform=} give, usable with the
 * existing {@link org.cnn4j.data.DataLoader} unchanged.
 *
 * <p>Randomness: the k-th read of sample i (k = 0, 1, ... counted per sample) uses
 * {@link SampleRandom#of SampleRandom.of(seed, k, i)}. A loader reads every sample once per epoch, so read
 * k is epoch k and a run is reproducible whatever the thread order; resuming at a later epoch in a fresh
 * process restarts the count at 0. The transform must keep the sample shape. Thread-safe when the
 * transform and the base dataset are.
 */
public final class AugmentedDataset implements Dataset {
    private final Dataset base;
    private final Transform transform;
    private final long seed;
    private final int[] chw, sampleShape;
    private final AtomicIntegerArray reads;

    public AugmentedDataset(Dataset base, Transform transform, long seed) {
        this.base = Objects.requireNonNull(base, "base");
        this.transform = Objects.requireNonNull(transform, "transform");
        this.seed = seed;
        this.sampleShape = base.sampleShape();
        this.chw = Samples.chw(sampleShape, "AugmentedDataset");
        this.reads = new AtomicIntegerArray(base.size());
    }

    @Override public int size() { return base.size(); }
    @Override public int[] sampleShape() { return sampleShape.clone(); }
    @Override public int numClasses() { return base.numClasses(); }
    @Override public List<String> classNames() { return base.classNames(); }
    @Override public int sampleSize() { return base.sampleSize(); }
    @Override public int label(int index) { return base.label(index); }

    @Override
    public int copySample(int index, float[] dst, int dstOffset) {
        float[] x = new float[base.sampleSize()];
        int label = base.copySample(index, x, 0);
        int epoch = reads.getAndIncrement(index);
        Image out = transform.apply(new Image(chw[0], chw[1], chw[2], x), SampleRandom.of(seed, epoch, index));
        Samples.checkSameShape(out, chw, "AugmentedDataset");
        System.arraycopy(out.data(), 0, dst, dstOffset, out.data().length);
        return label;
    }

    public Dataset base() {
        return base;
    }

    public Transform transform() {
        return transform;
    }

    @Override
    public String toString() {
        return base + " augmented by " + transform;
    }
}
