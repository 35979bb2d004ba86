package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.ConvNd;
import org.cnn4j.kernels.ConvNdGeometry;
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
 * The convolution family's kernels ({@link ConvNd}: 1-D, 3-D, grouped, depthwise, dilated, 1x1) forward /
 * backward-input / backward-weight, each beside {@code gemm}: one GEMM with the same multiply-adds as the forward
 * pass ({@code [O, C/g*kvol] x [C/g*kvol, N*P]} per group, run as one GEMM of {@code g} times the rows). For a 1x1
 * convolution that GEMM is exactly the work, so forward/gemm is the overhead of the convolution. Secondary result
 * {@code gflop} (in "ops/s") is GFLOP/s.
 *
 * <p>Case strings: {@code name:rank batch C O groups in... kernel... stride dilation pad} (one stride, dilation and
 * symmetric padding for all axes).
 *
 * <pre>java --add-modules jdk.incubator.vector -jar cnn4j-bench/target/benchmarks.jar ConvNdBench</pre>
 *
 * <p>On a shared, loaded machine wall-clock times are noise; {@link #main} instead prints the median CPU time of the
 * calling thread per pass, which stays comparable under load when run single-threaded:
 * <pre>java --add-modules jdk.incubator.vector -Dcnn4j.threads=1 -cp cnn4j-bench/target/benchmarks.jar \
 *     org.cnn4j.bench.ConvNdBench [repetitions]</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvNdBench {

  @Param({
      "conv1d:1 32 64 64 1 1000 5 1 1 2",            // plain 1-D (routed to the 2-D kernels, height 1)
      "conv1d-dil2-g4:1 32 64 64 4 1000 5 1 2 4",    // dilated grouped 1-D (grouped im2col + GEMM)
      "conv3d:3 8 16 32 1 16 16 16 3 3 3 1 1 1",     // 3-D, 16^3 volume
      "pointwise:2 64 128 256 1 16 16 1 1 1 1 0",    // 1x1, ResNet bottleneck-sized
      "depthwise-s1:2 32 144 144 144 28 28 3 3 1 1 1",  // MobileNetV2 depthwise 3x3 stride 1
      "depthwise-s2:2 32 144 144 144 56 56 3 3 2 1 1",  // and stride 2
      "conv2d-g4:2 32 128 128 4 16 16 3 3 1 1 1"})   // grouped 3x3 (ResNeXt-like)
  public String layer;

  ConvNdGeometry g;
  ConvBuffers bufs;
  float[] gemmA, gemmB, gemmC;
  int gm, gn, gk;
  double gflopPerCall;

  @Setup(Level.Trial)
  public void setup() {
    int[] v = ConvBuffers.ints(layer.substring(layer.indexOf(':') + 1), "\\s+");
    int rank = v[0], batch = v[1], c = v[2], o = v[3], groups = v[4];
    int[] in = new int[rank], k = new int[rank], s = new int[rank], d = new int[rank], pad = new int[rank];
    for (int a = 0; a < rank; a++) {
      in[a] = v[5 + a];
      k[a] = v[5 + rank + a];
      s[a] = v[5 + 2 * rank];
      d[a] = v[6 + 2 * rank];
      pad[a] = v[7 + 2 * rank];
    }
    g = ConvNdGeometry.conv(batch, c, o, groups, in, k, s, d, pad, pad);
    SplittableRandom r = new SplittableRandom(7);
    bufs = new ConvBuffers(r, g.batch() * g.inPlane(), g.weightSize(), g.outChannels(), g.batch() * g.outPlane());
    gm = g.outChannels();
    gk = g.patchSize();
    gn = g.batch() * g.outSpatial();
    gemmA = KernelReport.rand(r, gm * gk);
    gemmB = KernelReport.rand(r, gk * gn);
    gemmC = new float[gm * gn];
    gflopPerCall = 2.0 * g.macs() / 1e9;
  }

  @Benchmark
  public float forward(GflopCounter f) {
    ConvNd.forward(g, bufs.x, bufs.w, bufs.bias, bufs.y);
    f.gflop += gflopPerCall;
    return bufs.y[0];
  }

  @Benchmark
  public float backwardInput(GflopCounter f) {
    ConvNd.backwardInput(g, bufs.dy, bufs.w, bufs.dx);
    f.gflop += gflopPerCall;
    return bufs.dx[0];
  }

  @Benchmark
  public float backwardWeight(GflopCounter f) {
    ConvNd.backwardWeight(g, bufs.x, bufs.dy, bufs.dw, bufs.db);
    f.gflop += gflopPerCall;
    return bufs.dw[0];
  }

  /** Median thread CPU time per pass for every case (meaningful with -Dcnn4j.threads=1). */
  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    java.lang.management.ThreadMXBean tb = java.lang.management.ManagementFactory.getThreadMXBean();
    String[] cases = ConvNdBench.class.getField("layer").getAnnotation(Param.class).value();
    System.out.println("| case | GFLOP | forward ms | backwardInput ms | backwardWeight ms | gemm ms | forward / gemm |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String c : cases) {
      ConvNdBench b = new ConvNdBench();
      b.layer = c;
      b.setup();
      GflopCounter f = new GflopCounter();
      Runnable[] ops = {() -> b.forward(f), () -> b.backwardInput(f), () -> b.backwardWeight(f), () -> b.gemm(f)};
      double[] med = new double[ops.length];
      for (int i = 0; i < ops.length; i++) {
        for (int w = 0; w < 5; w++) {
          ops[i].run();
        }
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
          long t0 = tb.getCurrentThreadCpuTime();
          ops[i].run();
          t[r] = (tb.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        med[i] = t[reps / 2];
      }
      System.out.printf("| %s | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", c.substring(0, c.indexOf(':')),
          b.gflopPerCall, med[0], med[1], med[2], med[3], med[0] / med[3]);
    }
  }

  /** The GEMM with the forward pass's multiply-adds: [O, C/g*kvol] x [C/g*kvol, N*P]. */
  @Benchmark
  public float gemm(GflopCounter f) {
    Gemm.sgemm(false, false, gm, gn, gk, 1f, gemmA, 0, gk, gemmB, 0, gn, 0f, gemmC, 0, gn);
    f.gflop += gflopPerCall;
    return gemmC[0];
  }
}
