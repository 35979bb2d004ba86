package org.cnn4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Progress of a job other than a training epoch (evaluation, writing pictures): a progress bar with rate
 * and ETA on a terminal ({@link TrainingConsole.Mode#BAR}), a line at every 10% otherwise
 * ({@link TrainingConsole.Mode#LINES}), nothing for {@code NONE}/{@code QUIET}/{@code JSON}.
 */
final class ProgressMeter implements AutoCloseable {
    private final PrintWriter out;
    private final TrainingConsole.Mode mode;
    private final String task, unit;
    private final long total;
    private final long start = System.nanoTime();
    private ProgressBar bar;
    private long done;
    private int lastDecile;

    ProgressMeter(PrintWriter out, TrainingConsole.Mode mode, String task, long total, String unit) {
        this.out = out;
        this.mode = mode;
        this.task = task;
        this.total = Math.max(1, total);
        this.unit = unit;
        if (mode == TrainingConsole.Mode.BAR) {
            PrintStream stream = System.out;
            out.flush();
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(this.total).setUnit(" " + unit, 1)
                    .setUpdateIntervalMillis(250).showSpeed()
                    .setStyle(StandardCharsets.UTF_8.equals(stream.charset()) ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(stream, TrainingConsole.terminalWidth()))
                    .build();
        }
    }

    void stepBy(long n) {
        stepTo(done + n);
    }

    void stepTo(long value) {
        done = Math.min(value, total);
        switch (mode) {
            case BAR -> bar.stepTo(done);
            case LINES -> {
                int decile = (int) (done * 10 / total);
                if (decile > lastDecile) {
                    lastDecile = decile;
                    out.printf(Locale.ROOT, "  %s %3d%% %s/%s %s  %.1f s%n", task, (int) (done * 100 / total), Format.count(done),
                            Format.count(total), unit, (System.nanoTime() - start) / 1e9);
                    out.flush();
                }
            }
            default -> { }
        }
    }

    long done() {
        return done;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
