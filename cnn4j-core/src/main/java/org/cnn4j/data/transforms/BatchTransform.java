package org.cnn4j.data.transforms;

import org.cnn4j.data.Batch;

import java.util.SplittableRandom;

/**
 * A transform of a whole mini-batch (MixUp, CutMix): it may mix samples and replace the hard labels by
 * {@link Batch#softTargets() soft targets}. Randomness only from {@code rng} (derived from seed, epoch
 * and batch index by the loader). Must be thread-safe.
 */
@FunctionalInterface
public interface BatchTransform {
    Batch apply(Batch batch, SplittableRandom rng);
}
