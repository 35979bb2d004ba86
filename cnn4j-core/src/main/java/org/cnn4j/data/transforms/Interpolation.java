package org.cnn4j.data.transforms;

/**
 * How a resampling transform reads the source image between pixel centres (torchvision's
 * {@code InterpolationMode}). Pixel centres sit at integer coordinates; {@link Functional#resize} maps
 * them as PyTorch's {@code F.interpolate(..., align_corners=False)} does.
 */
public enum Interpolation {
    /** The pixel whose centre is nearest (PyTorch's legacy {@code nearest}: floor of the scaled index in a resize). */
    NEAREST,
    /** Linear in x and y from the four surrounding pixels. */
    BILINEAR,
    /** Keys' cubic convolution with a = -0.75 over 4 x 4 pixels, as PyTorch's {@code bicubic}; resize only. */
    BICUBIC;

    /** Parses {@code nearest}, {@code bilinear} or {@code bicubic} (any case). */
    public static Interpolation parse(String name) {
        for (Interpolation i : values()) if (i.name().equalsIgnoreCase(name)) return i;
        throw new IllegalArgumentException("interpolation must be one of nearest, bilinear, bicubic. Received: " + name);
    }
}
