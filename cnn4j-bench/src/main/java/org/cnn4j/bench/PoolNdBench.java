package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernels.AdaptivePoolKernels;
import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.kernels.PoolNdKernels;
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
 * The N-d pooling kernels (org.cnn4j.kernels.PoolNdKernels) on 1-D and 3-D inputs, forward and backward:
 * <ul>
 *   <li>1-D: batch 32, 64 channels, length 1024 (a sequence model's feature map): 4 MB;</li>
 *   <li>3-D: batch 8, 32 channels, 16 x 32 x 32 (a video / volume model's feature map): 16 MB;</li>
 *   <li>2-D through the N-d kernel, FashionCNN's first pool (100 x 32 x 28 x 28), to compare with
 *       PoolBench's dedicated 2x2 kernels.</li>
 * </ul>
 * {@code pool} is {@code family:kernel/stride/padding}, family max, min, avg or amax/aavg (adaptive,
 * then the field is the output size).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PoolNdBench {
  @Param({"1d:max:2/2/0", "1d:max:3/2/1", "1d:min:3/2/1", "1d:avg:3/2/1", "1d:aavg:100",
      "3d:max:2/2/0", "3d:max:3/2/1", "3d:avg:2/2/0", "3d:avg:3/2/1", "3d:amax:5",
      "2d:max:2/2/0"})
  public String pool;

  PoolNdGeometry g;
  String family;
  int planes, d = 1, h = 1, w, od = 1, oh = 1, ow;
  float[] x, y, dy, dx;
  int[] arg;

  @Setup(Level.Trial)
  public void setup() {
    String[] p = pool.split(":");
    family = p[1];
    int[] in;
    int n, c;
    switch (p[0]) {
      case "1d" -> {
        n = 32;
        c = 64;
        in = new int[] {1024};
      }
      case "3d" -> {
        n = 8;
        c = 32;
        in = new int[] {16, 32, 32};
      }
      default -> {
        n = 100;
        c = 32;
        in = new int[] {28, 28};
      }
    }
    int dims = in.length;
    planes = n * c;
    int inSize = planes;
    for (int v : in) {
      inSize *= v;
    }
    x = KernelReport.rand(new SplittableRandom(5), inSize);
    dx = new float[inSize];
    int outSize;
    if (family.equals("aavg") || family.equals("amax")) {
      int o = Integer.parseInt(p[2]);
      int[] in3 = {1, 1, 1};
      System.arraycopy(in, 0, in3, 3 - dims, dims);
      d = in3[0];
      h = in3[1];
      w = in3[2];
      od = dims == 3 ? o : 1;
      oh = dims >= 2 ? o : 1;
      ow = o;
      outSize = planes * od * oh * ow;
    } else {
      String[] k = p[2].split("/");
      int[] kernel = new int[dims], stride = new int[dims], pad = new int[dims], dil = new int[dims];
      for (int a = 0; a < dims; a++) {
        kernel[a] = Integer.parseInt(k[0]);
        stride[a] = Integer.parseInt(k[1]);
        pad[a] = Integer.parseInt(k[2]);
        dil[a] = 1;
      }
      g = new PoolNdGeometry(n, c, in, kernel, stride, pad, dil, false);
      outSize = g.planes() * g.outPlane();
    }
    y = new float[outSize];
    dy = KernelReport.rand(new SplittableRandom(6), outSize);
    arg = new int[outSize];
    forward();
  }

  @Benchmark
  public float forward() {
    switch (family) {
      case "max" -> PoolNdKernels.maxForward(g, x, y, arg, false);
      case "min" -> PoolNdKernels.maxForward(g, x, y, arg, true);
      case "avg" -> PoolNdKernels.avgForward(g, x, y, true, 0);
      case "aavg" -> AdaptivePoolKernels.avgForward(x, planes, d, h, w, od, oh, ow, y);
      default -> AdaptivePoolKernels.maxForward(x, planes, d, h, w, od, oh, ow, y, arg);
    }
    return y[0];
  }

  @Benchmark
  public float backward() {
    switch (family) {
      case "max", "min" -> PoolNdKernels.maxBackward(g, dy, arg, dx);
      case "avg" -> PoolNdKernels.avgBackward(g, dy, dx, true, 0);
      case "aavg" -> AdaptivePoolKernels.avgBackward(dy, planes, d, h, w, od, oh, ow, dx);
      default -> PoolNdKernels.scatter(planes, d * h * w, od * oh * ow, dy, arg, dx);
    }
    return dx[0];
  }
}
