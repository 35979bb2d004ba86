package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvKernels;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Convolution forward / backward-input / backward-weight per layer (all threads). The secondary result {@code gflop} (in "ops/s") is GFLOP/s.
 *
 * <p>Layer strings: {@code batch,C,H,W,O,k,stride,pad}.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar cnn4j-bench/target/benchmarks.jar ConvBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {

  @Param({
      "100,1,28,28,32,3,1,1",     // FashionCNN conv1
      "100,32,14,14,64,3,1,0",    // FashionCNN conv2
      "64,64,32,32,64,3,1,1",     // ResNet-18 layer1
      "64,128,16,16,128,3,1,1",   // layer2
      "64,256,8,8,256,3,1,1",     // layer3
      "64,512,4,4,512,3,1,1",     // layer4
      "64,128,16,16,256,1,2,0"})  // downsample 1x1 stride 2
  public String layer;

  Conv2dGeometry g;
  float[] x, w, bias, y, dy, dx, dw, db;
  double gflopPerCall;

  @Setup(Level.Trial)
  public void setup() {
    String[] p = layer.split(",");
    int[] v = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      v[i] = Integer.parseInt(p[i].trim());
    }
    g = Conv2dGeometry.of(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    SplittableRandom r = new SplittableRandom(7);
    x = KernelReport.rand(r, g.batch() * g.inPlane());
    w = KernelReport.rand(r, g.outChannels() * g.patchSize());
    bias = KernelReport.rand(r, g.outChannels());
    y = new float[g.batch() * g.outPlane()];
    dy = KernelReport.rand(r, y.length);
    dx = new float[x.length];
    dw = new float[w.length];
    db = new float[g.outChannels()];
    gflopPerCall = 2.0 * g.macs() / 1e9;
  }

  /** Reported per second: GFLOP/s. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Flops {
    public double gflop;
  }

  @Benchmark
  public float forward(Flops f) {
    ConvKernels.conv2dForward(g, x, w, bias, y);
    f.gflop += gflopPerCall;
    return y[0];
  }

  @Benchmark
  public float backwardInput(Flops f) {
    ConvKernels.conv2dBackwardInput(g, dy, w, dx);
    f.gflop += gflopPerCall;
    return dx[0];
  }

  @Benchmark
  public float backwardWeight(Flops f) {
    ConvKernels.conv2dBackwardWeight(g, x, dy, dw, db);
    f.gflop += gflopPerCall;
    return dw[0];
  }
}
