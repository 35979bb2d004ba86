package org.cnn4j.data.transforms;

import java.util.List;
import java.util.SplittableRandom;

/**
 * With probability {@code p} applies all its transforms in order, otherwise none (torchvision's
 * {@code RandomApply(transforms, p)}).
 */
public final class RandomApply implements Transform {
    private final double p;
    private final Compose transforms;

    public RandomApply(double p, Transform... transforms) {
        this.p = Check.probability("RandomApply p", p);
        if (transforms.length == 0) throw new IllegalArgumentException("RandomApply needs at least one transform");
        this.transforms = new Compose(transforms);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? transforms.apply(image, rng) : image;
    }

    public List<Transform> transforms() {
        return transforms.transforms();
    }

    @Override
    public String toString() {
        return "RandomApply(p=" + p + ", " + transforms.transforms() + ")";
    }
}
