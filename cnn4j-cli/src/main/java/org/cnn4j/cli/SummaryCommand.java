package org.cnn4j.cli;

import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.summary.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cnn4j summary}: the torchsummary-style table of a zoo model. */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print a torchsummary-style table of a model: each layer's output shape and parameter count, "
                + "the total, trainable and non-trainable parameters, and the estimated memory sizes in MB.")
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "fashion-cnn", completionCandidates = ModelNames.class,
            description = "Model to summarise: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--input-size", paramLabel = "C,H,W",
            description = "Shape of one input sample without the batch dimension (default: the model's own, 1,28,28 for the Fashion-MNIST models).")
    String inputSize;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Number of output classes (default: the model's own, 10 for the Fashion models, 1000 for ImageNet ones).")
    Integer numClasses;

    @Override
    public Integer call() {
        Options.checkModel(spec, model);
        int classes = numClasses != null ? numClasses : Zoo.entry(model).defaultClasses();
        Options.positive(spec, "--num-classes", classes);
        int[] shape = inputSize != null ? Options.shape(spec, "--input-size", inputSize) : Zoo.entry(model).inputShape();
        Module m = Zoo.create(model, classes);
        String table;
        try {
            table = Summary.of(m, shape).table();
        } catch (IllegalArgumentException e) { // the model cannot take that input: a usage error naming the layer
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--input-size': "
                    + java.util.Arrays.toString(shape) + " does not fit " + model + ": " + e.getMessage());
        }
        spec.commandLine().getOut().print(table);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
