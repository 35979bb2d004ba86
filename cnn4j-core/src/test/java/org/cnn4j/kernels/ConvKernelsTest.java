package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvKernelsTest {

  private static void compareAll(SplittableRandom r, Conv2dGeometry g) {
    int xs = g.batch() * g.inPlane(), ws = g.outChannels() * g.patchSize(), ys = g.batch() * g.outPlane();
    float[] x = TestUtil.random(r, xs);
    float[] w = TestUtil.random(r, ws);
    float[] bias = r.nextBoolean() ? TestUtil.random(r, g.outChannels()) : null;
    double tol = TestUtil.tolFor(g.patchSize());

    float[] yRef = new float[ys];
    float[] y = TestUtil.nans(ys);
    ConvReference.conv2dForward(g, x, w, bias, yRef);
    ConvKernels.conv2dForward(g, x, w, bias, y);
    TestUtil.assertClose("forward " + g, yRef, y, ys, tol);

    float[] dy = TestUtil.random(r, ys);
    float[] dxRef = new float[xs];
    float[] dx = TestUtil.nans(xs);
    ConvReference.conv2dBackwardInput(g, dy, w, dxRef);
    ConvKernels.conv2dBackwardInput(g, dy, w, dx);
    TestUtil.assertClose("backwardInput " + g, dxRef, dx, xs, TestUtil.tolFor(g.outChannels() * g.kernelH() * g.kernelW()));

    float[] dw0 = TestUtil.random(r, ws);
    float[] db0 = TestUtil.random(r, g.outChannels());
    float[] dwRef = dw0.clone(), dw = dw0.clone();
    float[] dbRef = db0.clone(), db = db0.clone();
    boolean withBias = r.nextBoolean();
    ConvReference.conv2dBackwardWeight(g, x, dy, dwRef, withBias ? dbRef : null);
    ConvKernels.conv2dBackwardWeight(g, x, dy, dw, withBias ? db : null);
    int kSum = g.batch() * g.outH() * g.outW();
    TestUtil.assertClose("backwardWeight " + g, dwRef, dw, ws, TestUtil.tolFor(kSum));
    TestUtil.assertClose("backwardBias " + g, dbRef, db, g.outChannels(), TestUtil.tolFor(kSum));

    // a fresh gradient: dw's old contents (NaN here) must be ignored, not added to
    float[] dwFreshRef = new float[ws], dwFresh = TestUtil.nans(ws);
    ConvReference.conv2dBackwardWeight(g, x, dy, dwFreshRef, null);
    ConvKernels.conv2dBackwardWeight(g, x, dy, dwFresh, true, null);
    TestUtil.assertClose("backwardWeight overwriting " + g, dwFreshRef, dwFresh, ws, TestUtil.tolFor(kSum));
  }

  @Test
  void randomGeometriesMatchReference() {
    SplittableRandom r = new SplittableRandom(11);
    int[] kernels = {1, 2, 3, 5};
    for (int t = 0; t < 60; t++) {
      int kh = kernels[r.nextInt(kernels.length)];
      int kw = r.nextInt(4) == 0 ? kernels[r.nextInt(kernels.length)] : kh;
      int stride = 1 + r.nextInt(3);
      int pt = r.nextInt(3), pl = r.nextInt(3), pb = r.nextInt(3), pr = r.nextInt(3);
      int h = Math.max(kh, 1 + r.nextInt(13)), w = Math.max(kw, 1 + r.nextInt(13));
      int batch = 1 + r.nextInt(4);
      int c = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(9);
      int o = 1 + r.nextInt(19);
      compareAll(r, new Conv2dGeometry(batch, c, h, w, o, kh, kw, stride, r.nextInt(3) == 0 ? stride + 1 : stride,
          pt, pl, pb, pr));
    }
  }

  /**
   * The gather-based im2col/col2im against the scalar loops, bit for bit: strides 1-3, asymmetric padding, maps
   * whose position count is not a multiple of the vector width, and col rows wider than one image (ldCol > P).
   */
  @Test
  void gatherIm2colMatchesScalarLoops() {
    org.junit.jupiter.api.Assumptions.assumeTrue(VectorSupport.ENABLED);
    SplittableRandom r = new SplittableRandom(23);
    for (int t = 0; t < 80; t++) {
      int kh = 1 + r.nextInt(7), kw = r.nextBoolean() ? kh : 1 + r.nextInt(7);
      int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
      int pt = r.nextInt(4), pl = r.nextInt(4), pb = r.nextInt(4), pr = r.nextInt(4);
      int h = Math.max(Math.max(1, kh - pt - pb), 1 + r.nextInt(40)), w = Math.max(Math.max(1, kw - pl - pr),
          1 + r.nextInt(40));
      Conv2dGeometry g = new Conv2dGeometry(1, 1 + r.nextInt(5), h, w, 1, kh, kw, sh, sw, pt, pl, pb, pr);
      int rows = g.patchSize(), positions = g.outH() * g.outW();
      int ldCol = positions + r.nextInt(3) * positions, colOff = r.nextInt(2) * positions;
      float[] x = TestUtil.random(r, 7 + g.inPlane());
      float[] colRef = TestUtil.random(r, colOff + rows * ldCol), col = colRef.clone();
      ConvKernels.im2colScalar(g, x, 7, colRef, colOff, ldCol);
      Im2colVector.im2col(g, x, 7, col, colOff, ldCol);
      assertArrayEquals(colRef, col, "im2col " + g + " ldCol " + ldCol);

      float[] dxRef = TestUtil.random(r, 5 + g.inPlane()), dx = TestUtil.nans(dxRef.length);
      System.arraycopy(dxRef, 0, dx, 0, 5);
      ConvKernels.col2imScalar(g, col, colOff, ldCol, dxRef, 5);
      Im2colVector.col2im(g, col, colOff, ldCol, dx, 5);
      assertArrayEquals(dxRef, dx, "col2im " + g + " ldCol " + ldCol);
    }
  }

  /**
   * Kernel windows (ConvDense's per-position windows, ConvTapTrim's live taps): the dispatching methods, vector
   * rows and scalar tail, against the scalar loops, bit for bit; row ranges not multiples of the vector width.
   */
  @Test
  void kernelWindowsMatchScalarLoops() {
    SplittableRandom r = new SplittableRandom(29);
    for (int t = 0; t < 40; t++) {
      int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), h = 1 + r.nextInt(kh), w = 1 + r.nextInt(kw);
      int windows = 1 + r.nextInt(4), rows = 1 + r.nextInt(80), s = r.nextInt(rows), e = s + r.nextInt(rows - s + 1);
      int[] first = new int[windows];
      for (int p = 0; p < windows; p++) {
        first[p] = r.nextInt(kh - h + 1) * kw + r.nextInt(kw - w + 1);
      }
      int winStride = rows * h * w + r.nextInt(3);
      float[] k = TestUtil.random(r, rows * kh * kw);
      float[] winRef = TestUtil.random(r, windows * winStride), win = winRef.clone();
      KernelWindows.gatherScalar(k, kh, kw, first, h, w, winRef, winStride, s, e);
      KernelWindows.gather(k, kh, kw, first, h, w, win, winStride, s, e);
      String what = kh + "x" + kw + " kernels, " + windows + " windows " + h + "x" + w + ", rows " + s + "-" + e;
      assertArrayEquals(winRef, win, "gather " + what);
      boolean overwrite = r.nextBoolean();
      float[] kRef = k.clone(), k2 = k.clone();
      KernelWindows.scatterAddScalar(win, winStride, h, w, kRef, kh, kw, first, overwrite, s, e);
      KernelWindows.scatterAdd(win, winStride, h, w, k2, kh, kw, first, overwrite, s, e);
      assertArrayEquals(kRef, k2, "scatterAdd " + what + " overwrite " + overwrite);
    }
  }

  @Test
  void namedShapesMatchReference() {
    SplittableRandom r = new SplittableRandom(12);
    compareAll(r, Conv2dGeometry.of(3, 1, 28, 28, 32, 3, 1, 1));      // FashionCNN conv1 (small batch)
    compareAll(r, Conv2dGeometry.of(2, 32, 14, 14, 64, 3, 1, 0));     // FashionCNN conv2
    compareAll(r, Conv2dGeometry.of(2, 16, 8, 8, 24, 1, 1, 0));       // pointwise = plain GEMM
    compareAll(r, Conv2dGeometry.of(2, 16, 9, 9, 24, 1, 2, 0));       // ResNet downsample 1x1 stride 2
    compareAll(r, Conv2dGeometry.of(1, 17, 9, 9, 33, 3, 2, 1));       // stride 2, one image (parallel GEMM path)
    compareAll(r, new Conv2dGeometry(2, 3, 10, 7, 5, 3, 3, 1, 1, 0, 1, 2, 1)); // asymmetric "same"-like
    compareAll(r, Conv2dGeometry.of(5, 3, 11, 11, 4, 5, 3, 2));       // stride 3, kernel 5
  }

  @Test
  void stride1ImplicitGemmShapesMatchReference() {
    SplittableRandom r = new SplittableRandom(14);
    compareAll(r, Conv2dGeometry.of(3, 64, 8, 8, 24, 3, 1, 1));       // K = 576 > one k block
    compareAll(r, Conv2dGeometry.of(4, 5, 13, 11, 70, 3, 1, 0));      // O not a multiple of 8
    compareAll(r, new Conv2dGeometry(2, 7, 9, 12, 9, 2, 3, 1, 1, 2, 0, 1, 3)); // asymmetric pads, 2x3 kernel
    compareAll(r, Conv2dGeometry.of(5, 40, 6, 6, 33, 1, 1, 0));       // pointwise
    compareAll(r, Conv2dGeometry.of(2, 60, 20, 20, 13, 3, 1, 1));     // row panels (16 < OW <= 32), 2 k blocks
    compareAll(r, Conv2dGeometry.of(3, 2, 30, 32, 9, 3, 1, 0));       // row panels, OW = 30
    for (int t = 0; t < 12; t++) {
      int k = 1 + r.nextInt(4);
      compareAll(r, Conv2dGeometry.of(2 + r.nextInt(4), 1 + r.nextInt(40), k + r.nextInt(12), k + r.nextInt(12),
          1 + r.nextInt(40), k, 1, r.nextInt(k)));
    }
  }

  /** Shapes the dispatcher sends to Winograd F(2x2, 3x3) (forward and input gradient at least). */
  @Test
  void winogradShapesMatchReference() {
    SplittableRandom r = new SplittableRandom(31);
    Conv2dGeometry[] shapes = {
      Conv2dGeometry.of(4, 32, 14, 14, 64, 3, 1, 0),     // FashionCNN conv2
      Conv2dGeometry.of(8, 16, 32, 32, 16, 3, 1, 1),     // 16 tiles a row; several blocks per thread
      Conv2dGeometry.of(3, 20, 37, 35, 17, 3, 1, 1),     // odd output sizes, 18 tiles a row, O % 8 != 0
      new Conv2dGeometry(2, 16, 9, 12, 24, 3, 3, 1, 1, 2, 0, 1, 2), // asymmetric pads
      Conv2dGeometry.of(3, 128, 4, 4, 128, 3, 1, 1),     // ResNet-18 layer 2 at 32x32 input: Winograd dW too
      Conv2dGeometry.of(2, 16, 4, 4, 19, 3, 1, 0),       // 2x2 outputs: one tile an image
    };
    for (Conv2dGeometry g : shapes) {
      org.junit.jupiter.api.Assertions.assertTrue(ConvWinograd.applies(g) || !VectorSupport.ENABLED, g.toString());
      compareAll(r, g);
    }
  }

  /** The three Winograd passes called directly (the weight gradient included where the dispatcher skips it). */
  @Test
  void winogradPassesMatchReference() {
    org.junit.jupiter.api.Assumptions.assumeTrue(VectorSupport.ENABLED);
    SplittableRandom r = new SplittableRandom(32);
    Conv2dGeometry[] shapes = {
      Conv2dGeometry.of(3, 32, 14, 14, 64, 3, 1, 0),
      Conv2dGeometry.of(2, 16, 11, 8, 21, 3, 1, 1),
      new Conv2dGeometry(5, 17, 6, 19, 16, 3, 3, 1, 1, 0, 2, 1, 0),
      Conv2dGeometry.of(1, 24, 5, 5, 40, 3, 1, 2),       // padding wider than the image's border
    };
    for (Conv2dGeometry g : shapes) {
      int xs = g.batch() * g.inPlane(), ws = g.outChannels() * g.patchSize(), ys = g.batch() * g.outPlane();
      float[] x = TestUtil.random(r, xs), w = TestUtil.random(r, ws), bias = TestUtil.random(r, g.outChannels());
      float[] dy = TestUtil.random(r, ys);
      float[] yRef = new float[ys], y = TestUtil.nans(ys);
      ConvReference.conv2dForward(g, x, w, bias, yRef);
      ConvWinograd.forward(g, x, w, bias, y, false);
      TestUtil.assertClose("winograd forward " + g, yRef, y, ys, TestUtil.tolFor(g.patchSize()));
      float[] dxRef = new float[xs], dx = TestUtil.nans(xs);
      ConvReference.conv2dBackwardInput(g, dy, w, dxRef);
      ConvWinograd.backwardInput(g, dy, w, dx);
      TestUtil.assertClose("winograd backwardInput " + g, dxRef, dx, xs, TestUtil.tolFor(g.outChannels() * 9));
      float[] dwRef = TestUtil.random(r, ws), dw = dwRef.clone();
      float[] dbRef = TestUtil.random(r, g.outChannels()), db = dbRef.clone();
      ConvReference.conv2dBackwardWeight(g, x, dy, dwRef, dbRef);
      ConvWinograd.backwardWeight(g, x, dy, dw, false, db);
      int kSum = g.batch() * g.outH() * g.outW();
      TestUtil.assertClose("winograd backwardWeight " + g, dwRef, dw, ws, TestUtil.tolFor(kSum));
      TestUtil.assertClose("winograd backwardBias " + g, dbRef, db, g.outChannels(), TestUtil.tolFor(kSum));
      float[] dwFresh = new float[ws], dwOver = TestUtil.nans(ws); // overwrite: the NaNs on entry are ignored
      ConvReference.conv2dBackwardWeight(g, x, dy, dwFresh, null);
      ConvWinograd.backwardWeight(g, x, dy, dwOver, true, null);
      TestUtil.assertClose("winograd backwardWeight, overwritten " + g, dwFresh, dwOver, ws, TestUtil.tolFor(kSum));
    }
  }

  @Test
  void resnet18At32ShapesMatchReference() {
    SplittableRandom r = new SplittableRandom(21);
    compareAll(r, Conv2dGeometry.of(4, 3, 32, 32, 64, 7, 2, 3));      // conv1 -> 16x16
    compareAll(r, Conv2dGeometry.of(4, 64, 8, 8, 64, 3, 1, 1));       // layer1
    compareAll(r, Conv2dGeometry.of(4, 64, 8, 8, 128, 3, 2, 1));      // layer2.0 conv1
    compareAll(r, Conv2dGeometry.of(4, 64, 8, 8, 128, 1, 2, 0));      // layer2 downsample
    compareAll(r, Conv2dGeometry.of(4, 128, 4, 4, 128, 3, 1, 1));     // layer2
    compareAll(r, Conv2dGeometry.of(4, 128, 4, 4, 256, 3, 2, 1));     // layer3.0 conv1
    compareAll(r, Conv2dGeometry.of(4, 256, 2, 2, 256, 3, 1, 1));     // layer3
    compareAll(r, Conv2dGeometry.of(4, 256, 2, 2, 512, 3, 2, 1));     // layer4.0 conv1: 2x2 live taps
    compareAll(r, Conv2dGeometry.of(4, 256, 2, 2, 512, 1, 2, 0));     // layer4 downsample
    compareAll(r, Conv2dGeometry.of(64, 512, 1, 1, 512, 3, 1, 1));    // layer4: centre tap only, full batch
    compareAll(r, Conv2dGeometry.of(3, 512, 1, 1, 512, 3, 1, 1));     // fewer images than... odd batch
  }

  @Test
  void deadTapsAreTrimmedExactly() {
    Conv2dGeometry l4 = Conv2dGeometry.of(64, 512, 1, 1, 512, 3, 1, 1);
    Conv2dGeometry t = ConvTapTrim.trim(l4);
    if (ConvTapTrim.ENABLED) {
      org.junit.jupiter.api.Assertions.assertEquals(new Conv2dGeometry(64, 512, 1, 1, 512, 1, 1, 1, 1, 0, 0, 0, 0), t);
      Conv2dGeometry s2 = ConvTapTrim.trim(Conv2dGeometry.of(64, 256, 2, 2, 512, 3, 2, 1));
      org.junit.jupiter.api.Assertions.assertEquals(new Conv2dGeometry(64, 256, 2, 2, 512, 2, 2, 2, 2, 0, 0, 0, 0), s2);
    }
    org.junit.jupiter.api.Assertions.assertNull(ConvTapTrim.trim(Conv2dGeometry.of(64, 256, 2, 2, 256, 3, 1, 1)));
    if (ConvDense.ENABLED) { // layer3: each output reads the whole 2x2 input through a 2x2 window of the kernel
      org.junit.jupiter.api.Assertions.assertTrue(ConvDense.appliesPerPosition(Conv2dGeometry.of(64, 256, 2, 2, 256, 3, 1, 1)));
      org.junit.jupiter.api.Assertions.assertFalse(ConvDense.appliesPerPosition(Conv2dGeometry.of(64, 128, 4, 4, 128, 3, 1, 1)));
    }
    SplittableRandom r = new SplittableRandom(22);
    for (int i = 0; i < 40; i++) {
      int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
      int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
      int h = 1 + r.nextInt(3), w = 1 + r.nextInt(3);
      int pt = r.nextInt(kh), pb = r.nextInt(kh), pl = r.nextInt(kw), pr = r.nextInt(kw);
      if (h + pt + pb < kh || w + pl + pr < kw) {
        continue;
      }
      compareAll(r, new Conv2dGeometry(1 + r.nextInt(5), 1 + r.nextInt(20), h, w, 1 + r.nextInt(20), kh, kw, sh, sw,
          pt, pl, pb, pr));
    }
  }

  /** The input gradient reuses the reshaped weight its forward derived (trimmed taps, per-position windows). */
  @Test
  void inputGradientReusesTheForwardsWeightViews() {
    SplittableRandom r = new SplittableRandom(23);
    for (Conv2dGeometry g : new Conv2dGeometry[] {Conv2dGeometry.of(3, 40, 1, 1, 24, 3, 1, 1),
        Conv2dGeometry.of(3, 20, 2, 2, 24, 3, 2, 1), Conv2dGeometry.of(2, 30, 2, 2, 20, 3, 1, 1)}) {
      boolean derives = ConvTapTrim.trim(g) != null || VectorSupport.ENABLED && ConvDense.appliesPerPosition(g);
      if (!derives) {
        continue; // the fallback paths (no vector kernels) read w directly
      }
      float[] x = TestUtil.random(r, g.batch() * g.inPlane());
      float[] w = TestUtil.random(r, g.outChannels() * g.patchSize());
      int ys = g.batch() * g.outPlane(), xs = g.batch() * g.inPlane();
      float[] dy = TestUtil.random(r, ys), dxRef = new float[xs], dx = TestUtil.nans(xs);
      ConvReference.conv2dBackwardInput(g, dy, w, dxRef);
      int[] allocations = {0};
      WeightViews views = new WeightViews(n -> {
        allocations[0]++;
        return new float[n];
      });
      ConvKernels.conv2dForward(g, x, w, null, new float[ys], false, views);
      java.util.Arrays.fill(w, Float.NaN); // the backward must not derive the view again
      ConvKernels.conv2dBackwardInput(g, dy, w, dx, views);
      TestUtil.assertClose("backwardInput from the forward's view " + g, dxRef, dx, xs,
          TestUtil.tolFor(g.outChannels() * g.kernelH() * g.kernelW()));
      org.junit.jupiter.api.Assertions.assertEquals(1, allocations[0], "one view per forward");
    }
  }

  @Test
  void fusedReluMatchesReference() {
    SplittableRandom r = new SplittableRandom(15);
    for (Conv2dGeometry g : new Conv2dGeometry[] {Conv2dGeometry.of(3, 4, 10, 10, 12, 3, 1, 1),
        Conv2dGeometry.of(3, 4, 10, 10, 12, 3, 2, 1), Conv2dGeometry.of(1, 4, 10, 10, 12, 3, 1, 1),
        Conv2dGeometry.of(2, 3, 28, 28, 11, 3, 1, 1), Conv2dGeometry.of(5, 40, 1, 1, 24, 3, 1, 1),
        Conv2dGeometry.of(5, 20, 2, 2, 24, 3, 2, 1), Conv2dGeometry.of(3, 16, 8, 8, 20, 3, 1, 1)}) {
      float[] x = TestUtil.random(r, g.batch() * g.inPlane());
      float[] w = TestUtil.random(r, g.outChannels() * g.patchSize());
      float[] b = TestUtil.random(r, g.outChannels());
      int ys = g.batch() * g.outPlane();
      float[] ref = new float[ys], y = TestUtil.nans(ys);
      ConvReference.conv2dForward(g, x, w, b, ref);
      for (int i = 0; i < ys; i++) {
        ref[i] = Math.max(ref[i], 0f);
      }
      ConvKernels.conv2dForward(g, x, w, b, y, true);
      TestUtil.assertClose("relu " + g, ref, y, ys, TestUtil.tolFor(g.patchSize()));
    }
  }

  @Test
  void seedsWorkedExample() {
    float[] x = {
        1, 0, 0, 0, 0, 1,
        0, 1, 0, 0, 1, 0,
        0, 0, 1, 1, 0, 0,
        1, 0, 0, 0, 1, 0,
        0, 1, 0, 0, 1, 0,
        0, 0, 1, 0, 1, 0};
    float[] w = {1, 0, 1, 0, 1, 0, 1, 0, 1};
    float[] expected = {3, 1, 1, 3, 1, 2, 3, 0, 1, 2, 2, 2, 3, 0, 3, 1};
    Conv2dGeometry g = Conv2dGeometry.of(1, 1, 6, 6, 1, 3, 1, 0);
    float[] y = new float[16];
    ConvKernels.conv2dForward(g, x, w, null, y);
    assertArrayEquals(expected, y);
    ConvReference.conv2dForward(g, x, w, null, y);
    assertArrayEquals(expected, y);
  }

  @Test
  void backwardWeightAccumulatesAndIsDeterministic() {
    SplittableRandom r = new SplittableRandom(13);
    Conv2dGeometry g = Conv2dGeometry.of(7, 4, 9, 9, 6, 3, 1, 1);
    float[] x = TestUtil.random(r, g.batch() * g.inPlane());
    float[] dy = TestUtil.random(r, g.batch() * g.outPlane());
    int ws = g.outChannels() * g.patchSize();
    float[] dw1 = new float[ws], dw2 = new float[ws], db1 = new float[6], db2 = new float[6];
    ConvKernels.conv2dBackwardWeight(g, x, dy, dw1, db1);
    ConvKernels.conv2dBackwardWeight(g, x, dy, dw2, db2);
    assertArrayEquals(dw1, dw2);
    ConvKernels.conv2dBackwardWeight(g, x, dy, dw2, db2);
    for (int i = 0; i < ws; i++) {
      if (Math.abs(dw2[i] - 2 * dw1[i]) > 1e-4 * (1 + Math.abs(dw1[i]))) {
        throw new AssertionError("backwardWeight must accumulate: " + dw2[i] + " vs 2 * " + dw1[i]);
      }
    }
  }

  @Test
  void fastPathsAreRepeatableBitForBit() {
    SplittableRandom r = new SplittableRandom(16);
    for (Conv2dGeometry g : new Conv2dGeometry[] {Conv2dGeometry.of(6, 32, 14, 14, 64, 3, 1, 0),
        Conv2dGeometry.of(5, 1, 28, 28, 32, 3, 1, 1), Conv2dGeometry.of(5, 24, 4, 4, 40, 3, 1, 1),
        Conv2dGeometry.of(6, 64, 1, 1, 48, 3, 1, 1), Conv2dGeometry.of(6, 40, 2, 2, 48, 3, 2, 1),
        Conv2dGeometry.of(6, 40, 2, 2, 48, 3, 1, 1), Conv2dGeometry.of(6, 16, 8, 8, 24, 3, 1, 1),
        Conv2dGeometry.of(6, 128, 4, 4, 128, 3, 1, 1)}) {
      float[] x = TestUtil.random(r, g.batch() * g.inPlane());
      float[] w = TestUtil.random(r, g.outChannels() * g.patchSize());
      float[] dy = TestUtil.random(r, g.batch() * g.outPlane());
      float[] y1 = new float[dy.length], y2 = new float[dy.length];
      ConvKernels.conv2dForward(g, x, w, null, y1);
      ConvKernels.conv2dForward(g, x, w, null, y2);
      assertArrayEquals(y1, y2, "forward " + g);
      float[] dx1 = new float[x.length], dx2 = new float[x.length];
      ConvKernels.conv2dBackwardInput(g, dy, w, dx1);
      ConvKernels.conv2dBackwardInput(g, dy, w, dx2);
      assertArrayEquals(dx1, dx2, "backwardInput " + g);
      float[] dw1 = new float[w.length], dw2 = new float[w.length];
      float[] db1 = new float[g.outChannels()], db2 = new float[g.outChannels()];
      ConvKernels.conv2dBackwardWeight(g, x, dy, dw1, db1);
      ConvKernels.conv2dBackwardWeight(g, x, dy, dw2, db2);
      assertArrayEquals(dw1, dw2, "backwardWeight " + g);
      assertArrayEquals(db1, db2, "backwardBias " + g);
    }
  }

  @Test
  void geometryValidation() {
    Conv2dGeometry g = new Conv2dGeometry(100, 32, 14, 14, 64, 3, 3, 1, 1, 0, 0, 0, 0);
    assertArrayEquals(new int[] {12, 12}, new int[] {g.outH(), g.outW()});
    Conv2dGeometry same = new Conv2dGeometry(1, 1, 28, 28, 1, 4, 4, 2, 2, 1, 1, 1, 1);
    assertArrayEquals(new int[] {14, 14}, new int[] {same.outH(), same.outW()});
    assertThrows(IllegalArgumentException.class, () -> Conv2dGeometry.of(1, 1, 2, 2, 1, 3, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Conv2dGeometry.of(0, 1, 5, 5, 1, 3, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Conv2dGeometry.of(1, 1, 5, 5, 1, 3, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Conv2dGeometry(1, 1, 5, 5, 1, 3, 3, 1, 1, -1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ConvKernels.conv2dForward(g, new float[10], new float[64 * 288], null, new float[100 * 64 * 144]));
  }
}
