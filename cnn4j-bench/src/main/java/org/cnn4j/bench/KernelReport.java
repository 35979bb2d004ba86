package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvKernels;
import org.cnn4j.kernels.Gemm;
import org.cnn4j.kernels.Parallel;

/**
 * A quick table of kernel speeds (GFLOP/s and fraction of the measured FMA peak), without JMH's
 * forking: each case is timed in {@code reps} rounds of at least {@code minTime} seconds and the
 * median round is reported.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cnn4j-bench/target/benchmarks.jar \
 *     org.cnn4j.bench.KernelReport [gemm|conv|pool|quick|all] [reps=5] [minTime=0.3] [FILTER]
 * java ... org.cnn4j.bench.KernelReport shapes [reps] [minTime] cnn4j-bench/gemm_shapes.txt</pre>
 *
 * <p>{@code shapes} times the GEMM shapes listed in the file and prints one JSON line per shape (and one
 * with the peak), for {@code cnn4j-bench/gemm_peers.sh} to set beside OpenBLAS on the same shapes.
 */
public final class KernelReport {
  private KernelReport() {}

  static int reps = 5;
  static double minTime = 0.3;
  static double peak1;
  static double peakAll;
  /** Only conv/pool rows whose name contains this (4th argument); for {@code shapes}, the shapes file. */
  static String filter = "";

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    String what = args.length > 0 ? args[0] : "all";
    if (args.length > 1) {
      reps = Integer.parseInt(args[1]);
    }
    if (args.length > 2) {
      minTime = Double.parseDouble(args[2]);
    }
    if (args.length > 3) {
      filter = args[3];
    }
    double[] p1 = new double[3], pa = new double[3];
    for (int i = 0; i < 3; i++) {
      p1[i] = PeakFlops.measure(1, 0.3);
      pa[i] = PeakFlops.measure(Parallel.threads(), 0.3);
    }
    peak1 = median(p1);
    peakAll = median(pa);
    System.out.printf("# %s, %d threads, Java %s; FMA peak (median of 3): 1 thread %.1f GFLOP/s, %d threads %.1f GFLOP/s%n",
        cpu(), Parallel.threads(), System.getProperty("java.version"), peak1, Parallel.threads(), peakAll);
    if (what.equals("shapes")) {
      System.out.printf("{\"lib\":\"cnn4j\",\"peak_1\":%.1f,\"peak_all\":%.1f,\"threads\":%d}%n",
          peak1, peakAll, Parallel.threads());
      shapes(java.nio.file.Path.of(filter));
      return;
    }
    if (what.equals("gemm") || what.equals("all")) {
      gemm();
    }
    if (what.equals("quick")) {
      System.out.println("| GEMM (m x n x k, op) | threads | GFLOP/s | % of peak |");
      gemmCase("1024^3", false, false, 1024, 1024, 1024, false);
      gemmCase("2048^3", false, false, 2048, 2048, 2048, true);
      gemmCase("conv2 fwd 64x144x288", false, false, 64, 144, 288, false);
      gemmCase("conv2 dW 64x288x144 (B^T)", false, true, 64, 288, 144, false);
      gemmCase("fc1 fwd 100x600x2304 (B^T)", false, true, 100, 600, 2304, true);
    }
    if (what.equals("conv") || what.equals("all")) {
      conv();
    }
    if (what.equals("pool") || what.equals("all")) {
      pool();
    }
  }

  static void gemm() {
    System.out.println();
    System.out.println("| GEMM (m x n x k, op) | threads | GFLOP/s | % of peak |");
    System.out.println("|---|---|---|---|");
    for (int s : new int[] {256, 512, 1024, 2048}) {
      gemmCase(s + "^3", false, false, s, s, s, true);
    }
    gemmCase("2048^3", false, false, 2048, 2048, 2048, false);
    gemmCase("1024^3", false, false, 1024, 1024, 1024, false);
    // layer shapes: FashionCNN conv as GEMM per image, Linear layers at batch 100 (fwd, dX, dW)
    gemmCase("conv1 fwd 32x784x9", false, false, 32, 784, 9, false);
    gemmCase("conv2 fwd 64x144x288", false, false, 64, 144, 288, false);
    gemmCase("conv2 dX 288x144x64 (A^T)", true, false, 288, 144, 64, false);
    gemmCase("conv2 dW 64x288x144 (B^T)", false, true, 64, 288, 144, false);
    gemmCase("fc1 fwd 100x600x2304 (B^T)", false, true, 100, 600, 2304, true);
    gemmCase("fc1 dX 100x2304x600", false, false, 100, 2304, 600, true);
    gemmCase("fc1 dW 600x2304x100 (A^T)", true, false, 600, 2304, 100, true);
    gemmCase("fc2 fwd 100x120x600 (B^T)", false, true, 100, 120, 600, true);
    // ResNet-18 at 32x32, batch 64, per image im2col GEMMs
    gemmCase("res l1 fwd 64x1024x576", false, false, 64, 1024, 576, false);
    gemmCase("res l2 fwd 128x256x1152", false, false, 128, 256, 1152, false);
    gemmCase("res l3 fwd 256x64x2304", false, false, 256, 64, 2304, false);
    gemmCase("res l4 fwd 512x16x4608", false, false, 512, 16, 4608, false);
    gemmCase("res l4 dW 512x4608x16 (B^T)", false, true, 512, 4608, 16, false);
  }

  static void gemmCase(String name, boolean tA, boolean tB, int m, int n, int k, boolean parallel) {
    double g = gflops(gemmCall(tA, tB, m, n, k, parallel), 2.0 * m * n * k);
    double pk = parallel ? peakAll : peak1;
    System.out.printf("| %s | %d | %.1f | %.0f%% |%n", name, parallel ? Parallel.threads() : 1, g, 100 * g / pk);
  }

  /**
   * One JSON line per row of a shapes file ({@code model layer.pass op m n k threads}; {@code #} comments):
   * threads 1 is {@link Gemm#sgemmSerial}, anything else {@link Gemm#sgemm} on the whole pool.
   */
  static void shapes(java.nio.file.Path file) throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(file)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split("\\s+");
      if (f.length != 7 || !f[2].matches("[NT]{2}")) {
        throw new IllegalArgumentException(file + ": expected 'model layer.pass op m n k threads', got: " + line);
      }
      boolean tA = f[2].charAt(0) == 'T', tB = f[2].charAt(1) == 'T', parallel = !f[6].equals("1");
      int m = Integer.parseInt(f[3]), n = Integer.parseInt(f[4]), k = Integer.parseInt(f[5]);
      double g = gflops(gemmCall(tA, tB, m, n, k, parallel), 2.0 * m * n * k);
      System.out.printf("{\"lib\":\"cnn4j\",\"model\":\"%s\",\"layer\":\"%s\",\"op\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,"
          + "\"threads\":%d,\"gflops\":%.2f}%n", f[0], f[1], f[2], m, n, k, parallel ? Parallel.threads() : 1, g);
    }
  }

  /** {@code C = op(A) op(B)} on random dense operands, serial or on the pool. */
  static Runnable gemmCall(boolean tA, boolean tB, int m, int n, int k, boolean parallel) {
    SplittableRandom r = new SplittableRandom(42);
    float[] a = rand(r, m * k), b = rand(r, k * n), c = new float[m * n];
    int lda = tA ? m : k, ldb = tB ? k : n;
    return parallel
        ? () -> Gemm.sgemm(tA, tB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n)
        : () -> Gemm.sgemmSerial(tA, tB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
  }

  static void conv() {
    System.out.println();
    System.out.println("| conv layer (batch, C->O, HxW, k, s, p) | pass | ms/call | GFLOP/s | % of peak |");
    System.out.println("|---|---|---|---|---|");
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"FashionCNN conv1 100, 1->32, 28x28, k3 p1", Conv2dGeometry.of(100, 1, 28, 28, 32, 3, 1, 1)});
    cases.add(new Object[] {"FashionCNN conv2 100, 32->64, 14x14, k3 p0", Conv2dGeometry.of(100, 32, 14, 14, 64, 3, 1, 0)});
    cases.add(new Object[] {"ResNet l1 64, 64->64, 32x32, k3 p1", Conv2dGeometry.of(64, 64, 32, 32, 64, 3, 1, 1)});
    cases.add(new Object[] {"ResNet l2 64, 128->128, 16x16, k3 p1", Conv2dGeometry.of(64, 128, 16, 16, 128, 3, 1, 1)});
    cases.add(new Object[] {"ResNet l3 64, 256->256, 8x8, k3 p1", Conv2dGeometry.of(64, 256, 8, 8, 256, 3, 1, 1)});
    cases.add(new Object[] {"ResNet l3.0 64, 128->256, 16x16, k3 s2 p1", Conv2dGeometry.of(64, 128, 16, 16, 256, 3, 2, 1)});
    cases.add(new Object[] {"ResNet l4 64, 512->512, 4x4, k3 p1", Conv2dGeometry.of(64, 512, 4, 4, 512, 3, 1, 1)});
    cases.add(new Object[] {"ResNet ds 64, 128->256, 16x16, k1 s2", Conv2dGeometry.of(64, 128, 16, 16, 256, 1, 2, 0)});
    // torchvision ResNet-18 on 32x32 input (PeerBench resnet18-cifar), batch 64: the real shapes
    cases.add(new Object[] {"R18@32 conv1 64, 3->64, 32x32, k7 s2 p3", Conv2dGeometry.of(64, 3, 32, 32, 64, 7, 2, 3)});
    cases.add(new Object[] {"R18@32 l1 64, 64->64, 8x8, k3 p1", Conv2dGeometry.of(64, 64, 8, 8, 64, 3, 1, 1)});
    cases.add(new Object[] {"R18@32 l2.0 64, 64->128, 8x8, k3 s2 p1", Conv2dGeometry.of(64, 64, 8, 8, 128, 3, 2, 1)});
    cases.add(new Object[] {"R18@32 l2 64, 128->128, 4x4, k3 p1", Conv2dGeometry.of(64, 128, 4, 4, 128, 3, 1, 1)});
    cases.add(new Object[] {"R18@32 l2ds 64, 64->128, 8x8, k1 s2", Conv2dGeometry.of(64, 64, 8, 8, 128, 1, 2, 0)});
    cases.add(new Object[] {"R18@32 l3.0 64, 128->256, 4x4, k3 s2 p1", Conv2dGeometry.of(64, 128, 4, 4, 256, 3, 2, 1)});
    cases.add(new Object[] {"R18@32 l3 64, 256->256, 2x2, k3 p1", Conv2dGeometry.of(64, 256, 2, 2, 256, 3, 1, 1)});
    cases.add(new Object[] {"R18@32 l3ds 64, 128->256, 4x4, k1 s2", Conv2dGeometry.of(64, 128, 4, 4, 256, 1, 2, 0)});
    cases.add(new Object[] {"R18@32 l4.0 64, 256->512, 2x2, k3 s2 p1", Conv2dGeometry.of(64, 256, 2, 2, 512, 3, 2, 1)});
    cases.add(new Object[] {"R18@32 l4 64, 512->512, 1x1, k3 p1", Conv2dGeometry.of(64, 512, 1, 1, 512, 3, 1, 1)});
    cases.add(new Object[] {"R18@32 l4ds 64, 256->512, 2x2, k1 s2", Conv2dGeometry.of(64, 256, 2, 2, 512, 1, 2, 0)});
    for (Object[] cs : cases) {
      String name = (String) cs[0];
      Conv2dGeometry g = (Conv2dGeometry) cs[1];
      if (!name.contains(filter)) {
        continue;
      }
      SplittableRandom r = new SplittableRandom(7);
      float[] x = rand(r, g.batch() * g.inPlane());
      float[] w = rand(r, g.outChannels() * g.patchSize());
      float[] bias = rand(r, g.outChannels());
      float[] y = new float[g.batch() * g.outPlane()];
      float[] dy = rand(r, y.length);
      float[] dx = new float[x.length];
      float[] dw = new float[w.length];
      float[] db = new float[g.outChannels()];
      double flops = 2.0 * g.macs();
      convRow(name, "forward", () -> ConvKernels.conv2dForward(g, x, w, bias, y), flops);
      convRow(name, "backward input", () -> ConvKernels.conv2dBackwardInput(g, dy, w, dx), flops);
      convRow(name, "backward weight", () -> ConvKernels.conv2dBackwardWeight(g, x, dy, dw, db), flops);
    }
  }

  static void pool() {
    System.out.println();
    System.out.println("| pool (batch, C, HxW, 2x2 s2) | pass | ms/call |");
    System.out.println("|---|---|---|");
    for (int[] p : new int[][] {{100, 32, 28, 28}, {100, 64, 12, 12}}) {
      String name = "maxpool " + p[0] + ", " + p[1] + ", " + p[2] + "x" + p[3];
      if (!name.contains(filter)) {
        continue;
      }
      org.cnn4j.kernels.Pool2dGeometry g = org.cnn4j.kernels.Pool2dGeometry.of(p[0], p[1], p[2], p[3], 2, 2, 0);
      float[] x = rand(new SplittableRandom(3), p[0] * p[1] * p[2] * p[3]);
      int ys = p[0] * p[1] * g.outH() * g.outW();
      float[] y = new float[ys], dx = new float[x.length];
      int[] arg = new int[ys];
      byte[] win = new byte[ys];
      poolRow(name, "forward (int argmax)", () -> org.cnn4j.kernels.PoolKernels.maxPool2dForward(g, x, y, arg));
      poolRow(name, "backward (int argmax)", () -> org.cnn4j.kernels.PoolKernels.maxPool2dBackward(g, y, arg, dx));
      poolRow(name, "forward (byte window)", () -> org.cnn4j.kernels.PoolKernels.maxPool2dForwardWindow(g, x, y, win));
      poolRow(name, "backward (byte window)", () -> org.cnn4j.kernels.PoolKernels.maxPool2dBackwardWindow(g, y, win, dx));
    }
  }

  static void poolRow(String name, String pass, Runnable run) {
    double callsPerS = gflops(run, 1e9); // calls per second
    System.out.printf("| %s | %s | %.3f |%n", name, pass, 1e3 / callsPerS);
  }

  static void convRow(String name, String pass, Runnable run, double flops) {
    double g = gflops(run, flops);
    System.out.printf("| %s | %s | %.2f | %.1f | %.0f%% |%n", name, pass, flops / g / 1e6, g, 100 * g / peakAll);
  }

  /** Median GFLOP/s over {@link #reps} rounds of at least {@link #minTime} seconds each (after warm-up). */
  static double gflops(Runnable run, double flopsPerCall) {
    long w0 = System.nanoTime();
    int warm = 0;
    while (System.nanoTime() - w0 < 0.5e9 || warm < 3) {
      run.run();
      warm++;
    }
    double[] res = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      long calls = 0;
      long t;
      do {
        run.run();
        calls++;
        t = System.nanoTime() - t0;
      } while (t < minTime * 1e9);
      res[i] = calls * flopsPerCall / (t / 1e9) / 1e9;
    }
    return median(res);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static float[] rand(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  static String cpu() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
