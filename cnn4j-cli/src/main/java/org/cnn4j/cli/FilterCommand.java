package org.cnn4j.cli;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Padding;
import org.cnn4j.viz.ImageFiles;
import org.cnn4j.vision.Filter;
import org.cnn4j.vision.Filters;
import org.cnn4j.vision.ImageFilters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j filter IN OUT --kernel NAME}: a hand-made convolution kernel (and/or pooling) on a real
 * image, through the library's convolution and pooling ops, as seeds 001, 002 and 004 do with NumPy,
 * {@code F.conv2d} and {@code tf.nn.conv2d}.
 */
@Command(name = "filter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Apply a convolution kernel and/or pooling to an image (PNG, JPEG, BMP) with cnn4j's own convolution "
                + "and pooling, and write the result as an image.",
                "Values are computed on pixels scaled to [0, 1]; the result is mapped back to 0-255 by --rescale: "
                        + "clip (values outside [0, 1] are cut), minmax ((v - min) / (max - min) over all channels) or abs "
                        + "(|v| / max |v|: edge strength of either sign). The default, "
                        + "auto, clips for kernels whose weights sum to 1 (identity, box, gaussian, sharpen, emboss) and for pooling "
                        + "alone, and stretches min..max otherwise (edge detectors, line filters, gradient magnitudes)."},
        footerHeading = "%nKernels:%n",
        footer = {"  identity        3x3 identity",
                "  edge            8-neighbour Laplacian [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]] (seed 002)",
                "  laplacian       4-neighbour Laplacian [[0,1,0],[1,-4,1],[0,1,0]]",
                "  edge-diagonal   [[1,0,-1],[0,0,0],[-1,0,1]] (seed 004)",
                "  sobel-x/-y      Sobel gradients [[-1,0,1],[-2,0,2],[-1,0,1]] and its transpose",
                "  sobel           gradient magnitude sqrt(sobel-x^2 + sobel-y^2)",
                "  prewitt-x/-y    Prewitt gradients [[-1,0,1],[-1,0,1],[-1,0,1]] and its transpose; prewitt: magnitude",
                "  sharpen         [[0,-1,0],[-1,5,-1],[0,-1,0]]",
                "  emboss          [[-2,-1,0],[-1,1,1],[0,1,2]]",
                "  box, boxN       N x N mean (default 3)",
                "  gaussian[N]     N x N Gaussian (default 5); --sigma, else OpenCV's 0.3*((N-1)/2-1)+0.8",
                "  vertical-line   seed 001's 7x7 filter with ones in the middle column; horizontal-line: middle row",
                "  \"r,r,r;r,r,r\"   any kernel written row by row",
                "",
                "Examples:",
                "  cnn4j filter camera.png edges.png --kernel edge",
                "  cnn4j filter china.jpg lines.png --kernel vertical-line --gray",
                "  cnn4j filter flower.jpg pooled.png --pool min --size 4"})
final class FilterCommand implements Callable<Integer> {
    enum RescaleName { auto, clip, minmax, abs }

    enum PoolName { max, avg, min }

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Parameters(index = "0", paramLabel = "IN", description = "The image to filter (PNG, JPEG, BMP, GIF).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The image to write; the format follows the extension (png, jpg, bmp).")
    Path out;

    @Option(names = "--kernel", paramLabel = "NAME|ROWS",
            description = "A kernel name (see below) or rows such as \"0,-1,0;-1,5,-1;0,-1,0\". Needed unless --pool is given.")
    String kernel;

    @Option(names = "--sigma", paramLabel = "S", description = "Sigma of the gaussian kernel (default: from its size).")
    Double sigma;

    @Option(names = "--stride", paramLabel = "S", defaultValue = "1", description = "Convolution stride (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--padding", paramLabel = "same|valid|P", defaultValue = "same",
            description = "Zero padding: same (output = ceil(input / stride)), valid (none) or P pixels on every side "
                    + "(default: ${DEFAULT-VALUE}).")
    String padding;

