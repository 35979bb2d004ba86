package org.cnn4j.train;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.nn.Module;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directory a training run leaves behind, as {@code cnn4j train} writes it:
 * <ul>
 *   <li>{@value #MODEL_FILE}: the model's state dict under PyTorch's names (loadable with
 *       {@code safetensors.torch.load_file} and {@code model.load_state_dict}), with metadata such as the
 *       model name and class names;</li>
 *   <li>{@value #HISTORY_FILE}: one row per epoch, header {@value #HISTORY_HEADER};</li>
 *   <li>{@value #METRICS_FILE}: the final figures and the settings that reproduce the run.</li>
 * </ul>
 * Every file is written atomically ({@link AtomicFiles}): a reader sees the previous version or the new
 * one, never a partial file, so the history can be rewritten after every epoch.
 *
 * <p>{@link #prepare} checks that the directory can be written before any training starts, so a typo in
 * the output path costs seconds, not an epoch.
 */
public final class RunDirectory {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String HISTORY_FILE = "history.csv";
    public static final String METRICS_FILE = "metrics.json";
    public static final String HISTORY_HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,images_per_second";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code dir} (and its parents) if needed and proves it writable by creating and deleting a
     * probe file. Unless {@code overwrite}, refuses a directory that already holds a run's files.
     *
     * @throws IOException with a message naming the directory and the reason
     */
    public static RunDirectory prepare(Path dir, boolean overwrite) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs))
            throw new IOException("cannot use " + dir + " as the run directory: it exists and is not a directory");
        try {
            Files.createDirectories(abs);
        } catch (FileSystemException e) {
            throw new IOException("cannot create the run directory " + dir + ": " + reason(e), e);
        }
        if (!overwrite) {
            for (String name : List.of(MODEL_FILE, HISTORY_FILE, METRICS_FILE))
                if (Files.exists(abs.resolve(name)))
                    throw new IOException("the run directory " + dir + " already holds " + name
                            + "; choose another directory or allow overwriting");
        }
        try {
            Path probe = Files.createTempFile(abs, ".write-test-", ".tmp");
            Files.delete(probe);
        } catch (FileSystemException e) {
            throw new IOException("the run directory " + dir + " is not writable: " + reason(e), e);
        }
        return new RunDirectory(abs);
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) return "permission denied (" + e.getFile() + ")";
        if (e instanceof NoSuchFileException) return "no such file or directory (" + e.getFile() + ")";
        String r = e.getReason();
        if (r == null) r = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return r + " (" + e.getFile() + ")";
    }

    /** The directory, absolute. */
    public Path path() {
        return dir;
    }

    public Path modelFile() {
        return dir.resolve(MODEL_FILE);
    }

    public Path historyFile() {
        return dir.resolve(HISTORY_FILE);
    }

    public Path metricsFile() {
        return dir.resolve(METRICS_FILE);
    }

    /** Writes the model's state dict with {@code metadata} (string values; may be null). */
    public Path writeModel(Module model, Map<String, String> metadata) throws IOException {
        SafeTensors.write(modelFile(), model.stateDict(), metadata);
        return modelFile();
    }

    /** Writes (or rewrites) the history with one row per epoch so far. */
    public Path writeHistory(List<EpochResult> history) throws IOException {
        AtomicFiles.writeString(historyFile(), historyCsv(history));
        return historyFile();
    }

    /** Writes {@code metrics} as pretty-printed JSON with a trailing newline. */
    public Path writeMetrics(Map<String, ?> metrics) throws IOException {
        AtomicFiles.writeString(metricsFile(), Json.write(metrics) + "\n");
        return metricsFile();
    }

    /**
     * The CSV text: header {@value #HISTORY_HEADER}, then per epoch losses and accuracies with 6 decimals
     * and images/s with 1 (an empty cell where there was no test set).
     */
    public static String historyCsv(List<EpochResult> history) {
        StringBuilder sb = new StringBuilder(HISTORY_HEADER).append('\n');
        for (EpochResult r : history) {
            sb.append(r.epoch()).append(',')
                    .append(num(r.trainLoss(), 6)).append(',')
                    .append(num(r.trainAccuracy(), 6)).append(',')
                    .append(num(r.testLoss(), 6)).append(',')
                    .append(num(r.testAccuracy(), 6)).append(',')
                    .append(num(r.trainImagesPerSecond(), 1)).append('\n');
        }
        return sb.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "";
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
