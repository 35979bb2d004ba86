package org.cnn4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one compute thread pool of cnn4j.
 *
 * <p>Size = available processors, overridable by the environment variable {@code CNN4J_THREADS} or the
 * system property {@code cnn4j.threads} (the property wins). The calling thread always runs chunk 0
 * itself; {@code threads() - 1} daemon workers run the others.
 *
 * <p>Partitioning is static: {@link #forRange} splits {@code [0, n)} into
 * {@code min(threads(), ceil(n / grain))} contiguous chunks whose bounds depend only on {@code n},
 * {@code grain} and {@link #threads()}. When the pool cannot be used (a nested call from inside a
 * body, or another thread holds the pool) the very same chunks run one after another on the calling
 * thread, so results never depend on scheduling.
 */
public final class Parallel {

  @FunctionalInterface
  public interface RangeBody {
    void run(int start, int end);
  }

  private static final int THREADS = configuredThreads();
  private static final ThreadLocal<boolean[]> IN_BODY = ThreadLocal.withInitial(() -> new boolean[1]);
  private static final ReentrantLock POOL_LOCK = new ReentrantLock();
  /**
   * How long an idle thread spins before it parks. A parked worker takes tens of microseconds to wake, and a
   * training step posts hundreds of jobs (ResNet-18 at batch 64: ~260) with gaps of up to a few milliseconds
   * between them. Spinning 2 ms instead of 16K spin-wait hints (0.2-0.3 ms on this machine) raised PeerBench's
   * ResNet-18 training rate by ~5% and FashionCNN inference by ~7%. Measured by time, since the hint costs from
   * a few to ~140 cycles depending on the CPU; OpenMP runtimes spin longer (Intel's default: 200 ms).
   */
  private static final long SPIN_NANOS = 2_000_000L;
  private static volatile Worker[] workers; // created lazily, THREADS - 1 of them

  private Parallel() {}

  /** The number of threads compute kernels use (>= 1). */
  public static int threads() {
    return THREADS;
  }

  /** True while running inside a {@link #forRange} body (on a worker or on the calling thread). */
  public static boolean inWorker() {
    return IN_BODY.get()[0];
  }

  /** The number of chunks {@link #forRange} uses for these arguments (deterministic). */
  public static int chunks(int n, int grain) {
    if (n <= 0) {
      return 0;
    }
    int g = Math.max(1, grain);
    long byGrain = ((long) n + g - 1) / g;
    return (int) Math.max(1, Math.min(THREADS, byGrain));
  }

  /** Start of chunk {@code i} of {@code chunks} over {@code [0, n)}. */
  public static int chunkStart(int n, int chunks, int i) {
    return (int) ((long) n * i / chunks);
  }

  /** The index of the chunk of {@link #chunkStart} that starts at {@code start}. */
  static int chunkIndex(int n, int chunks, int start) {
    for (int c = 0; c < chunks; c++) {
      if (chunkStart(n, chunks, c) == start) {
        return c;
      }
    }
    throw new IllegalStateException("unknown chunk start " + start);
  }

  /**
   * Runs {@code body.run(start, end)} over {@code [0, n)} split into contiguous chunks, one per thread
   * (fewer when {@code n} is small or {@code grain} says so); blocks until all are done; rethrows the
   * first exception.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    int chunks = chunks(n, grain);
    if (chunks == 0) {
      return;
    }
    boolean[] flag = IN_BODY.get();
    if (chunks == 1 || flag[0] || !POOL_LOCK.tryLock()) {
      runSerial(n, chunks, body, flag);
      return;
    }
    try {
      runPooled(n, chunks, body, flag);
    } finally {
      POOL_LOCK.unlock();
    }
  }

  private static void runSerial(int n, int chunks, RangeBody body, boolean[] flag) {
    boolean old = flag[0];
    flag[0] = true;
    try {
      for (int i = 0; i < chunks; i++) {
        int s = chunkStart(n, chunks, i);
        int e = chunkStart(n, chunks, i + 1);
        if (e > s) {
          body.run(s, e);
        }
      }
    } finally {
      flag[0] = old;
    }
  }

  private static void runPooled(int n, int chunks, RangeBody body, boolean[] flag) {
    Worker[] ws = workers();
    Job job = new Job(n, chunks, body, Thread.currentThread());
    for (int i = 1; i < chunks; i++) {
      ws[i - 1].post(job, i);
    }
    Throwable first = null;
    flag[0] = true;
    try {
      int e = chunkStart(n, chunks, 1);
      if (e > 0) {
        body.run(0, e);
      }
    } catch (Throwable t) {
      first = t;
    } finally {
      flag[0] = false;
    }
    // wait for the workers
    Spin spin = new Spin();
    while (job.remaining.get() > 0) {
      if (spin.goOn()) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(job, 100_000L);
      }
    }
    if (first == null) {
      first = job.error;
    }
    if (first != null) {
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      throw new RuntimeException(first);
    }
  }

  private static Worker[] workers() {
    Worker[] ws = workers;
    if (ws == null) {
      synchronized (Parallel.class) {
        ws = workers;
        if (ws == null) {
          ws = new Worker[Math.max(0, THREADS - 1)];
          for (int i = 0; i < ws.length; i++) {
            ws[i] = new Worker("cnn4j-compute-" + (i + 1));
            ws[i].start();
          }
          workers = ws;
        }
      }
    }
    return ws;
  }

  private static int configuredThreads() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    String s = System.getProperty("cnn4j.threads");
    if (s == null || s.isBlank()) {
      s = System.getenv("CNN4J_THREADS");
    }
    if (s != null && !s.isBlank()) {
      try {
        int v = Integer.parseInt(s.trim());
        if (v >= 1) {
          return Math.min(v, 1024);
        }
      } catch (NumberFormatException ignored) {
        // fall through to the core count
      }
      System.err.println("cnn4j: ignoring invalid thread count '" + s + "', using " + cores);
    }
    return cores;
  }

  /** A spin-wait budget of {@link #SPIN_NANOS}, reading the clock every 256 iterations; once spent, it stays spent. */
  private static final class Spin {
    private final long start = System.nanoTime();
    private int iterations;
    private boolean spent;

    boolean goOn() {
      if (!spent && (++iterations & 255) == 0) {
        spent = System.nanoTime() - start >= SPIN_NANOS;
      }
      return !spent;
    }
  }

  private static final class Job {
    final int n;
    final int chunks;
    final RangeBody body;
    final Thread caller;
    final AtomicInteger remaining;
    volatile Throwable error;

    Job(int n, int chunks, RangeBody body, Thread caller) {
      this.n = n;
      this.chunks = chunks;
      this.body = body;
      this.caller = caller;
      this.remaining = new AtomicInteger(chunks - 1);
    }

    void finishOne() {
      if (remaining.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  private static final class Worker extends Thread {
    private volatile Job job;
    private volatile int chunk;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    void post(Job j, int c) {
      chunk = c;
      job = j;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      IN_BODY.get()[0] = true;
      while (true) {
        Job j = job;
        Spin spin = new Spin();
        while (j == null) {
          if (spin.goOn()) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this);
          }
          j = job;
        }
        int c = chunk;
        job = null;
        try {
          int s = chunkStart(j.n, j.chunks, c);
          int e = chunkStart(j.n, j.chunks, c + 1);
          if (e > s) {
            j.body.run(s, e);
          }
        } catch (Throwable t) {
          if (j.error == null) {
            j.error = t;
          }
        } finally {
          j.finishOne();
        }
      }
    }
  }
}
