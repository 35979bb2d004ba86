package org.cnn4j.cli;

import org.cnn4j.models.Zoo;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Validation shared by the commands; a violation is a usage error (exit code 2). */
final class Options {
    private Options() {}

    static void checkModel(CommandSpec spec, String model) {
        if (!Zoo.contains(model))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--model': '" + model
                    + "' is not a known model; known: " + String.join(", ", Zoo.names()));
    }

    static void positive(CommandSpec spec, String option, long value) {
        if (value <= 0)
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                    + " (must be a positive integer)");
    }

    static void positive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || !Double.isFinite(value))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                    + " (must be a positive number)");
    }

    static void nonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                    + " (must be zero or positive)");
    }

    /** {@code 1,28,28} (also {@code 1x28x28} or with spaces) as positive integers. */
    static int[] shape(CommandSpec spec, String option, String text) {
        String[] parts = text.trim().split("\\s*[,x]\\s*|\\s+");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] <= 0)
                throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': '" + text
                        + "' (expected positive integers separated by commas, e.g. 1,28,28)");
        }
        return shape;
    }
}
