package org.cnn4j.cli;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.train.Checkpoint;
import org.cnn4j.train.ModelConfig;
import org.cnn4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checkpoint side of {@code train} and {@code finetune}: writes checkpoints into {@code <run>/checkpoints}
 * with the command's own options, and {@code --resume} rebuilds the command from the options a checkpoint
 * recorded and continues it (the training loop itself stays {@link Trainer}'s).
 */
final class TrainingCheckpoints {
    static final String DIR = "checkpoints";
    /** Options that may accompany --resume: they change how the run looks, not what it computes. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--debug", "--no-progress", "--quiet", "--json", "--no-pictures");

    private TrainingCheckpoints() {}

    /** The options matched on the command line, as strings, without --resume. */
    static List<String> givenArgs(CommandSpec spec) {
        List<String> args = new ArrayList<>();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (OptionSpec o : pr.matchedOptions()) {
            if (o.longestName().equals("--resume")) continue;
            List<String> values = o.originalStringValues();
            if (values.isEmpty() || o.arity().max() == 0) args.add(o.longestName());
            else for (String v : values) {
                args.add(o.longestName());
                args.add(v);
            }
        }
        return args;
    }

    static void attach(TrainCommand cmd, Trainer trainer, Path runDir, Module net, Optimizer opt, LRScheduler schedule,
                       ModelSpec modelSpec, Map<String, String> metadata, Path outDir) {
        Map<String, Object> arch = ModelConfig.zoo(cmd.model, modelSpec, cmd.replacedModules(net));
        List<String> args = new ArrayList<>(cmd.givenArgs());
        args.removeIf(a -> RESUME_OPTIONS.contains(a)); // display flags (no values) are the resuming command line's
        int out = args.indexOf("--out");
        if (out >= 0) args.subList(out, out + 2).clear();
        args.add("--out");
        args.add(outDir.toAbsolutePath().toString());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("command", cmd.spec.name());
        extra.put("args", args);
        Path dir = runDir.resolve(DIR);
        trainer.checkpoints(cmd.checkpointEvery, progress -> {
            try {
                Checkpoint.save(dir, cmd.keepCheckpoints, net, arch, metadata, opt, schedule, progress, extra);
            } catch (IOException e) {
                throw new UncheckedIOException("writing a checkpoint into " + dir + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** The checkpoint DIR names: itself, the newest under it, or the newest under DIR/checkpoints. */
    static Path locate(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(Checkpoint.STATE_FILE))) return dir;
        var latest = Checkpoint.latest(dir);
        if (latest.isEmpty()) latest = Checkpoint.latest(dir.resolve(DIR));
        if (latest.isEmpty())
            throw new FileProblem(dir + " holds no checkpoint (looked for " + Checkpoint.STATE_FILE + " in it, in step-* directories and in "
                    + dir.resolve(DIR) + "); train with --checkpoint-every N to write them");
        return latest.get();
    }

    /** Rebuilds the command the checkpoint recorded and runs it from the checkpoint. */
    static int resume(TrainCommand given) throws IOException {
        for (OptionSpec o : given.spec.commandLine().getParseResult().matchedOptions())
            if (!RESUME_OPTIONS.contains(o.longestName()))
                throw new ParameterException(given.spec.commandLine(), "--resume continues the run with its recorded settings; "
                        + o.longestName() + " cannot be changed (allowed with --resume: " + String.join(", ", new java.util.TreeSet<>(RESUME_OPTIONS)) + ")");
        Path dir = locate(given.resume);
        Checkpoint.Loaded c = Checkpoint.load(dir);
        Object command = c.extra().get("command"), recorded = c.extra().get("args");
        if (!(recorded instanceof List<?> list))
            throw new FileProblem(dir + " was not written by 'cnn4j train' or 'cnn4j finetune' (no recorded options)");
        TrainCommand again = "finetune".equals(command) ? new FinetuneCommand() : new TrainCommand();
        CommandLine cl = new CommandLine(again);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(given.spec.commandLine().getOut());
        cl.setErr(given.spec.commandLine().getErr());
        List<String> args = new ArrayList<>();
        for (Object o : list) args.add(String.valueOf(o));
        for (OptionSpec o : given.spec.commandLine().getParseResult().matchedOptions())
            if (!o.longestName().equals("--resume")) args.add(o.longestName()); // the display flags take no value
        cl.parseArgs(args.toArray(new String[0]));
        again.resumed = c;
        return again.call();
    }
}
