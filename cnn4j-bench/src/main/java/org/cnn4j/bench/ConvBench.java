package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvKernels;
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
  ConvBuffers bufs;
  double gflopPerCall;

  @Setup(Level.Trial)
  public void setup() {
    int[] v = ConvBuffers.ints(layer, ",");
    g = Conv2dGeometry.of(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    bufs = new ConvBuffers(new SplittableRandom(7), g.batch() * g.inPlane(), g.outChannels() * g.patchSize(),
        g.outChannels(), g.batch() * g.outPlane());
    gflopPerCall = 2.0 * g.macs() / 1e9;
  }

  @Benchmark
  public float forward(GflopCounter f) {
    ConvKernels.conv2dForward(g, bufs.x, bufs.w, bufs.bias, bufs.y);
    f.gflop += gflopPerCall;
    return bufs.y[0];
  }

  @Benchmark
  public float backwardInput(GflopCounter f) {
    ConvKernels.conv2dBackwardInput(g, bufs.dy, bufs.w, bufs.dx);
    f.gflop += gflopPerCall;
    return bufs.dx[0];
  }

  @Benchmark
  public float backwardWeight(GflopCounter f) {
    ConvKernels.conv2dBackwardWeight(g, bufs.x, bufs.dy, bufs.dw, bufs.db);
    f.gflop += gflopPerCall;
    return bufs.dw[0];
  }
}
