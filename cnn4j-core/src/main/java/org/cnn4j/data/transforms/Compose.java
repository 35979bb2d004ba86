package org.cnn4j.data.transforms;

import java.util.List;
import java.util.SplittableRandom;

/** Applies transforms one after the other (torchvision's {@code Compose}, albumentations' {@code Compose}). */
public final class Compose implements Transform {
    private final List<Transform> transforms;

    public Compose(Transform... transforms) {
        this(java.util.Arrays.asList(transforms));
    }

    public Compose(List<? extends Transform> transforms) {
        for (int i = 0; i < transforms.size(); i++)
            if (transforms.get(i) == null) throw new IllegalArgumentException("Compose: transform " + i + " is null");
        this.transforms = List.copyOf(transforms);
    }

    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        for (Transform t : transforms) image = t.apply(image, rng);
        return image;
    }

    @Override
    public String toString() {
        return "Compose" + transforms;
    }
}
