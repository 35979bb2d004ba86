package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * A per-sample transform (torchvision's {@code transforms.*}, albumentations' augmentations).
 *
 * <p>Randomness comes only from {@code rng}, which the caller derives from (seed, epoch, sample index):
 * the same seed gives the same augmented sample whichever worker thread prepares it. Implementations
 * must be stateless or thread-safe, since several loader workers call one instance at once.
 */
@FunctionalInterface
public interface Transform {
    /** Transforms {@code image}; may modify it in place and return it, or return a new image. */
    Image apply(Image image, SplittableRandom rng);
}
