package org.cnn4j.cli;

import picocli.CommandLine.Option;

/** {@code --debug}, mixed into every subcommand; {@link Main} looks for it when an error occurs. */
final class DebugOption {
    @Option(names = "--debug", description = "Print the full stack trace of an error.")
    boolean debug;
}
