package org.cnn4j.nn;

import java.util.Locale;

/**
 * What a convolution reads outside its input (PyTorch's {@code padding_mode}): zeros, the mirror image
 * without the edge ({@code reflect}: {@code [a b c]} padded by 2 is {@code c b [a b c] b a}), the edge value
 * ({@code replicate}) or the other end ({@code circular}). Reflect needs each padding below the input size,
 * circular at most the input size. Transposed convolutions support zeros only, as in PyTorch.
 */
public enum PaddingMode {
    ZEROS, REFLECT, REPLICATE, CIRCULAR;

    /** Parses PyTorch's names: "zeros", "reflect", "replicate", "circular". */
    public static PaddingMode parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "zeros", "zero", "constant" -> ZEROS;
            case "reflect" -> REFLECT;
            case "replicate" -> REPLICATE;
            case "circular" -> CIRCULAR;
            default -> throw new IllegalArgumentException("padding_mode must be one of 'zeros', 'reflect', 'replicate', "
                    + "'circular'. Received: padding_mode='" + s + "'");
        };
    }

    /** PyTorch's name. */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return torchName();
    }
}
