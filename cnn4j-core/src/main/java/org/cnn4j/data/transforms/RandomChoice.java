package org.cnn4j.data.transforms;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Applies exactly one of its transforms, picked with probability proportional to its weight (torchvision's
 * {@code RandomChoice(transforms, p)}; with {@link #oneOf} also albumentations' {@code OneOf(transforms, p)},
 * which first decides with probability {@code p} whether to apply any).
 */
public final class RandomChoice implements Transform {
    private final List<Transform> transforms;
    private final double[] cumulative;
    private final double applyProbability;

    /** Equal weights. */
    public RandomChoice(Transform... transforms) {
        this(null, List.of(transforms), 1.0);
    }

    /** {@code weights[i]} for {@code transforms[i]}: non-negative, not all zero (normalised here). */
    public RandomChoice(double[] weights, Transform... transforms) {
        this(weights, List.of(transforms), 1.0);
    }

    private RandomChoice(double[] weights, List<Transform> transforms, double applyProbability) {
        if (transforms.isEmpty()) throw new IllegalArgumentException("RandomChoice needs at least one transform");
        if (weights != null && weights.length != transforms.size())
            throw new IllegalArgumentException("RandomChoice: " + transforms.size() + " transforms but " + weights.length + " weights");
        this.transforms = List.copyOf(transforms);
        this.applyProbability = Check.probability("OneOf p", applyProbability);
        cumulative = new double[transforms.size()];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            double w = weights == null ? 1 : Check.nonNegative("RandomChoice weight " + i, weights[i]);
            total += w;
            cumulative[i] = total;
        }
        if (!(total > 0)) throw new IllegalArgumentException("RandomChoice weights must not all be zero");
        for (int i = 0; i < cumulative.length; i++) cumulative[i] /= total;
    }

    /** albumentations' {@code OneOf(transforms, p)}: with probability {@code p}, one transform chosen by weight. */
    public static RandomChoice oneOf(double p, double[] weights, Transform... transforms) {
        return new RandomChoice(weights, List.of(transforms), p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (applyProbability < 1 && !(rng.nextDouble() < applyProbability)) return image;
        double u = rng.nextDouble();
        int i = 0;
        while (i < cumulative.length - 1 && u >= cumulative[i]) i++;
        return transforms.get(i).apply(image, rng);
    }

    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public String toString() {
        return "RandomChoice" + transforms;
    }
}
