package org.cnn4j.train;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to continue a training run or to rebuild its model without code, in one
 * directory (as PyTorch's {@code torch.save({'model': ..., 'optimizer': ..., 'epoch': ...})} plus Keras'
 * model config):
 * <ul>
 *   <li>{@value #MODEL_FILE}: the state dict (PyTorch names) with metadata (model name, class names);</li>
 *   <li>{@value #OPTIMIZER_FILE}: the optimizer's {@link Optimizer#stateDict()} as 1-D tensors
 *       ({@code optimizer.*}) and the scheduler's ({@code scheduler.*});</li>
 *   <li>{@value #ARCHITECTURE_FILE}: the {@link ModelConfig} that rebuilds the model;</li>
 *   <li>{@value #STATE_FILE}: format version, epoch, batch and global step ({@link TrainingProgress}),
 *       the global {@link Rng} state, the frozen modules, the history, the optimizer and scheduler
 *       classes, and the caller's {@code extra} settings (the CLI keeps its options there).</li>
 * </ul>
 * A checkpoint is written into a temporary sibling directory, every file fsynced ({@link AtomicFiles}),
 * then renamed into place in one atomic step: a kill at any moment leaves the previous checkpoints
 * and at worst a {@code .tmp} directory that loading ignores and the next save removes. Reading goes
 * through the bounded safetensors and JSON parsers; no Java serialization.
 *
 * <p>{@link #save(Path, int, ...)} writes {@code step-NNNNNNNNN} directories under a parent and keeps
 * the newest {@code keep}; {@link #latest(Path)} finds the newest complete one.
 */
public final class Checkpoint {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String ARCHITECTURE_FILE = "architecture.json";
    public static final String STATE_FILE = "state.json";
    public static final int FORMAT_VERSION = 1;
    private static final String PREFIX = "step-";

    /**
     * A checkpoint read back.
     *
     * @param architecture the {@link ModelConfig}, or null when it was saved without one
     * @param extra        the caller's settings saved with it
     */
    public record Loaded(Path dir, Map<String, Object> architecture, Map<String, Tensor> weights, Map<String, String> metadata,
                         Map<String, float[]> optimizer, Map<String, float[]> scheduler, String optimizerClass,
                         String schedulerClass, TrainingProgress progress, long rngState, List<String> frozenModules,
                         Map<String, Object> extra) {

        /** A fresh model from {@link #architecture()} with the saved weights (evaluation mode off: training). */
        public Module buildModel() {
            if (architecture == null)
                throw new IllegalArgumentException(dir + " has no " + ARCHITECTURE_FILE + "; build the model in code and use restore()");
            Module m = ModelConfig.build(architecture);
            m.loadStateDict(weights, true);
            return m;
        }

        /**
         * Puts the saved state back: weights (strict), frozen modules, the optimizer's and the scheduler's
         * state (either may be null to skip it) and the global {@link Rng} state. Returns the progress to
         * hand to {@link Trainer#resume}.
         */
        public TrainingProgress restore(Module model, Optimizer opt, LRScheduler sched) {
            model.loadStateDict(weights, true);
            model.unfreeze();
            for (String p : frozenModules) model.module(p).setFrozen(true);
            if (opt != null) {
                if (optimizerClass != null && !optimizerClass.equals(opt.getClass().getSimpleName()))
                    throw new IllegalArgumentException(dir + " holds the state of a " + optimizerClass + ", not of a "
                            + opt.getClass().getSimpleName() + "; resume with the same optimizer");
                opt.loadStateDict(optimizer);
            }
            if (sched != null) {
                if (schedulerClass == null || !schedulerClass.equals(sched.getClass().getSimpleName()))
                    throw new IllegalArgumentException(dir + " holds " + (schedulerClass == null ? "no scheduler state" : "the state of a "
                            + schedulerClass) + ", not of a " + sched.getClass().getSimpleName() + "; resume with the same scheduler");
                sched.loadStateDict(scheduler);
            }
            Rng.setState(rngState);
            return progress;
        }
    }

    private Checkpoint() {}

    /**
     * Writes checkpoint {@code step-<globalStep>} under {@code parent} and deletes all but the newest
     * {@code keep} (0 or less: keep all). Returns the new directory.
     */
    public static Path save(Path parent, int keep, Module model, Map<String, Object> architecture, Map<String, String> metadata,
                            Optimizer opt, LRScheduler sched, TrainingProgress progress, Map<String, Object> extra) throws IOException {
        Path dir = parent.resolve(String.format("%s%09d", PREFIX, progress.globalStep()));
        write(dir, model, architecture, metadata, opt, sched, progress, extra);
        if (keep > 0) {
            List<Path> all = list(parent);
            for (int i = 0; i < all.size() - keep; i++) deleteTree(all.get(i));
        }
        return dir;
    }

    /** Writes one checkpoint directory {@code dir} atomically (replacing one that exists). */
    public static void write(Path dir, Module model, Map<String, Object> architecture, Map<String, String> metadata, Optimizer opt,
                             LRScheduler sched, TrainingProgress progress, Map<String, Object> extra) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + abs.getFileName() + "-*.tmp")) {
            for (Path p : ds) deleteTree(p); // left by a killed save
        }
        Path tmp = parent.resolve("." + abs.getFileName() + "-" + ProcessHandle.current().pid() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            SafeTensors.write(tmp.resolve(MODEL_FILE), model.stateDict(), metadata);
            Map<String, Tensor> states = new LinkedHashMap<>();
            if (opt != null) opt.stateDict().forEach((k, v) -> states.put("optimizer." + k, new Tensor(v, v.length)));
            if (sched != null) sched.stateDict().forEach((k, v) -> states.put("scheduler." + k, new Tensor(v, v.length)));
            SafeTensors.write(tmp.resolve(OPTIMIZER_FILE), states, null);
            if (architecture != null) AtomicFiles.writeString(tmp.resolve(ARCHITECTURE_FILE), Json.write(architecture) + "\n");
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("format", "cnn4j-checkpoint");
            st.put("format_version", FORMAT_VERSION);
            st.put("epochs_done", progress.epochsDone());
            st.put("batches_done", progress.batchesDone());
            st.put("global_step", progress.globalStep());
            st.put("loss_sum", progress.lossSum());
            st.put("correct", progress.correct());
            st.put("seen", progress.seen());
            st.put("seconds", progress.seconds());
            st.put("rng_state", Rng.state());
            List<String> frozen = new ArrayList<>();
            model.namedModules().forEach((p, m) -> { if (m.isFrozen()) frozen.add(p); });
            st.put("frozen_modules", frozen);
            st.put("optimizer", opt == null ? null : opt.getClass().getSimpleName());
            st.put("scheduler", sched == null ? null : sched.getClass().getSimpleName());
            List<Object> hist = new ArrayList<>();
            for (EpochResult r : progress.history())
                hist.add(new LinkedHashMap<>(Map.of("epoch", r.epoch(), "train_loss", finite(r.trainLoss()), "train_accuracy",
                        finite(r.trainAccuracy()), "test_loss", finite(r.testLoss()), "test_accuracy", finite(r.testAccuracy()),
                        "images_per_second", finite(r.trainImagesPerSecond()), "seconds", finite(r.trainSeconds()))));
            st.put("history", hist);
            st.put("extra", extra == null ? Map.of() : extra);
            AtomicFiles.writeString(tmp.resolve(STATE_FILE), Json.write(st) + "\n");
            Path old = null;
            if (Files.exists(abs)) {
                old = parent.resolve("." + abs.getFileName() + "-old-" + ProcessHandle.current().pid() + ".tmp");
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs);
            }
            fsyncDirectory(parent);
            if (old != null) deleteTree(old);
        } finally {
            deleteTree(tmp);
        }
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The complete checkpoints under {@code parent}, oldest first (by global step). */
    public static List<Path> list(Path parent) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : ds)
                if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(STATE_FILE)) && p.getFileName().toString().substring(PREFIX.length()).matches("\\d{1,18}"))
                    out.add(p);
        }
        out.sort(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(PREFIX.length()))));
        return out;
    }

    /** The newest complete checkpoint under {@code parent}, if any. */
    public static Optional<Path> latest(Path parent) throws IOException {
        List<Path> all = list(parent);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Reads a checkpoint directory. Errors name the directory, file and field. */
    public static Loaded load(Path dir) throws IOException {
        Path stateFile = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(stateFile))
            throw new NoSuchFileException(stateFile.toString(), null, "not a checkpoint directory (no " + STATE_FILE + ")");
        if (Files.size(stateFile) > Json.MAX_LENGTH) throw new IOException(stateFile + " is too large for a checkpoint state");
        Map<String, Object> st = ModelConfig.map(Json.parse(Files.readString(stateFile)), stateFile.toString());
        String where = stateFile.toString();
        if (!"cnn4j-checkpoint".equals(st.get("format")))
            throw new IOException(where + ": not a cnn4j checkpoint (format " + st.get("format") + ")");
        int version = ModelConfig.integer(st, "format_version", where);
        if (version != FORMAT_VERSION)
            throw new IOException(where + ": checkpoint format version " + version + ", this cnn4j reads " + FORMAT_VERSION);
        List<EpochResult> history = new ArrayList<>();
        if (!(st.get("history") instanceof List<?> hl)) throw new IOException(where + ": 'history' must be a list");
        for (Object o : hl) {
            Map<String, Object> h = ModelConfig.map(o, where + ": history");
            history.add(new EpochResult(ModelConfig.integer(h, "epoch", where), num(h, "train_loss"), num(h, "train_accuracy"),
                    num(h, "test_loss"), num(h, "test_accuracy"), num(h, "images_per_second"), num(h, "seconds")));
        }
        TrainingProgress progress = new TrainingProgress(ModelConfig.integer(st, "epochs_done", where),
                ModelConfig.integer(st, "batches_done", where), longValue(st, "global_step", where), ModelConfig.number(st, "loss_sum", where),
                longValue(st, "correct", where), longValue(st, "seen", where), ModelConfig.number(st, "seconds", where), history);
        long rng = longValue(st, "rng_state", where);
        List<String> frozen = new ArrayList<>();
        if (st.get("frozen_modules") instanceof List<?> fl) for (Object o : fl) frozen.add(String.valueOf(o));
        Map<String, Object> extra = st.get("extra") == null ? Map.of() : ModelConfig.map(st.get("extra"), where + ": extra");
        Map<String, Object> arch = null;
        Path archFile = dir.resolve(ARCHITECTURE_FILE);
        if (Files.isRegularFile(archFile)) {
            if (Files.size(archFile) > Json.MAX_LENGTH) throw new IOException(archFile + " is too large");
            arch = ModelConfig.map(Json.parse(Files.readString(archFile)), archFile.toString());
        }
        SafeTensors.Loaded model = SafeTensors.read(dir.resolve(MODEL_FILE));
        Map<String, float[]> opt = new LinkedHashMap<>(), sched = new LinkedHashMap<>();
        for (var e : SafeTensors.read(dir.resolve(OPTIMIZER_FILE)).tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("optimizer.")) opt.put(k.substring(10), e.getValue().data());
            else if (k.startsWith("scheduler.")) sched.put(k.substring(10), e.getValue().data());
            else throw new IOException(dir.resolve(OPTIMIZER_FILE) + ": unexpected tensor '" + k + "' (optimizer.* or scheduler.*)");
        }
        return new Loaded(dir, arch, model.tensors(), model.metadata(), opt, sched, (String) st.get("optimizer"), (String) st.get("scheduler"),
                progress, rng, frozen, extra);
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static long longValue(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Long l)) throw new IllegalArgumentException(where + ": '" + key + "' must be an integer, got " + m.get(key));
        return l;
    }

    /** Parameter names that do not require gradients (for reports). */
    public static List<String> frozenParameters(Module model) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) if (!e.getValue().isTrainable()) out.add(e.getKey());
        return out;
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        if (Files.isDirectory(p)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
