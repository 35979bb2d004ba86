package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolNdKernels} and {@link AdaptivePoolKernels} against plain references written differently (every
 * window tap enumerated with a bounds test, sums in double), on random 1-3-D geometries with padding,
 * dilation, ceil mode and ties; and against the 2-D {@link PoolReference} where the two overlap.
 */
class PoolNdKernelsTest {

  /** PyTorch 1.13's sizes (checked with torch.nn.MaxPool1d / AvgPool1d): in, k, s, p, d, ceil -> out. */
  @Test
  void outputSizesArePyTorchs() {
    int[][] cases = {
        {4, 3, 2, 1, 1, 0, 2}, {4, 3, 2, 1, 1, 1, 3}, // the seeds' 2.5: floored, or ceiled
        {5, 2, 2, 1, 1, 1, 3}, // ceil gives 4, but window 4 would start at 6 >= I + P = 6
        {13, 4, 3, 2, 2, 1, 5}, {10, 3, 2, 1, 1, 1, 6}, {14, 4, 3, 2, 1, 1, 6}, {17, 3, 3, 0, 2, 0, 5},
        {2, 3, 3, 0, 1, 0, 0}, {6, 3, 3, 0, 3, 0, 0}, {1, 2, 1, 1, 2, 0, 1}};
    for (int[] c : cases) {
      assertEquals(c[6], PoolNdGeometry.outputSize(c[0], c[1], c[2], c[3], c[4], c[5] == 1), Arrays.toString(c));
    }
  }

  @Test
  void geometryRejectsInvalidConfigurations() {
    int[] one = {1};
    assertThrows(IllegalArgumentException.class,
        () -> new PoolNdGeometry(1, 1, new int[] {8}, new int[] {2}, one, new int[] {2}, one, false)); // pad > k/2
    assertThrows(IllegalArgumentException.class,
        () -> new PoolNdGeometry(1, 1, new int[] {2}, new int[] {3}, new int[] {3}, new int[] {0}, one, false));
    assertThrows(IllegalArgumentException.class,
        () -> new PoolNdGeometry(1, 1, new int[] {4, 4}, new int[] {2}, one, new int[] {0}, one, false)); // arity
    String m = assertThrows(IllegalArgumentException.class,
        () -> new PoolNdGeometry(1, 1, new int[] {2}, new int[] {3}, new int[] {3}, new int[] {0}, one, false))
        .getMessage();
    assertTrue(m.contains("floor((2 + 2*0 - 1*(3-1) - 1) / 3) + 1 = 0"), m);
  }

  private static PoolNdGeometry randomGeometry(SplittableRandom r, boolean allowDilation) {
    return randomGeometry(r, allowDilation, 0);
  }

  /** wide > 0: the innermost axis has between wide and 3 * wide + 20 cells (the vector rows' territory). */
  private static PoolNdGeometry randomGeometry(SplittableRandom r, boolean allowDilation, int wide) {
    while (true) {
      int dims = 1 + r.nextInt(3);
      int[] in = new int[dims], k = new int[dims], s = new int[dims], p = new int[dims], d = new int[dims];
      for (int a = 0; a < dims; a++) {
        k[a] = 1 + r.nextInt(dims == 3 ? 3 : 4);
        s[a] = 1 + r.nextInt(3);
        p[a] = r.nextInt(k[a] / 2 + 1);
        d[a] = allowDilation && r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        in[a] = 1 + r.nextInt(dims == 3 ? 7 : 13);
      }
      if (wide > 0) {
        in[dims - 1] = wide + r.nextInt(2 * wide + 21);
      }
      boolean ceil = r.nextBoolean();
      boolean ok = true;
      for (int a = 0; a < dims; a++) {
        ok &= PoolNdGeometry.outputSize(in[a], k[a], s[a], p[a], d[a], ceil) >= 1;
      }
      if (ok) {
        return new PoolNdGeometry(1 + r.nextInt(2), 1 + r.nextInt(3), in, k, s, p, d, ceil);
      }
    }
  }

