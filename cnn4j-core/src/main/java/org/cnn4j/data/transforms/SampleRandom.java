package org.cnn4j.data.transforms;

import org.cnn4j.data.DataLoader;

import java.util.SplittableRandom;

/**
 * The generator a transform gets for one sample: the one {@link DataLoader} hands the sample at
 * {@code position} of epoch {@code epoch} under {@code seed} ({@link DataLoader#sampleSeed}), a pure
 * function of the three, so an augmented sample does not depend on which thread prepares it. Use it to
 * reproduce a loader's draw outside the loader (previews, tests).
 */
public final class SampleRandom {
    private SampleRandom() {}

    public static SplittableRandom of(long seed, int epoch, int position) {
        return new SplittableRandom(DataLoader.sampleSeed(seed, epoch, position));
    }
}
