package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.kernels.PoolKernels;
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
 * FashionCNN's 2x2 max-pools (batch 100; 32 x 28 x 28 after conv1, 64 x 12 x 12 after conv2): forward with an int
 * argmax or a byte window code, and the matching backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PoolBench {
  /** batch,channels,H,W */
  @Param({"100,32,28,28", "100,64,12,12"})
  public String shape;

  Pool2dGeometry g;
  float[] x, y, dx;
  int[] arg;
  byte[] win;

  @Setup(Level.Trial)
  public void setup() {
    String[] p = shape.split(",");
    int n = Integer.parseInt(p[0]), c = Integer.parseInt(p[1]), h = Integer.parseInt(p[2]), w = Integer.parseInt(p[3]);
    g = Pool2dGeometry.of(n, c, h, w, 2, 2, 0);
    x = KernelReport.rand(new SplittableRandom(3), n * c * h * w);
    y = new float[n * c * g.outH() * g.outW()];
    dx = new float[x.length];
    arg = new int[y.length];
    win = new byte[y.length];
    PoolKernels.maxPool2dForward(g, x, y, arg);
    PoolKernels.maxPool2dForwardWindow(g, x, y, win);
  }

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

  @Benchmark
  public float maxPoolForwardWindow() {
    PoolKernels.maxPool2dForwardWindow(g, x, y, win);
    return y[0];
  }

  @Benchmark
  public float maxPoolBackwardWindow() {
    PoolKernels.maxPool2dBackwardWindow(g, y, win, dx);
    return dx[0];
  }
}
