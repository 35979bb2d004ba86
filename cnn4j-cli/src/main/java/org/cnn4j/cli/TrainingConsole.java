package org.cnn4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnn4j.io.Json;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.TrainingListener;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code cnn4j train} shows while training: a progress bar per epoch (or, when stdout is not a
 * terminal, a plain line every 10% of the epoch, so logs stay readable), then one summary line per epoch.
 * With {@code --quiet} nothing per epoch; with {@code --json} one JSON object per epoch and nothing else.
 * During the evaluation after each epoch the bar shows how many test images are done
 * ({@link #evaluationProgress}).
 */
final class TrainingConsole implements TrainingListener {
    /** How the progress within an epoch is shown. */
    enum Mode {
        /** An in-place progress bar (stdout is a terminal). */
        BAR,
        /** A line at every 10% of the epoch (logs, CI). */
        LINES,
        /** Nothing within the epoch; only the epoch lines. */
        NONE,
        /** Nothing at all ({@code --quiet}: the command prints its final line itself). */
        QUIET,
        /** One compact JSON object per epoch ({@code --json}), see {@link #epochJson}. */
        JSON
    }

    private final PrintWriter out;
    private final Mode mode;
    private final int testImages;
    private ProgressBar bar;
    private int epochs;
    private int currentEpoch;
    private int lastDecile;
    private long epochStart;
    private String lastMessage = "";
    private int evalDecile;
    private long lastEvalUpdate;

    TrainingConsole(PrintWriter out, Mode mode, int testImages) {
        this.out = out;
        this.mode = mode;
        this.testImages = testImages;
    }

    /** BAR when stdin/stdout are a terminal ({@code System.console().isTerminal()}), else LINES. */
    static Mode detect(boolean progress) {
        if (!progress) return Mode.NONE;
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        this.epochs = epochs;
        this.currentEpoch = epoch;
        this.lastDecile = 0;
        this.lastMessage = "";
        this.epochStart = System.nanoTime();
        if (mode == Mode.BAR) {
            PrintStream stream = System.out;
            out.flush();
            bar = new ProgressBarBuilder()
                    .setTaskName("Epoch " + epoch + "/" + epochs)
                    .setInitialMax(batches)
                    .setUnit(" batches", 1)
                    .setUpdateIntervalMillis(250)
                    .setStyle(StandardCharsets.UTF_8.equals(stream.charset()) ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(stream, terminalWidth()))
                    .build();
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, double runningLoss, double runningAccuracy,
                           double imagesPerSecond) {
        String message = String.format(Locale.ROOT, "loss %s acc %.4f %s img/s", Format.loss(runningLoss), runningAccuracy,
                Format.count(Math.round(imagesPerSecond)));
        lastMessage = message;
        switch (mode) {
            case BAR -> {
                bar.stepTo(batch);
                bar.setExtraMessage(message);
            }
            case LINES -> {
                int decile = (int) ((long) batch * 10 / batches);
                if (decile > lastDecile || batch == batches) {
                    lastDecile = decile;
                    out.printf(Locale.ROOT, "  epoch %d/%d %3d%% %" + digits(batches) + "d/%d batches  %s  %.1f s%n",
                            epoch, epochs, (int) ((long) batch * 100 / batches), batch, batches, message, seconds());
                    out.flush();
                }
            }
            case NONE, QUIET, JSON -> { }
        }
    }

    @Override
    public void onEvaluationStart(int epoch) {
        evalDecile = 0;
        lastEvalUpdate = 0;
        String what = "evaluating on " + Format.count(testImages) + " test images";
        switch (mode) {
            case BAR -> bar.setExtraMessage(lastMessage.replaceFirst(" [0-9,]+ img/s$", "") + " | " + what);
            case LINES -> {
                out.println("  epoch " + epoch + "/" + epochs + " " + what);
                out.flush();
            }
            case NONE, QUIET, JSON -> { }
        }
    }

    /** Test images evaluated so far in this epoch's evaluation (called from a forward hook on the model). */
    void evaluationProgress(long done) {
        switch (mode) {
            case BAR -> {
                long now = System.nanoTime();
                if (bar != null && (now - lastEvalUpdate > 200_000_000L || done >= testImages)) {
                    lastEvalUpdate = now;
                    bar.setExtraMessage(lastMessage.replaceFirst(" [0-9,]+ img/s$", "") + " | evaluating " + Format.count(done) + "/"
                            + Format.count(testImages) + " test images");
                }
            }
            case LINES -> {
                int decile = (int) (done * 10 / Math.max(1, testImages));
                if (decile >= evalDecile + 5 && done < testImages) { // one line half-way through: evaluation is short
                    evalDecile = decile;
                    out.printf(Locale.ROOT, "  epoch %d/%d evaluated %s/%s test images  %.1f s%n", currentEpoch, epochs,
                            Format.count(done), Format.count(testImages), seconds());
                    out.flush();
                }
            }
            case NONE, QUIET, JSON -> { }
        }
    }

    @Override
    public void onEpochEnd(EpochResult r) {
        if (bar != null) {
            bar.setExtraMessage(lastMessage);
            bar.close();
            bar = null;
        }
        switch (mode) {
            case QUIET -> { }
            case JSON -> out.println(Json.writeCompact(epochJson(r, epochs, seconds())));
            default -> out.println(epochLine(r, epochs, seconds()));
        }
        out.flush();
    }

    /**
     * {@code {"epoch":1,"epochs":5,"train_loss":...,"train_accuracy":...,"test_loss":...,"test_accuracy":...,
     * "images_per_second":...,"train_seconds":...,"seconds":...}}; figures that are not finite (no test set) are null.
     */
    static Map<String, Object> epochJson(EpochResult r, int epochs, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", r.epoch());
        m.put("epochs", epochs);
        m.put("train_loss", finite(r.trainLoss()));
        m.put("train_accuracy", finite(r.trainAccuracy()));
        m.put("test_loss", finite(r.testLoss()));
        m.put("test_accuracy", finite(r.testAccuracy()));
        m.put("images_per_second", finite(Math.round(r.trainImagesPerSecond() * 10) / 10.0));
        m.put("train_seconds", finite(Math.round(r.trainSeconds() * 1000) / 1000.0));
        m.put("seconds", finite(Math.round(seconds * 1000) / 1000.0));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** {@code epoch 1/5  train loss 0.4123 acc 0.8512  test loss 0.3456 acc 0.8765  2,345 img/s  25.6 s}. */
    static String epochLine(EpochResult r, int epochs, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %d/%d  train loss %s acc %.4f", r.epoch(), epochs, Format.loss(r.trainLoss()),
                r.trainAccuracy()));
        if (Double.isFinite(r.testLoss()))
            sb.append(String.format(Locale.ROOT, "  test loss %s acc %.4f", Format.loss(r.testLoss()), r.testAccuracy()));
        sb.append("  ").append(Format.count(Math.round(r.trainImagesPerSecond()))).append(" img/s");
        sb.append(String.format(Locale.ROOT, "  %.1f s", seconds));
        return sb.toString();
    }

    private double seconds() {
        return (System.nanoTime() - epochStart) / 1e9;
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /** Width for the bar: {@code -Dcnn4j.columns} (the launcher passes the terminal's), else $COLUMNS, else 100. */
    static int terminalWidth() {
        for (String s : new String[] {System.getProperty("cnn4j.columns"), System.getenv("COLUMNS")}) {
            if (s == null || s.isBlank()) continue;
            try {
                int w = Integer.parseInt(s.trim());
                if (w >= 40) return w;
            } catch (NumberFormatException ignored) {
                // next
            }
        }
        return 100;
    }
}
