package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.kernels.PoolKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** FashionCNN's 2x2 max-pool after conv1 (batch 100, 32 x 28 x 28): forward with argmax, and backward. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PoolBench {
  Pool2dGeometry g = Pool2dGeometry.of(100, 32, 28, 28, 2, 2, 0);
  float[] x = KernelReport.rand(new SplittableRandom(3), 100 * 32 * 28 * 28);
  float[] y = new float[100 * 32 * 14 * 14];
  int[] arg = new int[y.length];
  float[] dx = new float[x.length];

  @Benchmark
  public float maxPoolForward() {
    PoolKernels.maxPool2dForward(g, x, y, arg);
    return y[0];
  }

  @Benchmark
  public float maxPoolBackward() {
    PoolKernels.maxPool2dBackward(g, y, arg, dx);
    return dx[0];
  }
}
