package org.cnn4j.cli;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.summary.Explain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j explain}: a model's shapes and parameter counts layer by layer with the formulas filled in;
 * {@code cnn4j explain conv}: one convolution worked through window by window. The logic is
 * {@link Explain}'s; this only parses and prints.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Walk a model layer by layer and print each layer's output size and parameter count as formulas "
                + "with the numbers filled in, e.g.",
                "  Conv2d(3->7, k5, s1, p0): H = (32 - 5 + 2*0)/1 + 1 = 28, W = 28, C = 7 filters; params 5*5*3*7 + 7 = 532",
                "'explain conv' works one convolution through by hand."},
        subcommands = ExplainCommand.Conv.class)
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        ModelSpec s = modelOptions.spec(spec);
        String name = modelOptions.name();
        PrintWriter out = spec.commandLine().getOut();
        out.print(Explain.model(modelOptions.build(spec, s), name, s.inputShape()).text());
        out.flush();
        return Main.EXIT_OK;
    }

    @Command(name = "conv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Work a single-channel convolution through: the output size formula, then each window's "
                    + "multiply-add (as seed 000 does it) and the feature map. An impossible configuration (the window "
                    + "does not land evenly, e.g. 4x4 input, kernel 3, padding 1, stride 2: 2.5) is reported with the "
                    + "nearest valid strides, paddings and kernel sizes, and exit code 2.",
                    "Example: cnn4j explain conv --input 6x6 --kernel \"1,0,1;0,1,0;1,0,1\" "
                            + "--values \"1,0,0,0,0,1;0,1,0,0,1,0;0,0,1,1,0,0;1,0,0,0,1,0;0,1,0,0,1,0;0,0,1,0,1,0\""})
    static final class Conv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DebugOption debugOption;

        @Option(names = "--input", paramLabel = "HxW", required = true, description = "Input size, e.g. 6x6 (or one size S for SxS).")
        String input;

        @Option(names = "--kernel", paramLabel = "ROWS", required = true,
                description = "Kernel weights, rows separated by ';', e.g. \"1,0,1;0,1,0;1,0,1\".")
        String kernel;

        @Option(names = "--stride", paramLabel = "S", defaultValue = "1", description = "Stride (default: ${DEFAULT-VALUE}).")
        int stride;

        @Option(names = "--padding", paramLabel = "P", defaultValue = "0", description = "Zero padding on each side (default: ${DEFAULT-VALUE}).")
        int padding;

        @Option(names = "--values", paramLabel = "NUMBERS",
                description = "The input's values, row by row (H*W numbers separated by ',' or ';'); without them only the sizes are worked out.")
        String values;

        @Override
        public Integer call() {
            int[] size = Options.shape(spec, "--input", input);
            if (size.length > 2)
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--input': '" + input
                        + "' (expected HxW, e.g. 6x6)");
            int h = size[0], w = size.length == 2 ? size[1] : size[0];
            Options.positive(spec, "--stride", stride);
            if (padding < 0) throw new ParameterException(spec.commandLine(), "Invalid value for option '--padding': " + padding
                    + " (must be zero or positive)");
            float[][] k, v = null;
            try {
                k = Explain.parseMatrix(kernel);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--kernel': " + e.getMessage());
            }
            if (values != null) {
                try {
                    v = Explain.reshape(Explain.parseNumbers(values), h, w);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--values': " + e.getMessage());
                }
            }
            Explain.ConvolutionExplanation e = Explain.convolution(h, w, k, stride, padding, v);
            PrintWriter out = spec.commandLine().getOut();
            out.print(e.text());
            out.flush();
            if (!e.valid()) {
                spec.commandLine().getErr().println("cnn4j: error: impossible configuration: the output size is not an integer "
                        + "(see the formula and the nearest valid settings above)");
                spec.commandLine().getErr().flush();
                return Main.EXIT_USAGE;
            }
            return Main.EXIT_OK;
        }
    }
}
