package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM at square sizes and at the shapes FashionCNN and ResNet-18 use. The secondary result
 * {@code gflop} (in "ops/s") is GFLOP/s; divide by the peak from {@link PeakFlops} for the fraction.
 *
 * <p>Shape strings: {@code m x n x k}, then the op ({@code NN}, {@code TN} = A transposed,
 * {@code NT} = B transposed), then {@code par} (pool, all threads) or {@code ser} (calling thread).
 *
 * <pre>java --add-modules jdk.incubator.vector -jar cnn4j-bench/target/benchmarks.jar GemmBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBench {

  @Param({
      "256x256x256 NN par", "512x512x512 NN par", "1024x1024x1024 NN par", "2048x2048x2048 NN par",
      "1024x1024x1024 NN ser", "2048x2048x2048 NN ser",
      // FashionCNN, batch 100: conv1/conv2 as per-image GEMMs, fc1 2304->600 and fc2 600->120
      "32x784x9 NN ser", "64x144x288 NN ser", "288x144x64 TN ser", "64x288x144 NT ser",
      "100x600x2304 NT par", "100x2304x600 NN par", "600x2304x100 TN par", "100x120x600 NT par",
      // ResNet-18 at 32x32 per image
      "64x1024x576 NN ser", "128x256x1152 NN ser", "256x64x2304 NN ser", "512x16x4608 NN ser"})
  public String shape;

  int m, n, k, lda, ldb;
  boolean tA, tB, parallel;
  float[] a, b, c;
  double gflopPerCall;

  @Setup(Level.Trial)
  public void setup() {
    String[] parts = shape.split(" ");
    String[] dims = parts[0].split("x");
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    k = Integer.parseInt(dims[2]);
    tA = parts[1].charAt(0) == 'T';
    tB = parts[1].charAt(1) == 'T';
    parallel = parts[2].equals("par");
    lda = tA ? m : k;
    ldb = tB ? k : n;
    SplittableRandom r = new SplittableRandom(42);
    a = KernelReport.rand(r, m * k);
    b = KernelReport.rand(r, k * n);
    c = new float[m * n];
    gflopPerCall = 2.0 * m * n * k / 1e9;
  }

  @Benchmark
  public float sgemm(GflopCounter flops) {
    if (parallel) {
      Gemm.sgemm(tA, tB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
    } else {
      Gemm.sgemmSerial(tA, tB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
    }
    flops.gflop += gflopPerCall;
    return c[0];
  }
}
