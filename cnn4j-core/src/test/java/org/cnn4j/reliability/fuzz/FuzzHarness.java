package org.cnn4j.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one input through a {@link ParserTarget} and checks the fuzzing property: the parser returns or
 * throws one of its documented exceptions (no other exception, no {@link Error}), within
 * {@link #TIMEOUT_MS} (no hang), allocating at most {@link ParserTarget#allocationBound} bytes (measured
 * with the thread's allocation counter). A violation is an {@link AssertionError} naming the target, the
 * input (hex of its first bytes) and what happened.
 */
final class FuzzHarness implements AutoCloseable {
    static final long TIMEOUT_MS = 5_000;

    private final ParserTarget target;
    private final Path root;
    private ExecutorService worker = newWorker();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long runs;

    FuzzHarness(ParserTarget target) {
        this.target = target;
        try {
            this.root = Files.createTempDirectory("cnn4j-fuzz-" + target.dir + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cnn4j-fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses the seeds once without checking, so class loading and plug-in registries (ImageIO) do not count as allocation. */
    FuzzHarness warmUp(Iterable<byte[]> seeds) {
        boolean was = measuring;
        measuring = false;
        try {
            for (byte[] s : seeds) check(s);
        } catch (AssertionError ignored) {
            // a failing seed fails again in the measured run
        } finally {
            measuring = was;
        }
        return this;
    }

    private boolean measuring = true;

    /** Checks the property on {@code data}; returns the documented exception thrown, or null when it parsed. */
    Throwable check(byte[] data) {
        runs++;
        Path dir = root.resolve("r" + (runs % 2)); // fresh directory contents every run
        Future<Object> f = worker.submit(() -> {
            clean(dir);
            Files.createDirectories(dir);
            Path file = dir.resolve("input");
            Files.write(file, data);
            long before = threads.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                target.parse(file);
            } catch (Throwable t) {
                thrown = t;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new Object[] {thrown, allocated};
        });
        Object[] r;
        try {
            r = (Object[]) f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the hung thread is abandoned (daemon)
            throw new AssertionError(target + ": no result within " + TIMEOUT_MS + " ms (a hang) on " + describe(data));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(target + ": the harness failed on " + describe(data), e.getCause());
        }
        Throwable thrown = (Throwable) r[0];
        long allocated = (Long) r[1];
        if (!measuring) return thrown;
        if (thrown != null && !target.isDocumented(thrown))
            throw new AssertionError(target + ": undocumented " + thrown.getClass().getName() + " on " + describe(data), thrown);
        long bound = target.allocationBound(data);
        if (allocated > bound)
            throw new AssertionError(target + ": allocated " + allocated + " bytes for an input of " + data.length
                    + " bytes (bound " + bound + ") on " + describe(data) + (thrown == null ? "" : "; then threw " + thrown));
        return thrown;
    }

    static String describe(byte[] data) {
        int n = Math.min(data.length, 48);
        return data.length + " bytes [" + HexFormat.of().formatHex(data, 0, n) + (data.length > n ? "..." : "") + "]";
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.delete(p);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            clean(root.resolve("r0"));
            clean(root.resolve("r1"));
            Files.deleteIfExists(root.resolve("r0"));
            Files.deleteIfExists(root.resolve("r1"));
            Files.deleteIfExists(root);
        } catch (IOException ignored) {
            // temp files: the OS cleans up
        }
    }
}
