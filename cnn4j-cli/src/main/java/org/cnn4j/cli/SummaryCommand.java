package org.cnn4j.cli;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.Module;
import org.cnn4j.summary.KerasSummary;
import org.cnn4j.summary.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cnn4j summary}: a zoo model's layer table, as torchsummary or Keras print it. */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print a table of a model: each layer's output shape and parameter count, the total, trainable and "
                + "non-trainable parameters (frozen layers count as non-trainable), as torchsummary prints it (with the "
                + "estimated memory sizes in MB) or as Keras' model.summary() does (nested modules indented by depth).")
final class SummaryCommand implements Callable<Integer> {
    enum Style { torch, keras }

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--style", paramLabel = "STYLE", defaultValue = "torch",
            description = "Table layout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Style style;

    @Option(names = "--depth", paramLabel = "N",
            description = "Keras style: the deepest level of nested modules shown, 1 for the model's own layers only (default: all).")
    Integer depth;

    @Override
    public Integer call() {
        ModelSpec s = modelOptions.spec(spec);
        if (depth != null) Options.positive(spec, "--depth", depth);
        String name = modelOptions.name();
        String table;
        try {
            Module m = modelOptions.build(spec, s);
            table = style == Style.torch ? Summary.of(m, s.inputShape()).table()
                    : KerasSummary.of(m, name, depth != null ? depth : KerasSummary.ALL_LEVELS, s.inputShape()).table();
        } catch (IllegalArgumentException e) { // the model cannot take that input: a usage error saying why
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--input-size': "
                    + java.util.Arrays.toString(s.inputShape()) + " does not fit " + name + ": " + e.getMessage());
        }
        spec.commandLine().getOut().print(table);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
