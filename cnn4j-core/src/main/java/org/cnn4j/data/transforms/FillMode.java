package org.cnn4j.data.transforms;

/**
 * How the affine transforms ({@link RandomAffine}, {@link RandomRotation}, {@link KerasAffine}) fill the
 * output pixels whose source lies outside the image: Keras' {@code ImageDataGenerator(fill_mode=...)}.
 * For an input row {@code abcd}:
 * <pre>
 *   CONSTANT  kkkkkkkk|abcd|kkkkkkkk   (k = the fill value, Keras' cval, torchvision's fill)
 *   NEAREST   aaaaaaaa|abcd|dddddddd
 *   REFLECT   abcddcba|abcd|dcbaabcd
 *   WRAP      abcdabcd|abcd|abcdabcd
 * </pre>
 * CONSTANT blends exactly as torchvision's tensor path does (the image is sampled with zeros outside,
 * together with a mask of ones, and {@code out = sample * mask + (1 - mask) * fill}), so rotations and
 * affine warps match torchvision's pixel for pixel; the other modes sample the image extended as drawn.
 */
public enum FillMode {
    CONSTANT, NEAREST, REFLECT, WRAP;

    /** Parses Keras' names {@code constant}, {@code nearest}, {@code reflect}, {@code wrap} (any case). */
    public static FillMode parse(String name) {
        for (FillMode m : values()) if (m.name().equalsIgnoreCase(name)) return m;
        throw new IllegalArgumentException("fill_mode must be one of constant, nearest, reflect, wrap. Received: " + name);
    }
}
