package org.cnn4j.data.transforms;

import java.util.List;
import java.util.SplittableRandom;

/** Applies all its transforms in a random order (torchvision's {@code RandomOrder}). */
public final class RandomOrder implements Transform {
    private final List<Transform> transforms;

    public RandomOrder(Transform... transforms) {
        if (transforms.length == 0) throw new IllegalArgumentException("RandomOrder needs at least one transform");
        this.transforms = List.of(transforms);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        int[] order = permutation(transforms.size(), rng);
        for (int i : order) image = transforms.get(i).apply(image, rng);
        return image;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public String toString() {
        return "RandomOrder" + transforms;
    }
}
