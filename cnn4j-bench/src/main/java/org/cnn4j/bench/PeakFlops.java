package org.cnn4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's fp32 FMA throughput as seen from Java: 16 independent FMA chains on
 * {@code FloatVector.SPECIES_PREFERRED} held in registers (latency 4 x 2 FMA ports needs >= 8).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp cnn4j-bench/target/benchmarks.jar
 * org.cnn4j.bench.PeakFlops [seconds]} prints GFLOP/s on 1 and on all threads; the JMH benchmark
 * {@code PeakFlops.fma16} reports calls/s, each call doing {@link #FLOPS_PER_CALL} flops per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFlops {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int ITERS = 100_000;
  /** Flops of one {@link #kernel} call: 16 chains x lanes x 2 flops x iterations. */
  public static final long FLOPS_PER_CALL = 16L * S.length() * 2 * ITERS;

  float m = 0.9999999f;
  float add = 1e-7f;

  @Benchmark
  @Threads(1)
  public float fma16OneThread() {
    return kernel(m, add);
  }

  @Benchmark
  @Threads(Threads.MAX)
  public float fma16AllThreads() {
    return kernel(m, add);
  }

  static float kernel(float mv, float av) {
    FloatVector m = FloatVector.broadcast(S, mv);
    FloatVector a = FloatVector.broadcast(S, av);
    FloatVector c0 = FloatVector.broadcast(S, 0f), c1 = FloatVector.broadcast(S, 1f);
    FloatVector c2 = FloatVector.broadcast(S, 2f), c3 = FloatVector.broadcast(S, 3f);
    FloatVector c4 = FloatVector.broadcast(S, 4f), c5 = FloatVector.broadcast(S, 5f);
    FloatVector c6 = FloatVector.broadcast(S, 6f), c7 = FloatVector.broadcast(S, 7f);
    FloatVector c8 = FloatVector.broadcast(S, 8f), c9 = FloatVector.broadcast(S, 9f);
    FloatVector c10 = FloatVector.broadcast(S, 10f), c11 = FloatVector.broadcast(S, 11f);
    FloatVector c12 = FloatVector.broadcast(S, 12f), c13 = FloatVector.broadcast(S, 13f);
    FloatVector c14 = FloatVector.broadcast(S, 14f), c15 = FloatVector.broadcast(S, 15f);
    for (int i = 0; i < ITERS; i++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
      c12 = c12.fma(m, a);
      c13 = c13.fma(m, a);
      c14 = c14.fma(m, a);
      c15 = c15.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .add(c12).add(c13).add(c14).add(c15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }

  /** GFLOP/s over {@code threads} threads running the kernel for about {@code seconds}. */
  public static double measure(int threads, double seconds) throws InterruptedException {
    // warm-up (JIT)
    for (int i = 0; i < 200; i++) {
      kernel(0.9999999f, 1e-7f);
    }
    long[] calls = new long[threads];
    float[] sink = new float[threads];
    Thread[] ts = new Thread[threads];
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        float s = 0;
        long n = 0;
        while (System.nanoTime() < deadline) {
          s += kernel(0.9999999f, 1e-7f);
          n++;
        }
        calls[id] = n;
        sink[id] = s;
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    double el = (System.nanoTime() - t0) / 1e9;
    long total = 0;
    for (long c : calls) {
      total += c;
    }
    if (Float.isNaN(sink[0]) && total < 0) {
      System.out.print("");
    }
    return total * (double) FLOPS_PER_CALL / el / 1e9;
  }

  public static void main(String[] args) throws InterruptedException {
    double sec = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    int all = Runtime.getRuntime().availableProcessors();
    System.out.printf("species %s (%d lanes)%n", S, S.length());
    System.out.printf("peak fp32 FMA, 1 thread : %.1f GFLOP/s%n", measure(1, sec));
    System.out.printf("peak fp32 FMA, %d threads: %.1f GFLOP/s%n", all, measure(all, sec));
  }
}
