package org.cnn4j.cli;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --model}, {@code --input-size}, {@code --in-channels}, {@code --num-classes}: a zoo model and what it is built for. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME", defaultValue = "fashion-cnn", completionCandidates = ModelNames.class,
            description = "Zoo model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input-size", paramLabel = "C,H,W",
            description = "Input sample shape: C,H,W, or H,W, or one size S for SxS (default: the model's own, e.g. 1,28,28 "
                    + "for the Fashion-MNIST models, 3,224,224 for the ImageNet ones, 3,32,32 for cifar-cnn and resnet18-cifar).")
    String inputSize;

    @Option(names = "--in-channels", paramLabel = "C", description = "Input channels (default: the model's own, or C of --input-size).")
    Integer inChannels;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Number of output classes (default: the model's own, 10 for the Fashion-MNIST and CIFAR models, 1000 for ImageNet ones).")
    Integer numClasses;

    /**
     * Builds the model for {@code spec}. A size the model cannot take is the library's error (exit code 1, one
     * line naming the model and the smallest size it takes), as any other shape error.
     */
    org.cnn4j.nn.Module build(CommandSpec cmd, ModelSpec spec) {
        return Zoo.create(model, spec);
    }

    /** The model's canonical name (after {@link #spec}). */
    String name() {
        return Zoo.entry(model).name();
    }

    /** The spec from the options over the model's defaults; a usage error when an option is invalid. */
    ModelSpec spec(CommandSpec cmd) {
        Options.checkModel(cmd, model);
        ModelSpec d = Zoo.entry(model).defaultSpec();
        int c = d.inChannels(), h = d.height(), w = d.width();
        if (inputSize != null) {
            int[] s = Options.shape(cmd, "--input-size", inputSize);
            switch (s.length) {
                case 1 -> { h = s[0]; w = s[0]; }
                case 2 -> { h = s[0]; w = s[1]; }
                case 3 -> { c = s[0]; h = s[1]; w = s[2]; }
                default -> throw new ParameterException(cmd.commandLine(), "Invalid value for option '--input-size': '" + inputSize
                        + "' (expected C,H,W, H,W or one size, e.g. 3,32,32)");
            }
            if (s.length == 3 && inChannels != null && inChannels != c)
                throw new ParameterException(cmd.commandLine(), "--in-channels " + inChannels + " contradicts --input-size "
                        + inputSize + " (" + c + " channels)");
        }
        if (inChannels != null) {
            Options.positive(cmd, "--in-channels", inChannels);
            c = inChannels;
        }
        int classes = numClasses != null ? numClasses : d.numClasses();
        Options.positive(cmd, "--num-classes", classes);
        return new ModelSpec(c, h, w, classes);
    }
}
