package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolKernelsTest {

  private static final float[] X4 = {3, -1, 12, -1, -3, 1, 0, 1, 2, -3, 0, 1, 3, -2, 4, -1};
  private static final float[] X6 = {
      1, 2, 0, 1, 3, 2,
      3, 1, 2, 1, 0, 1,
      0, 4, 1, 0, 2, 5,
      1, 3, 2, 4, 2, 1,
      1, 2, 1, 4, 1, 2,
      0, 2, 5, 4, 3, 1};

  @Test
  void seedsWorkedExamples() {
    Pool2dGeometry g4 = Pool2dGeometry.of(1, 1, 4, 4, 2, 2, 0);
    float[] y = new float[4];
    int[] arg = new int[4];
    PoolKernels.maxPool2dForward(g4, X4, y, arg);
    assertArrayEquals(new float[] {3, 12, 3, 4}, y);
    assertArrayEquals(new int[] {0, 2, 12, 14}, arg);
    PoolNdKernels.avgForward(nd(g4), X4, y, true, 0); // average pooling runs through the N-d kernels
    assertArrayEquals(new float[] {0, 3, 0, 1}, y);

    Pool2dGeometry g6 = Pool2dGeometry.of(1, 1, 6, 6, 2, 2, 0);
    float[] y6 = new float[9];
    PoolKernels.maxPool2dForward(g6, X6, y6, null);
    assertArrayEquals(new float[] {3, 2, 3, 4, 4, 5, 2, 5, 3}, y6);
    PoolNdKernels.avgForward(nd(g6), X6, y6, true, 0);
    assertArrayEquals(new float[] {1.75f, 1f, 1.5f, 2f, 1.75f, 2.5f, 1.25f, 3.5f, 1.75f}, y6);
  }

  private static PoolNdGeometry nd(Pool2dGeometry g) {
    return new PoolNdGeometry(g.batch(), g.channels(), new int[] {g.inH(), g.inW()}, new int[] {g.kernelH(), g.kernelW()},
        new int[] {g.strideH(), g.strideW()}, new int[] {g.padH(), g.padW()}, new int[] {1, 1}, false);
  }

  @Test
  void randomGeometriesMatchReference() {
    SplittableRandom r = new SplittableRandom(21);
    for (int t = 0; t < 80; t++) {
      int kh = 1 + r.nextInt(4), kw = r.nextBoolean() ? kh : 1 + r.nextInt(4);
      int sh = 1 + r.nextInt(3), sw = r.nextBoolean() ? sh : 1 + r.nextInt(3);
      int ph = r.nextInt(kh / 2 + 1), pw = r.nextInt(kw / 2 + 1);
      int h = Math.max(kh, 1 + r.nextInt(17)), w = Math.max(kw, 1 + r.nextInt(17));
      if (t % 5 == 0) {
        kh = kw = sh = sw = 2;
        ph = pw = 0;
        h = 2 + r.nextInt(15);
        w = 2 + r.nextInt(15);
      }
      Pool2dGeometry g = new Pool2dGeometry(1 + r.nextInt(3), 1 + r.nextInt(5), h, w, kh, kw, sh, sw, ph, pw);
      int xs = g.batch() * g.channels() * h * w, ys = g.batch() * g.channels() * g.outH() * g.outW();
      float[] x = TestUtil.random(r, xs);
      if (t % 7 == 0) {
        x[r.nextInt(xs)] = x[r.nextInt(xs)]; // a tie somewhere
      }
      float[] yRef = new float[ys], y = TestUtil.nans(ys);
      int[] aRef = new int[ys], a = new int[ys];
      PoolReference.maxPool2dForward(g, x, yRef, aRef);
      PoolKernels.maxPool2dForward(g, x, y, a);
      assertArrayEquals(yRef, y, "max " + g);
      assertArrayEquals(aRef, a, "argmax " + g);

      float[] dy = TestUtil.random(r, ys);
      float[] dxRef = new float[xs], dx = TestUtil.nans(xs);
      PoolReference.maxPool2dBackward(g, dy, aRef, dxRef);
      PoolKernels.maxPool2dBackward(g, dy, a, dx);
      TestUtil.assertClose("max backward " + g, dxRef, dx, xs, 1e-6);

    }
  }

  /** The byte-window forward/backward agree with the int-argmax reference (values, positions, gradients). */
  private static void compareWindow(SplittableRandom r, Pool2dGeometry g, float[] x) {
    int ys = g.batch() * g.channels() * g.outH() * g.outW(), xs = x.length;
    float[] yRef = new float[ys], y = TestUtil.nans(ys);
    int[] aRef = new int[ys];
    byte[] win = new byte[ys];
    PoolReference.maxPool2dForward(g, x, yRef, aRef);
    PoolKernels.maxPool2dForwardWindow(g, x, y, win);
    assertArrayEquals(yRef, y, "max(byte) " + g);
    int OH = g.outH(), OW = g.outW(), plane = g.inH() * g.inW();
    for (int i = 0; i < ys; i++) {
      int pl = i / (OH * OW), oh = i % (OH * OW) / OW, ow = i % OW;
      int code = win[i] & 0xff;
      int ih = oh * g.strideH() - g.padH() + code / g.kernelW(), iw = ow * g.strideW() - g.padW() + code % g.kernelW();
      if (pl * plane + ih * g.inW() + iw != aRef[i]) {
        throw new AssertionError("window " + i + " code " + code + " vs argmax " + aRef[i] + " for " + g);
      }
    }
    float[] dy = TestUtil.random(r, ys);
    float[] dxRef = new float[xs], dx = TestUtil.nans(xs);
    PoolReference.maxPool2dBackward(g, dy, aRef, dxRef);
    PoolKernels.maxPool2dBackwardWindow(g, dy, win, dx);
    TestUtil.assertClose("max backward(byte) " + g, dxRef, dx, xs, 1e-6);
    float[] base = TestUtil.random(r, xs);
    float[] acc = base.clone();
    PoolKernels.maxPool2dBackwardWindowAccumulate(g, dy, win, acc);
    for (int i = 0; i < xs; i++) {
      base[i] += dxRef[i];
    }
    TestUtil.assertClose("max backward accumulate(byte) " + g, base, acc, xs, 1e-6);
  }

  /**
   * The planes at an array's end run a scalar twin of the vector 2x2 loop (a masked vector there would cross the
   * array's end); the same planes with padded arrays take the vector loop. Both must agree bit for bit, window
   * codes included, on ties and NaNs, forward and backward.
   */
  @Test
  void planesAtTheArrayEndMatchTheVectorPath() {
    SplittableRandom r = new SplittableRandom(5);
    for (int[] s : new int[][] {{2, 3, 28, 28}, {1, 2, 29, 27}, {2, 2, 36, 40}, {1, 1, 18, 18}}) {
      Pool2dGeometry g = Pool2dGeometry.of(s[0], s[1], s[2], s[3], 2, 2, 0);
      int xs = s[0] * s[1] * s[2] * s[3], ys = s[0] * s[1] * g.outH() * g.outW(), pad = 64;
      float[] x = TestUtil.random(r, xs);
      for (int i = 0; i < xs / 4; i++) {
        x[r.nextInt(xs)] = x[r.nextInt(xs)]; // ties
      }
      for (int i = 0; i < 6; i++) {
        x[xs - 1 - r.nextInt(s[2] * s[3])] = Float.NaN; // in the last plane
      }
      float[] xPadded = java.util.Arrays.copyOf(x, xs + pad);
      float[] y = new float[ys], yPadded = new float[ys + pad];
      byte[] win = new byte[ys], winPadded = new byte[ys + pad];
      PoolKernels.maxPool2dForwardWindow(g, x, y, win);
      PoolKernels.maxPool2dForwardWindow(g, xPadded, yPadded, winPadded);
      assertArrayEquals(java.util.Arrays.copyOf(yPadded, ys), y, "forward " + g);
      assertArrayEquals(java.util.Arrays.copyOf(winPadded, ys), win, "window " + g);
      float[] dy = TestUtil.random(r, ys), dyPadded = java.util.Arrays.copyOf(dy, ys + pad);
      float[] dx = TestUtil.random(r, xs), dxPadded = java.util.Arrays.copyOf(dx, xs + pad);
      PoolKernels.maxPool2dBackwardWindowAccumulate(g, dy, win, dx);
      PoolKernels.maxPool2dBackwardWindowAccumulate(g, dyPadded, winPadded, dxPadded);
      assertArrayEquals(java.util.Arrays.copyOf(dxPadded, xs), dx, "backward " + g);
    }
  }

  @Test
  void byteWindowMatchesReference() {
    SplittableRandom r = new SplittableRandom(22);
    for (int t = 0; t < 60; t++) {
      Pool2dGeometry g;
      if (t % 2 == 0) {
        g = Pool2dGeometry.of(1 + r.nextInt(3), 1 + r.nextInt(4), 2 + r.nextInt(70), 2 + r.nextInt(70), 2, 2, 0);
      } else {
        int kh = 1 + r.nextInt(4), kw = r.nextBoolean() ? kh : 1 + r.nextInt(4);
        g = new Pool2dGeometry(1 + r.nextInt(3), 1 + r.nextInt(4), kh + r.nextInt(15), kw + r.nextInt(15), kh, kw,
            1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1));
      }
      float[] x = TestUtil.random(r, g.batch() * g.channels() * g.inH() * g.inW());
      if (t % 3 == 0) {
        for (int i = 0; i < x.length / 4; i++) {
          x[r.nextInt(x.length)] = x[r.nextInt(x.length)]; // ties
        }
      }
      if (t % 5 == 0) {
        x[r.nextInt(x.length)] = Float.NaN;
        x[r.nextInt(x.length)] = Float.NaN;
      }
      compareWindow(r, g, x);
    }
    compareWindow(r, Pool2dGeometry.of(3, 32, 28, 28, 2, 2, 0), TestUtil.random(r, 3 * 32 * 28 * 28));
    compareWindow(r, Pool2dGeometry.of(3, 8, 12, 12, 2, 2, 0), new float[3 * 8 * 144]); // all ties
  }

  @Test
  void maxPoolPropagatesNaNAndIgnoresPadding() {
    Pool2dGeometry g = Pool2dGeometry.of(1, 1, 2, 2, 2, 2, 0);
    float[] y = new float[1];
    PoolKernels.maxPool2dForward(g, new float[] {1, Float.NaN, 2, 3}, y, null);
    assertArrayEquals(new float[] {Float.NaN}, y);
    Pool2dGeometry p = Pool2dGeometry.of(1, 1, 2, 2, 3, 1, 1);
    float[] yp = new float[4];
    PoolKernels.maxPool2dForward(p, new float[] {-5, -6, -7, -8}, yp, null);
    assertArrayEquals(new float[] {-5, -5, -5, -5}, yp);
  }

  @Test
  void geometryValidation() {
    assertThrows(IllegalArgumentException.class, () -> Pool2dGeometry.of(1, 1, 1, 1, 2, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> Pool2dGeometry.of(1, 1, 4, 4, 2, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> Pool2dGeometry.of(1, 1, 4, 4, 2, 0, 0));
    Pool2dGeometry g = Pool2dGeometry.of(100, 32, 28, 28, 2, 2, 0);
    assertArrayEquals(new int[] {14, 14}, new int[] {g.outH(), g.outW()});
  }
}
