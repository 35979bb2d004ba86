package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.train.AnomalyException;
import org.cnn4j.train.MemoryGuard;
import org.cnn4j.train.NonFiniteLossException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;

/**
 * The {@code cnn4j} command: {@code train}, {@code summary}, {@code evaluate}, {@code samples}, {@code augment},
 * {@code filter}, {@code featuremaps}, {@code explain}, {@code predict},
 * {@code finetune}, {@code run-onnx}.
 *
 * <p>Exit codes: 0 success; 1 any other error; 2 invalid options or arguments (with usage help);
 * 3 a data or file problem (missing or malformed dataset, unreadable or mismatched model file, output
 * directory not writable or full); 4 training stopped because the loss (or, with {@code --detect-anomaly}, an
 * activation, gradient or weight) became NaN or infinite; 5 a batch would not fit in the Java heap. Errors are one line,
 * {@code cnn4j: error: <message>}, on stderr; {@code --debug} adds the stack trace.
 */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks in pure Java: train, inspect and evaluate image classifiers.",
        subcommands = {TrainCommand.class, SummaryCommand.class, EvaluateCommand.class, FilterCommand.class,
                FeatureMapsCommand.class, SamplesCommand.class, ExplainCommand.class, AugmentCommand.class, PredictCommand.class, FinetuneCommand.class,
                RunOnnxCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  other error", "  2  invalid options or arguments",
                "  3  data or file error (dataset, model file, output directory)",
                "  4  training stopped: the loss (or with --detect-anomaly a layer's output, a gradient or a weight) became NaN or infinite",
                "  5  not enough memory: a batch would not fit in the Java heap (the message gives the largest batch that fits)"})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FILE = 3;
    public static final int EXIT_NON_FINITE = 4;
    public static final int EXIT_MEMORY = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code cnn4j} without a subcommand: the usage on stderr, and exit code 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cnn4j: missing command (train, summary, evaluate, samples, augment, filter, featuremaps, explain, predict, finetune, run-onnx)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) { // past the memory guard's estimate: still one line, not a trace
            System.err.println("cnn4j: error: out of memory (" + e.getMessage() + "); use a smaller --batch-size or raise the heap "
                    + "limit (CNN4J_JAVA_OPTS=-Xmx...)");
            if (java.util.Arrays.asList(args).contains("--debug")) e.printStackTrace();
            code = EXIT_MEMORY;
        }
        System.exit(code);
    }

    /** A configured command line (tests call {@code setOut}/{@code setErr} on it, then {@code execute}). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, args) -> { // usage errors too: the trace with --debug
            int code = usage.handleParseException(ex, args);
            if (java.util.Arrays.asList(args).contains("--debug")) {
                ex.printStackTrace(ex.getCommandLine().getErr());
                ex.getCommandLine().getErr().flush();
            }
            return code;
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    /** Maps an exception thrown by a command to a one-line message and an exit code. */
    static int handleExecutionException(Exception e, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        Throwable cause = e;
        int code;
        if (cause instanceof NonFiniteLossException || cause instanceof AnomalyException) code = EXIT_NON_FINITE;
        else if (cause instanceof MemoryGuard.InsufficientMemoryException) code = EXIT_MEMORY;
        else if (isFileProblem(cause)) code = EXIT_FILE;
        else code = EXIT_ERROR;
        err.println("cnn4j: error: " + describe(cause));
        if (debug(parseResult)) cause.printStackTrace(err);
        else if (code == EXIT_ERROR && !(cause instanceof IllegalArgumentException) && !(cause instanceof IllegalStateException))
            err.println("cnn4j: (run again with --debug for the stack trace)");
        err.flush();
        return code;
    }

    static boolean isFileProblem(Throwable t) {
        return t instanceof IOException || t instanceof UncheckedIOException || t instanceof FileProblem
                || t instanceof Json.ParseException;
    }

    private static boolean debug(ParseResult parseResult) {
        if (parseResult == null) return false;
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand())
            if (pr.hasMatchedOption("--debug")) return true;
        return false;
    }

    /** A message for one line: the exception's own, made readable for the common file-system cases. */
    static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) t = u.getCause();
        if (t instanceof NoSuchFileException n) return "no such file or directory: " + n.getFile()
                + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        if (t instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        if (t instanceof FileSystemException f && f.getMessage() != null && f.getMessage().equals(f.getFile()))
            return f.getClass().getSimpleName() + ": " + f.getFile();
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        return m.replace('\n', ' ');
    }

    /** Version from the jar's Maven metadata, with the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cnn4j " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"};
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/org.cnn4j/cnn4j-cli/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v;
            }
        } catch (IOException ignored) {
            // fall through
        }
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }
}
