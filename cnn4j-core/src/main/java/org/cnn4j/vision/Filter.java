package org.cnn4j.vision;

import java.util.List;

/**
 * One image filter: a single {@link Kernel}, or a pair of gradient kernels whose responses are combined
 * into the gradient magnitude {@code sqrt(gx^2 + gy^2)} (the "sobel" and "prewitt" filters).
 */
public record Filter(String name, List<Kernel> kernels, boolean magnitude) {
    public Filter {
        kernels = List.copyOf(kernels);
        if (kernels.isEmpty()) throw new IllegalArgumentException("filter '" + name + "': no kernels");
        if (!magnitude && kernels.size() != 1)
            throw new IllegalArgumentException("filter '" + name + "': several kernels need magnitude=true. Received: "
                    + kernels.size() + " kernels");
        Kernel first = kernels.getFirst();
        for (Kernel k : kernels)
            if (k.height() != first.height() || k.width() != first.width())
                throw new IllegalArgumentException("filter '" + name + "': kernels differ in size (" + first.height() + "x"
                        + first.width() + " and " + k.height() + "x" + k.width() + ")");
    }

    public static Filter of(Kernel k) {
        return new Filter(k.name(), List.of(k), false);
    }

    public static Filter magnitude(String name, Kernel gx, Kernel gy) {
        return new Filter(name, List.of(gx, gy), true);
    }

    public int height() {
        return kernels.getFirst().height();
    }

    public int width() {
        return kernels.getFirst().width();
    }

    /**
     * True when the output stays in the input's range on flat regions, i.e. every kernel sums to 1
     * (identity, box, gaussian, sharpen, emboss): {@code --rescale auto} then clips; otherwise (edge
     * detectors, line filters, magnitudes) it stretches min..max to 0..255.
     */
    public boolean preservesBrightness() {
        if (magnitude) return false;
        return Math.abs(kernels.getFirst().sum() - 1) < 1e-4;
    }

    @Override
    public String toString() {
        if (!magnitude) return kernels.getFirst().toString();
        return name + " = sqrt(" + kernels.get(0).name() + "^2 + " + kernels.get(1).name() + "^2), " + kernels.get(0).matrix() + " and "
                + kernels.get(1).matrix();
    }
}