    @Option(names = "--gray", description = "Convert an RGB image to gray first (0.299 R + 0.587 G + 0.114 B); otherwise every "
            + "channel is filtered on its own.")
    boolean gray;

    @Option(names = "--rescale", paramLabel = "RULE", defaultValue = "auto",
            description = "How the result is mapped to 0-255: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, see above).")
    RescaleName rescale;

    @Option(names = "--pool", paramLabel = "KIND", description = "Pool after the convolution (or alone): ${COMPLETION-CANDIDATES}. "
            + "min is computed as -maxpool(-x).")
    PoolName pool;

    @Option(names = "--size", paramLabel = "N", defaultValue = "2", description = "Pooling window and stride (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws IOException {
        if (kernel == null && pool == null)
            throw new ParameterException(spec.commandLine(), "Missing option: give --kernel, --pool or both");
        Options.positive(spec, "--stride", stride);
        Options.positive(spec, "--size", size);
        if (sigma != null) Options.positive(spec, "--sigma", sigma);
        Padding pad;
        Filter filter = null;
        try {
            pad = Padding.parse(padding);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--padding': " + e.getMessage());
        }
        if (pad.mode() == Padding.Mode.EXPLICIT && pad.values().length != 1)
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--padding': '" + padding
                    + "' (use same, valid or one number of pixels)");
        if (kernel != null) {
            try {
                filter = Filters.named(kernel, sigma == null ? Double.NaN : sigma);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--kernel': " + e.getMessage());
            }
        }
        if (sigma != null && (filter == null || !filter.name().startsWith("gaussian")))
            throw new ParameterException(spec.commandLine(), "--sigma applies to the gaussian kernel only");

        PrintWriter stdout = spec.commandLine().getOut();
        Image img = ImageFiles.read(in);
        String source = String.format(Locale.ROOT, "%s %dx%d %s", in.getFileName(), img.width(), img.height(),
                img.channels() == 1 ? "gray" : "RGB");
        if (gray) img = ImageFilters.toGray(img);
        StringBuilder steps = new StringBuilder();
        if (filter != null) {
            try {
                img = ImageFilters.convolve(img, filter, stride, pad);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            steps.append(filter).append(", stride ").append(stride).append(", padding ").append(pad);
        }
        if (pool != null) {
            try {
                img = ImageFilters.pool(img, ImageFilters.Pool.valueOf(pool.name().toUpperCase(Locale.ROOT)), size);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!steps.isEmpty()) steps.append("; ");
            steps.append(pool).append(" pool ").append(size).append('x').append(size);
        }
        ImageFilters.Range range = ImageFilters.range(img);
        ImageFilters.Rescale rule = switch (rescale) {
            case clip -> ImageFilters.Rescale.CLIP;
            case minmax -> ImageFilters.Rescale.MINMAX;
            case abs -> ImageFilters.Rescale.ABS;
            case auto -> filter == null || filter.preservesBrightness() ? ImageFilters.Rescale.CLIP : ImageFilters.Rescale.MINMAX;
        };
        Image shown = ImageFilters.rescale(img, rule);
        ImageFiles.write(out, shown);
        stdout.printf(Locale.ROOT, "%s%s: %s%n", source, gray && img.channels() == 1 ? " as gray" : "", steps);
        stdout.printf(Locale.ROOT, "  output %dx%d, values %.1f..%.1f on the 0-255 scale, %s%n", img.width(), img.height(),
                range.min() * 255, range.max() * 255,
                switch (rule) {
                    case CLIP -> "clipped to 0..255";
                    case MINMAX -> "stretched min..max to 0..255";
                    case ABS -> "|v| stretched 0..max|v| to 0..255";
                });
        stdout.printf("wrote %s%n", out);
        stdout.flush();
        return Main.EXIT_OK;
    }
}