  /** Every tap of every window, bounds-tested; first strict extreme wins, the first NaN wins. */
  private static void refMax(PoolNdGeometry g, float[] x, float[] y, int[] arg, boolean min) {
    int D = g.in(0), H = g.in(1), W = g.in(2);
    int o = 0;
    for (int pl = 0; pl < g.planes(); pl++) {
      for (int od = 0; od < g.out(0); od++) {
        for (int oh = 0; oh < g.out(1); oh++) {
          for (int ow = 0; ow < g.out(2); ow++, o++) {
            float best = min ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            int bi = -1;
            for (int kd = 0; kd < g.kernel(0); kd++) {
              for (int kh = 0; kh < g.kernel(1); kh++) {
                for (int kw = 0; kw < g.kernel(2); kw++) {
                  int id = od * g.stride(0) - g.pad(0) + kd * g.dilation(0);
                  int ih = oh * g.stride(1) - g.pad(1) + kh * g.dilation(1);
                  int iw = ow * g.stride(2) - g.pad(2) + kw * g.dilation(2);
                  if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) {
                    continue;
                  }
                  int at = (id * H + ih) * W + iw;
                  float v = x[pl * D * H * W + at];
                  boolean better = min ? v < best : v > best;
                  if (bi < 0 || better || Float.isNaN(v) && !Float.isNaN(best)) {
                    best = v;
                    bi = at;
                  }
                }
              }
            }
            y[o] = best;
            arg[o] = bi;
          }
        }
      }
    }
  }

  /** Average with PyTorch's divisor rules, in double; returns the divisor of each output for the backward. */
  private static double[] refAvg(PoolNdGeometry g, float[] x, double[] y, boolean includePad, int override) {
    int D = g.in(0), H = g.in(1), W = g.in(2);
    double[] div = new double[y.length];
    int o = 0;
    for (int pl = 0; pl < g.planes(); pl++) {
      for (int od = 0; od < g.out(0); od++) {
        for (int oh = 0; oh < g.out(1); oh++) {
          for (int ow = 0; ow < g.out(2); ow++, o++) {
            int[] o3 = {od, oh, ow};
            int padded = 1;
            for (int t = 0; t < 3; t++) {
              int start = o3[t] * g.stride(t) - g.pad(t);
              padded *= Math.min(start + g.kernel(t), g.in(t) + g.pad(t)) - start;
            }
            double sum = 0;
            int cells = 0;
            for (int kd = 0; kd < g.kernel(0); kd++) {
              for (int kh = 0; kh < g.kernel(1); kh++) {
                for (int kw = 0; kw < g.kernel(2); kw++) {
                  int id = od * g.stride(0) - g.pad(0) + kd, ih = oh * g.stride(1) - g.pad(1) + kh;
                  int iw = ow * g.stride(2) - g.pad(2) + kw;
                  if (id >= 0 && id < D && ih >= 0 && ih < H && iw >= 0 && iw < W) {
                    sum += x[pl * D * H * W + (id * H + ih) * W + iw];
                    cells++;
                  }
                }
              }
            }
            div[o] = cells == 0 ? 0 : override != 0 ? override : includePad ? padded : cells;
            y[o] = cells == 0 ? 0 : sum / div[o];
          }
        }
      }
    }
    return div;
  }

  @Test
  void maxAndMinMatchTheReferenceOnRandomGeometries() {
    SplittableRandom r = new SplittableRandom(31);
    for (int t = 0; t < 300; t++) {
      PoolNdGeometry g = randomGeometry(r, true);
      int xs = g.planes() * g.inPlane(), ys = g.planes() * g.outPlane();
      float[] x = TestUtil.random(r, xs);
      if (t % 3 == 0) {
        for (int i = 0; i < xs / 3; i++) {
          x[r.nextInt(xs)] = x[r.nextInt(xs)]; // ties
        }
      }
      if (t % 7 == 0) {
        x[r.nextInt(xs)] = Float.NaN;
      }
      for (boolean min : new boolean[] {false, true}) {
        float[] yRef = new float[ys], y = TestUtil.nans(ys);
        int[] aRef = new int[ys], a = new int[ys];
        refMax(g, x, yRef, aRef, min);
        PoolNdKernels.maxForward(g, x, y, a, min);
        assertArrayEquals(yRef, y, (min ? "min " : "max ") + g);
        assertArrayEquals(aRef, a, (min ? "argmin " : "argmax ") + g);
        float[] dy = TestUtil.random(r, ys);
        double[] dxRef = new double[xs];
        for (int o = 0; o < ys; o++) {
          if (aRef[o] >= 0) {
            dxRef[o / g.outPlane() * g.inPlane() + aRef[o]] += dy[o];
          }
        }
        float[] dx = TestUtil.nans(xs);
        PoolNdKernels.maxBackward(g, dy, a, dx);
        for (int i = 0; i < xs; i++) {
          assertEquals(dxRef[i], dx[i], 1e-5, "backward " + g + " at " + i);
        }
      }
    }
  }

  @Test
  void vectorRowsAreBitIdenticalToTheScalarPathAndMatchTheReference() {
    assumeTrue(PoolNdKernels.VECTOR, "the Vector API is not enabled");
    SplittableRandom r = new SplittableRandom(37);
    for (int t = 0; t < 200; t++) {
      boolean averaging = t % 2 == 1;
      PoolNdGeometry g = randomGeometry(r, !averaging, t % 4 < 2 ? 0 : PoolNdVector.V); // narrow rows: masked steps
      int xs = g.planes() * g.inPlane(), ys = g.planes() * g.outPlane();
      float[] x = TestUtil.random(r, xs);
      if (t % 3 == 0) {
        for (int i = 0; i < xs / 3; i++) {
          x[r.nextInt(xs)] = x[r.nextInt(xs)]; // ties
        }
      }
      if (t % 5 == 0) {
        x[r.nextInt(xs)] = Float.NaN;
      }
      if (t % 5 == 1) { // a window's first tap is taken even at -infinity (its argmax is never -1)
        for (int i = 0; i < xs / 4; i++) {
          x[r.nextInt(xs)] = Float.NEGATIVE_INFINITY;
        }
      }
      float[] ys0 = TestUtil.nans(ys), ys1 = TestUtil.nans(ys);
      if (averaging) {
        boolean includePad = r.nextBoolean();
        int override = t % 7 == 0 ? 3 : 0;
        PoolNdKernels.avgForward(g, x, ys0, includePad, override, false);
        PoolNdKernels.avgForward(g, x, ys1, includePad, override, true);
        assertArrayEquals(ys0, ys1, "avg scalar vs vector " + g);
        double[] ref = new double[ys];
        refAvg(g, x, ref, includePad, override);
        for (int o = 0; o < ys; o++) {
          assertEquals(ref[o], ys1[o], 1e-5, "avg " + g + " at " + o);
        }
        float[] dy = TestUtil.random(r, ys), dx0 = TestUtil.nans(xs), dx1 = TestUtil.nans(xs);
        PoolNdKernels.avgBackward(g, dy, dx0, includePad, override, false);
        PoolNdKernels.avgBackward(g, dy, dx1, includePad, override, true);
        assertArrayEquals(dx0, dx1, "avg backward scalar vs vector " + g);
        continue;
      }
      boolean min = r.nextBoolean();
      int[] a0 = new int[ys], a1 = new int[ys], aRef = new int[ys];
      float[] yRef = new float[ys];
      PoolNdKernels.maxForward(g, x, ys0, a0, min, false);
      PoolNdKernels.maxForward(g, x, ys1, a1, min, true);
      refMax(g, x, yRef, aRef, min);
      assertArrayEquals(ys0, ys1, "max scalar vs vector " + g);
      assertArrayEquals(a0, a1, "argmax scalar vs vector " + g);
      assertArrayEquals(yRef, ys1, "max vs reference " + g);
      assertArrayEquals(aRef, a1, "argmax vs reference " + g);
    }
  }

  @Test
  void minIsMinusMaxOfMinusX() {
    SplittableRandom r = new SplittableRandom(32);
    for (int t = 0; t < 50; t++) {
      PoolNdGeometry g = randomGeometry(r, true);
      int xs = g.planes() * g.inPlane(), ys = g.planes() * g.outPlane();
      float[] x = TestUtil.random(r, xs), neg = new float[xs];
      for (int i = 0; i < xs / 2; i++) {
        x[r.nextInt(xs)] = x[r.nextInt(xs)];
      }
      for (int i = 0; i < xs; i++) {
        neg[i] = -x[i];
      }
      float[] yMin = new float[ys], yMax = new float[ys];
      int[] aMin = new int[ys], aMax = new int[ys];
      PoolNdKernels.maxForward(g, x, yMin, aMin, true);
      PoolNdKernels.maxForward(g, neg, yMax, aMax, false);
      for (int o = 0; o < ys; o++) {
        yMax[o] = -yMax[o];
      }
      assertArrayEquals(yMax, yMin, g.toString());
      assertArrayEquals(aMax, aMin, g.toString());
    }
  }

  @Test
  void averageMatchesTheReferenceOnRandomGeometries() {
    SplittableRandom r = new SplittableRandom(33);
    for (int t = 0; t < 300; t++) {
      PoolNdGeometry g = randomGeometry(r, false);
      boolean includePad = r.nextBoolean();
      int override = t % 4 == 0 ? 1 + r.nextInt(9) : 0;
      int xs = g.planes() * g.inPlane(), ys = g.planes() * g.outPlane();
      float[] x = TestUtil.random(r, xs);
      double[] yRef = new double[ys];
      double[] div = refAvg(g, x, yRef, includePad, override);
      float[] y = TestUtil.nans(ys);
      PoolNdKernels.avgForward(g, x, y, includePad, override);
      for (int o = 0; o < ys; o++) {
        assertEquals(yRef[o], y[o], 1e-5, "avg " + g + " pad " + includePad + " divisor " + override + " at " + o);
      }
      float[] dy = TestUtil.random(r, ys);
      double[] dxRef = new double[xs];
      int D = g.in(0), H = g.in(1), W = g.in(2);
      for (int o = 0; o < ys; o++) {
        if (div[o] == 0) {
          continue;
        }
        int pl = o / g.outPlane(), rem = o % g.outPlane();
        int od = rem / (g.out(1) * g.out(2)), oh = rem / g.out(2) % g.out(1), ow = rem % g.out(2);
        for (int kd = 0; kd < g.kernel(0); kd++) {
          for (int kh = 0; kh < g.kernel(1); kh++) {
            for (int kw = 0; kw < g.kernel(2); kw++) {
              int id = od * g.stride(0) - g.pad(0) + kd, ih = oh * g.stride(1) - g.pad(1) + kh;
              int iw = ow * g.stride(2) - g.pad(2) + kw;
              if (id >= 0 && id < D && ih >= 0 && ih < H && iw >= 0 && iw < W) {
                dxRef[pl * g.inPlane() + (id * H + ih) * W + iw] += dy[o] / div[o];
              }
            }
          }
        }
      }
      float[] dx = TestUtil.nans(xs);
      PoolNdKernels.avgBackward(g, dy, dx, includePad, override);
      for (int i = 0; i < xs; i++) {
        assertEquals(dxRef[i], dx[i], 1e-5, "avg backward " + g + " at " + i);
      }
    }
  }

  @Test
  void twoDimensionalCasesAgreeWithThe2dKernels() {
    SplittableRandom r = new SplittableRandom(34);
    for (int t = 0; t < 60; t++) {
      int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
      int ph = r.nextInt(kh / 2 + 1), pw = r.nextInt(kw / 2 + 1);
      int h = Math.max(kh, 1 + r.nextInt(15)), w = Math.max(kw, 1 + r.nextInt(15));
      if (t % 4 == 0) {
        kh = kw = sh = sw = 2;
        ph = pw = 0;
        h = Math.max(2, h);
        w = Math.max(2, w);
      }
      int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3);
      Pool2dGeometry g2 = new Pool2dGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
      PoolNdGeometry g = new PoolNdGeometry(n, c, new int[] {h, w}, new int[] {kh, kw}, new int[] {sh, sw},
          new int[] {ph, pw}, new int[] {1, 1}, false);
      assertArrayEquals(new int[] {n, c, g2.outH(), g2.outW()}, g.outShape());
      int xs = n * c * h * w, ys = n * c * g2.outH() * g2.outW();
      float[] x = TestUtil.random(r, xs);
      float[] y2 = new float[ys], y = new float[ys];
      int[] a2 = new int[ys], a = new int[ys];
      PoolKernels.maxPool2dForward(g2, x, y2, a2);
      PoolNdKernels.maxForward(g, x, y, a, false);
      assertArrayEquals(y2, y, g.toString());
      for (int o = 0; o < ys; o++) {
        assertEquals(a2[o], o / g.outPlane() * g.inPlane() + a[o], "argmax " + g);
      }
      PoolReference.avgPool2dForward(g2, x, y2);
      PoolNdKernels.avgForward(g, x, y, true, 0);
      TestUtil.assertClose("avg " + g, y2, y, ys, 1e-6 * kh * kw);
    }
  }

  @Test
  void adaptiveMatchesTheReference() {
    SplittableRandom r = new SplittableRandom(35);
    for (int t = 0; t < 100; t++) {
      boolean oneByOne = t == 0; // global pooling of 1x1 maps (ResNet's last at 32x32 input), many planes
      int planes = oneByOne ? 70_000 : 1 + r.nextInt(4);
      int d = oneByOne ? 1 : 1 + r.nextInt(6), h = oneByOne ? 1 : 1 + r.nextInt(9), w = oneByOne ? 1 : 1 + r.nextInt(9);
      int od = oneByOne ? 1 : 1 + r.nextInt(d + 2), oh = oneByOne ? 1 : 1 + r.nextInt(h + 2);
      int ow = oneByOne ? 1 : 1 + r.nextInt(w + 2);
      float[] x = TestUtil.random(r, planes * d * h * w);
      if (t % 3 == 0) {
        for (int i = 0; i < x.length / 3; i++) {
          x[r.nextInt(x.length)] = x[r.nextInt(x.length)];
        }
      }
      int ys = planes * od * oh * ow;
      float[] yAvg = TestUtil.nans(ys), yMax = TestUtil.nans(ys);
      int[] arg = new int[ys];
      AdaptivePoolKernels.avgForward(x, planes, d, h, w, od, oh, ow, yAvg);
      AdaptivePoolKernels.maxForward(x, planes, d, h, w, od, oh, ow, yMax, arg);
      float[] dy = TestUtil.random(r, ys);
      double[] dxRef = new double[x.length];
      int o = 0;
      for (int p = 0; p < planes; p++) {
        for (int i = 0; i < od; i++) {
          for (int j = 0; j < oh; j++) {
            for (int k = 0; k < ow; k++, o++) {
              int d0 = (int) Math.floor((double) i * d / od), d1 = (int) Math.ceil((double) (i + 1) * d / od);
              int h0 = (int) Math.floor((double) j * h / oh), h1 = (int) Math.ceil((double) (j + 1) * h / oh);
              int w0 = (int) Math.floor((double) k * w / ow), w1 = (int) Math.ceil((double) (k + 1) * w / ow);
              double s = 0;
              float best = 0;
              int bi = -1;
              for (int a = d0; a < d1; a++) {
                for (int b = h0; b < h1; b++) {
                  for (int c = w0; c < w1; c++) {
                    int at = (a * h + b) * w + c;
                    float v = x[p * d * h * w + at];
                    s += v;
                    if (bi < 0 || v > best) {
                      best = v;
                      bi = at;
                    }
                  }
                }
              }
              int cells = (d1 - d0) * (h1 - h0) * (w1 - w0);
              assertEquals(s / cells, yAvg[o], 1e-5, "adaptive avg at " + o);
              assertEquals(best, yMax[o], "adaptive max at " + o);
              assertEquals(bi, arg[o], "adaptive argmax at " + o);
              for (int a = d0; a < d1; a++) {
                for (int b = h0; b < h1; b++) {
                  for (int c = w0; c < w1; c++) {
                    dxRef[p * d * h * w + (a * h + b) * w + c] += dy[o] / cells;
                  }
                }
              }
            }
          }
        }
      }
      float[] dx = TestUtil.nans(x.length);
      AdaptivePoolKernels.avgBackward(dy, planes, d, h, w, od, oh, ow, dx);
      for (int i = 0; i < x.length; i++) {
        assertEquals(dxRef[i], dx[i], 1e-5, "adaptive avg backward at " + i);
      }
      if (d == 1) { // the 2-D overloads are the 3-D kernels with D = 1
        float[] y2 = TestUtil.nans(planes * oh * ow);
        AdaptivePoolKernels.avgForward(x, planes, h, w, oh, ow, y2);
        float[] y3 = new float[planes * oh * ow];
        AdaptivePoolKernels.avgForward(x, planes, 1, h, w, 1, oh, ow, y3);
        assertArrayEquals(y3, y2);
      }
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadSplit() {
    // many planes (parallel chunks) vs one plane at a time (serial): identical bits
    SplittableRandom r = new SplittableRandom(36);
    PoolNdGeometry g = new PoolNdGeometry(8, 16, new int[] {5, 9, 11}, new int[] {3, 3, 2}, new int[] {2, 2, 2},
        new int[] {1, 1, 1}, new int[] {1, 1, 1}, true);
    float[] x = TestUtil.random(r, g.planes() * g.inPlane());
    float[] y = new float[g.planes() * g.outPlane()];
    PoolNdKernels.avgForward(g, x, y, false, 0);
    PoolNdGeometry one = new PoolNdGeometry(1, 1, new int[] {5, 9, 11}, new int[] {3, 3, 2}, new int[] {2, 2, 2},
        new int[] {1, 1, 1}, new int[] {1, 1, 1}, true);
    for (int p = 0; p < g.planes(); p++) {
      float[] yp = new float[one.outPlane()];
      PoolNdKernels.avgForward(one, Arrays.copyOfRange(x, p * g.inPlane(), (p + 1) * g.inPlane()), yp, false, 0);
      assertArrayEquals(yp, Arrays.copyOfRange(y, p * g.outPlane(), (p + 1) * g.outPlane()), "plane " + p);
    }
  }
}
