package org.cnn4j.cli;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.viz.FeatureMaps;
import org.cnn4j.viz.ImageFiles;
import org.cnn4j.vision.ImageFilters;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j featuremaps}: the feature maps a saved model computes for one image, captured with forward
 * hooks on its conv blocks (or on the layers named with {@code --layer}) and drawn into one PNG.
 */
@Command(name = "featuremaps", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Draw the feature maps of a saved model for one image: the output of each conv block (default) or of "
                + "the layers named with --layer, one gray tile per channel, each channel stretched min..max.",
                "The image is a Fashion-MNIST test image (--index) or any picture file (--image), converted to the model's "
                        + "input: gray or RGB, resized to its height and width, scaled to [0, 1]."})
final class FeatureMapsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "The saved weights, e.g. runs/<name>/model.safetensors.")
    Path modelFile;

    @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
            description = "Architecture of the weights: ${COMPLETION-CANDIDATES} (default: the name recorded in the file).")
    String model;

    static final class Source {
        @Option(names = "--image", paramLabel = "IMG", description = "A picture file (PNG, JPEG, BMP, GIF).")
        Path image;

        @Option(names = "--index", paramLabel = "I", description = "A test image by index, from the dataset the model was trained on (Fashion-MNIST: 0-9999).")
        Integer index;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "A module path as in the state dict, e.g. layer1 or layer1.0; repeat for several "
                    + "(default: every top-level block with a convolution).")
    List<String> layers;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "featuremaps.png",
            description = "The picture to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "64",
            description = "At most this many channels per layer (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--invert", description = "Invert the --image (1 - v): Fashion-MNIST shows light clothes on black.")
    boolean invert;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory with the files of the dataset the model was trained on (default: as for train).")
    Path dataDir;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--channels", channels);
        if (model != null) Options.checkModel(spec, model);
        if (invert && source.image == null) throw new ParameterException(spec.commandLine(), "--invert applies to --image only");
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        SavedModel saved = SavedModel.load(modelFile, model, stderr);
        int[] inputShape = saved.inputShape();

        Image img;
        String what;
        Integer truth = null;
        if (source.index != null) {
            String datasetName = saved.dataset() != null ? saved.dataset() : DataChoice.DEFAULT;
            DataChoice data = DataChoice.open(datasetName, dataDir, inputShape, false, stderr);
            if (data.test == null) throw new ParameterException(spec.commandLine(), data.title + " has no test split; use --image");
            Dataset test = data.test;
            if (source.index < 0 || source.index >= test.size())
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--index': " + source.index + " (the test set has "
                        + Format.count(test.size()) + " images: 0.." + (test.size() - 1) + ")");
            if (!Arrays.equals(test.sampleShape(), inputShape))
                throw new ParameterException(spec.commandLine(), saved.name() + " takes inputs " + Arrays.toString(inputShape)
                        + ", " + data.title + " images are " + Arrays.toString(test.sampleShape()) + "; use --image");
            float[] d = new float[test.sampleSize()];
            truth = test.copySample(source.index, d, 0);
            img = new Image(inputShape[0], inputShape[1], inputShape[2], d);
            what = "Fashion-MNIST test image " + source.index;
        } else {
            img = modelInput(source.image, inputShape, invert);
            what = source.image.getFileName().toString() + (invert ? " (inverted)" : "");
        }

        Tensor x = new Tensor(img.data().clone(), 1, inputShape[0], inputShape[1], inputShape[2]);
        List<String> wanted = layers == null || layers.isEmpty() ? FeatureMaps.defaultLayers(saved.net()) : layers;
        if (wanted.isEmpty())
            throw new ParameterException(spec.commandLine(), saved.name() + " has no convolution blocks; name layers with --layer");
        List<FeatureMaps.Capture> maps;
        try {
            maps = FeatureMaps.capture(saved.net(), x, wanted);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--layer': " + e.getMessage());
        }
        if (maps.isEmpty())
            throw new ParameterException(spec.commandLine(), "none of the layers " + wanted + " gives a 4-D feature map for this input");
        int predicted;
        try (var ignored = Autograd.noGrad()) {
            predicted = saved.net().call(x).argmax(1)[0];
        }
        String title = String.format(Locale.ROOT, "%s: feature maps for %s, predicted %s%s", saved.name(), what,
                saved.classNames().get(predicted), truth == null ? "" : " (true " + saved.classNames().get(truth) + ")");
        ImageFiles.write(out, FeatureMaps.render(img, title, maps, channels));
        stdout.println(title);
        for (FeatureMaps.Capture c : maps) stdout.println("  " + c.label());
        stdout.printf("wrote %s%n", out);
        stdout.flush();
        return Main.EXIT_OK;
    }

    /**
     * A picture file as model input {@code [C, H, W]} in [0, 1]: resized with area averaging (no aliasing when
     * shrinking a photo to 28x28), then gray by BT.601 luma when the model takes one channel.
     */
    static Image modelInput(Path file, int[] shape, boolean invert) throws IOException {
        Image full = ImageFiles.read(file); // also selects headless AWT
        BufferedImage src = ImageFiles.toBufferedImage(full);
        BufferedImage dst = new BufferedImage(shape[2], shape[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src.getScaledInstance(shape[2], shape[1], java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        Image img = ImageFiles.fromBufferedImage(dst);
        if (shape[0] == 1) img = ImageFilters.toGray(img);
        else if (shape[0] != 3) throw new IllegalArgumentException("the model takes " + shape[0] + "-channel input; --image gives gray or RGB");
        if (invert) for (int i = 0; i < img.data().length; i++) img.data()[i] = 1f - img.data()[i];
        return img;
    }
}
