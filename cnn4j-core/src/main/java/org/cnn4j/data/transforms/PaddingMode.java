package org.cnn4j.data.transforms;

/**
 * How {@link Pad} and {@link RandomCrop} fill the border they add: torchvision's {@code padding_mode}.
 * For an input row {@code abcd} padded by 2 on each side:
 * <pre>
 *   CONSTANT   kk|abcd|kk   (k = the fill value)
 *   EDGE       aa|abcd|dd
 *   REFLECT    cb|abcd|cb   (mirror without repeating the edge pixel, NumPy/PyTorch "reflect")
 *   SYMMETRIC  ba|abcd|dc   (mirror repeating the edge pixel; Keras' fill_mode "reflect")
 * </pre>
 * Borders wider than the image keep reflecting (torch would refuse them; the mapping here is periodic).
 */
public enum PaddingMode {
    CONSTANT, EDGE, REFLECT, SYMMETRIC;

    /** Parses {@code constant}, {@code edge}, {@code reflect} or {@code symmetric} (any case). */
    public static PaddingMode parse(String name) {
        for (PaddingMode m : values()) if (m.name().equalsIgnoreCase(name)) return m;
        throw new IllegalArgumentException("padding_mode must be one of constant, edge, reflect, symmetric. Received: " + name);
    }
}
