package org.cnn4j.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution as an implicit ("shifted") GEMM with no im2col buffer (loaded only when
 * {@link VectorSupport#ENABLED}).
 *
 * <p>With stride 1, output position {@code (oh, ow)} read through the padded input {@code xp [C, Hp, Wp]}
 * at flat index {@code q + ki*Wp + kj} where {@code q = oh*Wp + ow}. Computing the output on the padded
 * width ({@code q} in {@code [0, Q)}, {@code Q = (OH-1)*Wp + OW}, the columns with {@code ow >= OW} are
 * junk and dropped) turns every im2col row {@code (c, ki, kj)} into a contiguous slice of {@code xp}
 * starting at {@code rowOff = c*Hp*Wp + ki*Wp + kj}. So:
 * <ul>
 *   <li>forward: {@code Yq [O, Q] = W [O, K] x Xs [K, Q]}; the micro-kernel loads B straight from the
 *       image (one row-offset lookup per k step), A (the weights) is packed once per call;</li>
 *   <li>backward input: {@code Col [K, Q] = W^T x DYq} ({@code DYq} = dy with zero junk columns), then
 *       col2im is 9 shifted, contiguous vector adds per channel;</li>
 *   <li>backward weight: {@code dW^T [K, O] = Xs [K, Q] x DYq^T}: A rows are broadcast straight from the
 *       image, only {@code DYq^T} is packed; or, for a tiny patch (K &lt;= 32), dot products of rows.</li>
 * </ul>
 * Every C tile is full (8 x 2V) and lands in a scratch buffer with padded rows and columns; columns are
 * independent, so the reads past {@code Q} (inside the slack of the source buffers) only affect junk
 * columns. Each image's result depends only on that image, the weight gradient on the fixed chunking,
 * so results are deterministic for a given thread count.
 */
final class ConvShifted {
  private ConvShifted() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();
  static final int MR = 8;
  static final int NR = 2 * V;
  /** Largest k block of the forward GEMM (the A micro-panel 8 x kc stays in L1); blocks are balanced. */
  static final int KB_MAX = Integer.getInteger("cnn4j.conv.kb", 512);

  /** The k block size: K split into equal blocks of at most KB_MAX. */
  static int kBlock(int K) {
    int blocks = (K + KB_MAX - 1) / KB_MAX;
    return (K + blocks - 1) / blocks;
  }

  private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[3][0]);

  static int roundUp(int x, int q) {
    return (x + q - 1) / q * q;
  }

  /** True when this path applies and does not waste much on junk columns. */
  /** Largest computed/useful column ratio for the implicit GEMM (-Dcnn4j.conv.junkmax, experiments only). */
  private static final double JUNK_MAX = Double.parseDouble(System.getProperty("cnn4j.conv.junkmax", "1.6"));

  static boolean applies(Conv2dGeometry g) {
    if (g.strideH() != 1 || g.strideW() != 1) {
      return false;
    }
    int wp = g.inW() + g.padLeft() + g.padRight();
    int q = (g.outH() - 1) * wp + g.outW();
    int useful = g.outH() * g.outW();
    return roundUp(q, NR) <= JUNK_MAX * useful;
  }

  private static int[] ints(int slot, int size) {
    int[][] a = INTS.get();
    if (a[slot].length < size) {
      a[slot] = new int[size];
    }
    return a[slot];
  }

  /** True when the image can be read in place (no padding, and NR floats of slack after it). */
  private static boolean inPlace(Conv2dGeometry g, float[] x, int n, int hp, int wp) {
    return !padded(g) && (long) (n + 1) * g.inPlane() + NR <= x.length;
  }

  /** rowOff[(c*KH+ki)*KW+kj] = c*Hp*Wp + ki*Wp + kj. */
  private static int[] rowOffsets(Conv2dGeometry g, int hp, int wp) {
    int K = g.patchSize();
    int[] ro = ints(0, K);
    int r = 0;
    for (int c = 0; c < g.inChannels(); c++) {
      for (int ki = 0; ki < g.kernelH(); ki++) {
        for (int kj = 0; kj < g.kernelW(); kj++) {
          ro[r++] = c * hp * wp + ki * wp + kj;
        }
      }
    }
    return ro;
  }

  private static boolean padded(Conv2dGeometry g) {
    return g.padTop() != 0 || g.padLeft() != 0 || g.padBottom() != 0 || g.padRight() != 0;
  }

  /** Copies image n of x into a zero-bordered [C, Hp, Wp] buffer with NR slack; returns it. */
  private static float[] padImage(Conv2dGeometry g, float[] x, int n, int hp, int wp) {
    int C = g.inChannels(), H = g.inH(), W = g.inW();
    int plane = hp * wp;
    float[] xp = Workspace.get(Workspace.CONV_XP, C * plane + NR);
    Arrays.fill(xp, 0, C * plane + NR, 0f);
    int xOff = n * g.inPlane();
    for (int c = 0; c < C; c++) {
      for (int h = 0; h < H; h++) {
        copy(x, xOff + (c * H + h) * W, xp, c * plane + (h + g.padTop()) * wp + g.padLeft(), W);
      }
    }
    return xp;
  }

  // ------------------------------------------------------------------------------------------- forward

  static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
    int O = g.outChannels(), K = g.patchSize();
    int Or = roundUp(O, MR);
    // A = W packed once: per k block k0 (size kc), panels of MR rows: ap[k0*Or + ir*kc + p*MR + i]
    float[] ap = Workspace.get(Workspace.CONV_WPACK, Or * K);
    int KB = kBlock(K);
    for (int k0 = 0; k0 < K; k0 += KB) {
      int kc = Math.min(KB, K - k0);
      for (int ir = 0; ir < Or; ir += MR) {
        int base = k0 * Or + ir * kc;
        for (int i = 0; i < MR; i++) {
          int o = ir + i;
          if (o < O) {
            int src = o * K + k0;
            for (int p = 0; p < kc; p++) {
              ap[base + p * MR + i] = w[src + p];
            }
          } else {
            for (int p = 0; p < kc; p++) {
              ap[base + p * MR + i] = 0f;
            }
          }
        }
      }
    }
    int hp = g.inH() + g.padTop() + g.padBottom(), wp = g.inW() + g.padLeft() + g.padRight();
    int[] ro = rowOffsets(g, hp, wp);
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      for (int n = s; n < e; n++) {
        forwardImage(g, x, ap, ro, bias, y, n, hp, wp, relu);
      }
    });
  }

  private static void forwardImage(Conv2dGeometry g, float[] x, float[] ap, int[] ro, float[] bias, float[] y,
                                   int n, int hp, int wp, boolean relu) {
    int O = g.outChannels(), K = g.patchSize(), OH = g.outH(), OW = g.outW();
    int Or = roundUp(O, MR);
    int Q = (OH - 1) * wp + OW, Qr = roundUp(Q, NR);
    float[] src;
    int base;
    int xOff = n * g.inPlane();
    if (inPlace(g, x, n, hp, wp)) {
      src = x;
      base = xOff;
    } else {
      src = padImage(g, x, n, hp, wp);
      base = 0;
    }
    int KB = kBlock(K);
    if (OW > V && OW <= NR) {
      // one output row per panel: the tile goes straight to y (no junk buffer)
      float[] tile = Workspace.get(Workspace.GEMM_TILE, MR * NR);
      int P = OH * OW;
      int yOff = n * g.outPlane();
      VectorMask<Float> m1 = S.indexInRange(V, OW);
      for (int ir = 0; ir < Or; ir += MR) {
        int mr = Math.min(MR, O - ir);
        for (int oh = 0; oh < OH; oh++) {
          for (int k0 = 0; k0 < K; k0 += KB) {
            kernelB(Math.min(KB, K - k0), ap, k0 * Or + ir * Math.min(KB, K - k0), src, base + oh * wp, ro, k0, tile,
                0, NR, k0 > 0);
          }
          int ci = yOff + ir * P + oh * OW;
          for (int i = 0; i < mr; i++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[ir + i]);
            FloatVector v0 = FloatVector.fromArray(S, tile, i * NR).add(b);
            FloatVector v1 = FloatVector.fromArray(S, tile, i * NR + V).add(b);
            if (relu) {
              v0 = v0.max(FloatVector.zero(S));
              v1 = v1.max(FloatVector.zero(S));
            }
            v0.intoArray(y, ci + i * P);
            if (ci + i * P + 2 * V <= y.length) {
              v1.intoArray(y, ci + i * P + V, m1);
            } else { // y's last row: a masked store crossing the array's end would take the slow bounds check
              for (int j = 0; j < OW - V; j++) {
                y[ci + i * P + V + j] = v1.lane(j);
              }
            }
          }
        }
      }
      return;
    }
    float[] cb = Workspace.get(Workspace.CONV_OUT, Or * Qr + V); // + V: the epilogue's masked loads stay inside
    for (int k0 = 0; k0 < K; k0 += KB) {
      int kc = Math.min(KB, K - k0);
      boolean acc = k0 > 0;
      for (int ir = 0; ir < Or; ir += MR) {
        int ai = k0 * Or + ir * kc;
        int jr = 0;
        for (; jr + NR <= Q || (jr < Q && Q - jr > V); jr += NR) {
          kernelB(kc, ap, ai, src, base + jr, ro, k0, cb, ir * Qr + jr, Qr, acc);
        }
        if (jr < Q) { // a tail of at most V columns: half-width tile
          kernelB1(kc, ap, ai, src, base + jr, ro, k0, cb, ir * Qr + jr, Qr, acc);
        }
      }
    }
    // epilogue: drop junk columns, add bias, ReLU
    int P = OH * OW;
    int yOff = n * g.outPlane();
    int owv = OW - OW % V;
    VectorMask<Float> tail = S.indexInRange(owv, OW);
    FloatVector zero = FloatVector.zero(S);
    for (int o = 0; o < O; o++) {
      FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
      int yo = yOff + o * P;
      int co = o * Qr;
      for (int oh = 0; oh < OH; oh++) {
        int d = yo + oh * OW, sIdx = co + oh * wp;
        int ow = 0;
        for (; ow < owv; ow += V) {
          FloatVector v = FloatVector.fromArray(S, cb, sIdx + ow).add(b);
          if (relu) {
            v = v.max(zero);
          }
          v.intoArray(y, d + ow);
        }
        if (ow < OW) {
          if (d + ow + V <= y.length) {
            FloatVector v = FloatVector.fromArray(S, cb, sIdx + ow, tail).add(b);
            if (relu) {
              v = v.max(zero);
            }
            v.intoArray(y, d + ow, tail);
          } else { // y's last row: a masked store crossing the array's end would take the slow bounds check
            float bo = bias == null ? 0f : bias[o];
            for (int j = ow; j < OW; j++) {
              float v = cb[sIdx + j] + bo;
              y[d + j] = relu ? Math.max(v, 0f) : v;
            }
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ backward input

  private static final boolean FLIP_DX = !"false".equals(System.getProperty("cnn4j.conv.flipdx"));

  static void backwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    int KH = g.kernelH(), KW = g.kernelW();
    int pt = KH - 1 - g.padTop(), pl = KW - 1 - g.padLeft(), pb = KH - 1 - g.padBottom(), pr = KW - 1 - g.padRight();
    if (FLIP_DX && g.inChannels() >= 2 * MR && pt >= 0 && pl >= 0 && pb >= 0 && pr >= 0) {
      // dx = "full" correlation of dy with the flipped, transposed kernel: a forward pass with C and O
      // swapped (no col2im, and the output tile is the small channel count C)
      Conv2dGeometry t = new Conv2dGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(), KH, KW,
          1, 1, pt, pl, pb, pr);
      int O = g.outChannels(), C = g.inChannels(), kk = KH * KW;
      float[] wt = Workspace.get(Workspace.CONV_WT, O * C * kk);
      for (int o = 0; o < O; o++) {
        for (int c = 0; c < C; c++) {
          int src = (o * C + c) * kk, dst = (c * O + o) * kk;
          for (int k = 0; k < kk; k++) {
            wt[dst + kk - 1 - k] = w[src + k];
          }
        }
      }
      forward(t, dy, wt, null, dx, false);
      return;
    }
    int O = g.outChannels(), K = g.patchSize();
    int Kr = roundUp(K, MR);
    // A = W^T [K, O] packed: panel ir: apT[ir*O + p*MR + i] = w[p*K + ir + i]
    float[] ap = Workspace.get(Workspace.CONV_WPACK, Kr * O);
    for (int ir = 0; ir < Kr; ir += MR) {
      int base = ir * O;
      for (int p = 0; p < O; p++) {
        int d = base + p * MR;
        for (int i = 0; i < MR; i++) {
          ap[d + i] = ir + i < K ? w[p * K + ir + i] : 0f;
        }
      }
    }
    int hp = g.inH() + g.padTop() + g.padBottom(), wp = g.inW() + g.padLeft() + g.padRight();
    int[] ro = rowOffsets(g, hp, wp);
    int Q = (g.outH() - 1) * wp + g.outW(), Qr = roundUp(Q, NR);
    int[] roDy = ints(1, O);
    for (int p = 0; p < O; p++) {
      roDy[p] = p * Qr;
    }
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      for (int n = s; n < e; n++) {
        backwardInputImage(g, dy, ap, ro, roDy, dx, n, hp, wp);
      }
    });
  }

  private static void backwardInputImage(Conv2dGeometry g, float[] dy, float[] ap, int[] ro, int[] roDy,
                                         float[] dx, int n, int hp, int wp) {
    int O = g.outChannels(), K = g.patchSize(), OH = g.outH(), OW = g.outW(), C = g.inChannels();
    int Kr = roundUp(K, MR);
    int Q = (OH - 1) * wp + OW, Qr = roundUp(Q, NR);
    int P = OH * OW;
    int plane = hp * wp;
    // DYq [O, Qr]: dy with zero junk columns
    float[] dyq = Workspace.get(Workspace.CONV_DYQ, O * Qr + NR);
    Arrays.fill(dyq, 0, O * Qr + NR, 0f);
    int dyOff = n * g.outPlane();
    for (int o = 0; o < O; o++) {
      for (int oh = 0; oh < OH; oh++) {
        copy(dy, dyOff + o * P + oh * OW, dyq, o * Qr + oh * wp, OW);
      }
    }
    float[] dxp = Workspace.get(Workspace.CONV_DXP, C * plane + NR);
    Arrays.fill(dxp, 0, C * plane + NR, 0f);
    float[] col = Workspace.get(Workspace.CONV_OUT, Kr * NR);
    for (int jr = 0; jr < Qr; jr += NR) {
      for (int ir = 0; ir < Kr; ir += MR) {
        kernelB(O, ap, ir * O, dyq, jr, roDy, 0, col, ir * NR, NR, false);
      }
      int nq = Math.min(NR, Q - jr);
      if (nq == NR) {
        for (int r = 0; r < K; r++) {
          int d = ro[r] + jr, cs = r * NR;
          FloatVector.fromArray(S, dxp, d).add(FloatVector.fromArray(S, col, cs)).intoArray(dxp, d);
          FloatVector.fromArray(S, dxp, d + V).add(FloatVector.fromArray(S, col, cs + V)).intoArray(dxp, d + V);
        }
      } else {
        for (int r = 0; r < K; r++) {
          int d = ro[r] + jr, cs = r * NR;
          for (int j = 0; j < nq; j++) {
            dxp[d + j] += col[cs + j];
          }
        }
      }
    }
    int H = g.inH(), W = g.inW();
    int dxOff = n * g.inPlane();
    for (int c = 0; c < C; c++) {
      for (int h = 0; h < H; h++) {
        copy(dxp, c * plane + (h + g.padTop()) * wp + g.padLeft(), dx, dxOff + (c * H + h) * W, W);
      }
    }
  }

  // ----------------------------------------------------------------------------------- backward weight

  /** Size of one chunk's partial result (see {@link #backwardWeightChunk}). */
  static int partialSize(Conv2dGeometry g) {
    int O = g.outChannels(), K = g.patchSize();
    return dotForm(g) ? O * K + O : roundUp(K, MR) * roundUp(O, NR) + O;
  }

  private static boolean dotForm(Conv2dGeometry g) {
    return g.patchSize() <= 32;
  }

  /** part (zeroed by the caller) receives this chunk's weight gradient and bias gradient (layout private). */
  static void backwardWeightChunk(Conv2dGeometry g, float[] x, float[] dy, float[] part, int s, int e) {
    int hp = g.inH() + g.padTop() + g.padBottom(), wp = g.inW() + g.padLeft() + g.padRight();
    int O = g.outChannels(), K = g.patchSize(), OH = g.outH(), OW = g.outW();
    int P = OH * OW;
    int Q = (OH - 1) * wp + OW;
    int Or2 = roundUp(O, NR), Kr = roundUp(K, MR);
    boolean dot = dotForm(g);
    int biasOff = dot ? O * K : Kr * Or2;
    int[] ro = rowOffsets(g, hp, wp); // this thread's own copy
    int[] gatherIdx = ints(2, V);
    for (int i = 0; i < V; i++) {
      gatherIdx[i] = i * P;
    }
    if (dot) {
      // tiny patch: im2col (K rows of P) and dot products of contiguous rows; dy is read in place
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      int[] roCol = ints(1, K);
      for (int r = 0; r < K; r++) {
        roCol[r] = r * P;
      }
      for (int n = s; n < e; n++) {
        ConvKernels.im2col(g, x, n * g.inPlane(), col);
        dots(O, K, P, dy, n * g.outPlane(), P, col, 0, roCol, part, biasOff);
      }
      return;
    }
    for (int n = s; n < e; n++) {
      float[] src;
      int base;
      int xOff = n * g.inPlane();
      if (inPlace(g, x, n, hp, wp)) {
        src = x;
        base = xOff;
      } else {
        src = padImage(g, x, n, hp, wp);
        base = 0;
      }
      int dyOff = n * g.outPlane();
      for (int o = 0; o < O; o++) {
        part[biasOff + o] += sum(dy, dyOff + o * P, P);
      }
      {
        // B = DYq^T packed in NR-wide panels over o: bp[(o / NR) * Q * NR + q * NR + o % NR]
        float[] bp = Workspace.get(Workspace.CONV_DYQ, Or2 * Q);
        packDyT(dy, dyOff, O, P, OH, OW, wp, Q, bp, gatherIdx);
        for (int ir = 0; ir < Kr; ir += MR) {
          int o0 = base + ro[Math.min(ir, K - 1)], o1 = base + ro[Math.min(ir + 1, K - 1)];
          int o2 = base + ro[Math.min(ir + 2, K - 1)], o3 = base + ro[Math.min(ir + 3, K - 1)];
          int o4 = base + ro[Math.min(ir + 4, K - 1)], o5 = base + ro[Math.min(ir + 5, K - 1)];
          int o6 = base + ro[Math.min(ir + 6, K - 1)], o7 = base + ro[Math.min(ir + 7, K - 1)];
          for (int jr = 0; jr < Or2; jr += NR) {
            kernelA(Q, src, o0, o1, o2, o3, o4, o5, o6, o7, bp, jr * Q, part, ir * Or2 + jr, Or2);
          }
        }
      }
    }
  }

  /** dw[o*K + r] += part (in the layout of {@link #backwardWeightChunk}); dBias too when not null. */
  static void addPartial(Conv2dGeometry g, float[] part, float[] dw, float[] dBias) {
    int O = g.outChannels(), K = g.patchSize();
    if (dotForm(g)) {
      for (int i = 0; i < O * K; i++) {
        dw[i] += part[i];
      }
    } else {
      int Or2 = roundUp(O, NR);
      for (int o = 0; o < O; o++) {
        for (int r = 0; r < K; r++) {
          dw[o * K + r] += part[r * Or2 + o];
        }
      }
    }
    if (dBias != null) {
      int bo = dotForm(g) ? O * K : roundUp(K, MR) * roundUp(O, NR);
      for (int o = 0; o < O; o++) {
        dBias[o] += part[bo + o];
      }
    }
  }

  /**
   * part[o*K + r] += dot(dyq[aOff + o*ld ...], src[base + ro[r] ...]) over q in [0, Q), and
   * part[biasOff + o] += the sum of dyq's row o.
   */
  static void dots(int O, int K, int Q, float[] dyq, int aOff, int ld, float[] src, int base, int[] ro,
                           float[] part, int biasOff) {
    int Qv = Q - Q % V;
    float[] lanes = VectorLanes.scratch();
    int o = 0;
    for (; o + 4 <= O; o += 4) {
      int a0 = aOff + o * ld, a1 = a0 + ld, a2 = a1 + ld, a3 = a2 + ld;
      for (int i = 0; i < 4; i++) {
        part[biasOff + o + i] += sum(dyq, aOff + (o + i) * ld, Q);
      }
      int r = 0;
      for (; r + 3 <= K; r += 3) {
        int b0 = base + ro[r], b1 = base + ro[r + 1], b2 = base + ro[r + 2];
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        int q = 0;
        for (; q < Qv; q += V) {
          FloatVector x0 = FloatVector.fromArray(S, src, b0 + q);
          FloatVector x1 = FloatVector.fromArray(S, src, b1 + q);
          FloatVector x2 = FloatVector.fromArray(S, src, b2 + q);
          FloatVector d = FloatVector.fromArray(S, dyq, a0 + q);
          c00 = d.fma(x0, c00);
          c01 = d.fma(x1, c01);
          c02 = d.fma(x2, c02);
          d = FloatVector.fromArray(S, dyq, a1 + q);
          c10 = d.fma(x0, c10);
          c11 = d.fma(x1, c11);
          c12 = d.fma(x2, c12);
          d = FloatVector.fromArray(S, dyq, a2 + q);
          c20 = d.fma(x0, c20);
          c21 = d.fma(x1, c21);
          c22 = d.fma(x2, c22);
          d = FloatVector.fromArray(S, dyq, a3 + q);
          c30 = d.fma(x0, c30);
          c31 = d.fma(x1, c31);
          c32 = d.fma(x2, c32);
        }
        // through an array: a vector argument of VectorLanes.sum would be boxed here (C2 stops inlining)
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, V);
        c02.intoArray(lanes, 2 * V);
        c10.intoArray(lanes, 3 * V);
        c11.intoArray(lanes, 4 * V);
        c12.intoArray(lanes, 5 * V);
        c20.intoArray(lanes, 6 * V);
        c21.intoArray(lanes, 7 * V);
        c22.intoArray(lanes, 8 * V);
        c30.intoArray(lanes, 9 * V);
        c31.intoArray(lanes, 10 * V);
        c32.intoArray(lanes, 11 * V);
        float s00 = VectorLanes.sum(lanes, 0), s01 = VectorLanes.sum(lanes, V);
        float s02 = VectorLanes.sum(lanes, 2 * V), s10 = VectorLanes.sum(lanes, 3 * V);
        float s11 = VectorLanes.sum(lanes, 4 * V), s12 = VectorLanes.sum(lanes, 5 * V);
        float s20 = VectorLanes.sum(lanes, 6 * V), s21 = VectorLanes.sum(lanes, 7 * V);
        float s22 = VectorLanes.sum(lanes, 8 * V), s30 = VectorLanes.sum(lanes, 9 * V);
        float s31 = VectorLanes.sum(lanes, 10 * V), s32 = VectorLanes.sum(lanes, 11 * V);
        for (; q < Q; q++) {
          float x0 = src[b0 + q], x1 = src[b1 + q], x2 = src[b2 + q];
          float d0 = dyq[a0 + q], d1 = dyq[a1 + q], d2 = dyq[a2 + q], d3 = dyq[a3 + q];
          s00 += d0 * x0;
          s01 += d0 * x1;
          s02 += d0 * x2;
          s10 += d1 * x0;
          s11 += d1 * x1;
          s12 += d1 * x2;
          s20 += d2 * x0;
          s21 += d2 * x1;
          s22 += d2 * x2;
          s30 += d3 * x0;
          s31 += d3 * x1;
          s32 += d3 * x2;
        }
        part[o * K + r] += s00;
        part[o * K + r + 1] += s01;
        part[o * K + r + 2] += s02;
        part[(o + 1) * K + r] += s10;
        part[(o + 1) * K + r + 1] += s11;
        part[(o + 1) * K + r + 2] += s12;
        part[(o + 2) * K + r] += s20;
        part[(o + 2) * K + r + 1] += s21;
        part[(o + 2) * K + r + 2] += s22;
        part[(o + 3) * K + r] += s30;
        part[(o + 3) * K + r + 1] += s31;
        part[(o + 3) * K + r + 2] += s32;
      }
      for (; r < K; r++) {
        for (int i = 0; i < 4; i++) {
          part[(o + i) * K + r] += dot1(dyq, aOff + (o + i) * ld, src, base + ro[r], Q, Qv);
        }
      }
    }
    for (; o < O; o++) {
      part[biasOff + o] += sum(dyq, aOff + o * ld, Q);
      for (int r = 0; r < K; r++) {
        part[o * K + r] += dot1(dyq, aOff + o * ld, src, base + ro[r], Q, Qv);
      }
    }
  }

  private static float dot1(float[] a, int ai, float[] b, int bi, int n, int nv) {
    FloatVector acc = FloatVector.zero(S);
    int q = 0;
    for (; q < nv; q += V) {
      acc = FloatVector.fromArray(S, a, ai + q).fma(FloatVector.fromArray(S, b, bi + q), acc);
    }
    float s = VectorLanes.sum(acc);
    for (; q < n; q++) {
      s += a[ai + q] * b[bi + q];
    }
    return s;
  }

  /**
   * bp[(o / NR) * Q * NR + q * NR + o % NR] = dy[dyOff + o*P + oh*OW + ow] for q = oh*wp + ow (ow < OW), 0 for
   * the junk columns and the padding rows o >= O: each group of V channels at one position is one gather.
   */
  private static void packDyT(float[] dy, int dyOff, int O, int P, int OH, int OW, int wp, int Q, float[] bp,
                              int[] idx) {
    FloatVector zero = FloatVector.zero(S);
    for (int o0 = 0; o0 < roundUp(O, NR); o0 += V) {
      int panel = (o0 / NR) * Q * NR + o0 % NR;
      int lanes = Math.min(V, O - o0);
      if (lanes <= 0) {
        for (int q = 0; q < Q; q++) {
          zero.intoArray(bp, panel + q * NR);
        }
        continue;
      }
      int src = dyOff + o0 * P;
      for (int oh = 0; oh < OH; oh++) {
        int q0 = oh * wp;
        for (int ow = 0; ow < OW; ow++) {
          int d = panel + (q0 + ow) * NR;
          if (lanes == V) {
            FloatVector.fromArray(S, dy, src + oh * OW + ow, idx, 0).intoArray(bp, d);
          } else { // a masked gather still range-checks every lane
            for (int i = 0; i < V; i++) {
              bp[d + i] = i < lanes ? dy[src + i * P + oh * OW + ow] : 0f;
            }
          }
        }
        for (int q = q0 + OW, qe = Math.min(Q, q0 + wp); q < qe; q++) {
          zero.intoArray(bp, panel + q * NR);
        }
      }
    }
  }

  /**
   * Short row copy (vector + masked tail): cheaper than System.arraycopy for a few dozen floats. A masked
   * access whose full vector would cross an array's end takes the Vector API's per-lane bounds check, and
   * once C2 has seen it taken it compiles that slow path into the loop; the tail at an array's end is
   * therefore copied element by element.
   */
  static void copy(float[] src, int s, float[] dst, int d, int len) {
    int i = 0;
    for (; i <= len - V; i += V) {
      FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
    }
    if (i < len && s + i + V <= src.length && d + i + V <= dst.length) {
      VectorMask<Float> m = S.indexInRange(i, len);
      FloatVector.fromArray(S, src, s + i, m).intoArray(dst, d + i, m);
    } else {
      for (; i < len; i++) {
        dst[d + i] = src[s + i];
      }
    }
  }

  /** Sum of a[off, off+len) with vector partial sums (a fixed order: deterministic). */
  static float sum(float[] a, int off, int len) {
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i <= len - 2 * V; i += 2 * V) {
      acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
      acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + V));
    }
    float s = VectorLanes.sum(acc0.add(acc1));
    for (; i < len; i++) {
      s += a[off + i];
    }
    return s;
  }

  // ------------------------------------------------------------------------------------- micro-kernels

  /**
   * C[8 x NR] (=|+=) A panel (packed, ap[ai + p*MR + i]) x B rows read in place: row p of B starts at
   * src[base + ro[rOff + p]].
   */
  static void kernelB(int kc, float[] ap, int ai, float[] src, int base, int[] ro, int rOff, float[] c, int ci,
                      int ldc, boolean acc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
    FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
    FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
    FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
    FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
    FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
    FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
    FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int bq = base + ro[rOff + p];
      int aq = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(S, src, bq);
      FloatVector b1 = FloatVector.fromArray(S, src, bq + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[aq]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, ap[aq + 1]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, ap[aq + 2]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, ap[aq + 3]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, ap[aq + 4]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, ap[aq + 5]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      FloatVector a6 = FloatVector.broadcast(S, ap[aq + 6]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      FloatVector a7 = FloatVector.broadcast(S, ap[aq + 7]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
    }
    if (acc) {
      c0_0 = c0_0.add(FloatVector.fromArray(S, c, ci));
      c0_1 = c0_1.add(FloatVector.fromArray(S, c, ci + V));
      c1_0 = c1_0.add(FloatVector.fromArray(S, c, ci + 1 * ldc));
      c1_1 = c1_1.add(FloatVector.fromArray(S, c, ci + 1 * ldc + V));
      c2_0 = c2_0.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
      c2_1 = c2_1.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V));
      c3_0 = c3_0.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
      c3_1 = c3_1.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V));
      c4_0 = c4_0.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
      c4_1 = c4_1.add(FloatVector.fromArray(S, c, ci + 4 * ldc + V));
      c5_0 = c5_0.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
      c5_1 = c5_1.add(FloatVector.fromArray(S, c, ci + 5 * ldc + V));
      c6_0 = c6_0.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
      c6_1 = c6_1.add(FloatVector.fromArray(S, c, ci + 6 * ldc + V));
      c7_0 = c7_0.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
      c7_1 = c7_1.add(FloatVector.fromArray(S, c, ci + 7 * ldc + V));
    }
    c0_0.intoArray(c, ci);
    c0_1.intoArray(c, ci + V);
    c1_0.intoArray(c, ci + 1 * ldc);
    c1_1.intoArray(c, ci + 1 * ldc + V);
    c2_0.intoArray(c, ci + 2 * ldc);
    c2_1.intoArray(c, ci + 2 * ldc + V);
    c3_0.intoArray(c, ci + 3 * ldc);
    c3_1.intoArray(c, ci + 3 * ldc + V);
    c4_0.intoArray(c, ci + 4 * ldc);
    c4_1.intoArray(c, ci + 4 * ldc + V);
    c5_0.intoArray(c, ci + 5 * ldc);
    c5_1.intoArray(c, ci + 5 * ldc + V);
    c6_0.intoArray(c, ci + 6 * ldc);
    c6_1.intoArray(c, ci + 6 * ldc + V);
    c7_0.intoArray(c, ci + 7 * ldc);
    c7_1.intoArray(c, ci + 7 * ldc + V);
  }

  /** The half-width (8 x V) variant of {@link #kernelB} for the last columns of a row of panels. */
  static void kernelB1(int kc, float[] ap, int ai, float[] src, int base, int[] ro, int rOff, float[] c, int ci,
                       int ldc, boolean acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      FloatVector b0 = FloatVector.fromArray(S, src, base + ro[rOff + p]);
      int aq = ai + p * MR;
      c0 = FloatVector.broadcast(S, ap[aq]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, ap[aq + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, ap[aq + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, ap[aq + 3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, ap[aq + 4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, ap[aq + 5]).fma(b0, c5);
      c6 = FloatVector.broadcast(S, ap[aq + 6]).fma(b0, c6);
      c7 = FloatVector.broadcast(S, ap[aq + 7]).fma(b0, c7);
    }
    if (acc) {
      c0 = c0.add(FloatVector.fromArray(S, c, ci));
      c1 = c1.add(FloatVector.fromArray(S, c, ci + 1 * ldc));
      c2 = c2.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
      c3 = c3.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
      c4 = c4.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
      c5 = c5.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
      c6 = c6.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
      c7 = c7.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + 1 * ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
    c4.intoArray(c, ci + 4 * ldc);
    c5.intoArray(c, ci + 5 * ldc);
    c6.intoArray(c, ci + 6 * ldc);
    c7.intoArray(c, ci + 7 * ldc);
  }

  /**
   * C[8 x NR] += A x B over k = kc, with A row i read in place at src[o_i + p] and B packed (bp[bi + p*NR + j]).
   */
  static void kernelA(int kc, float[] src, int o0, int o1, int o2, int o3, int o4, int o5, int o6, int o7,
                      float[] bp, int bi, float[] c, int ci, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
    FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
    FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
    FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
    FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
    FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
    FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
    FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int bq = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + V);
      FloatVector a0 = FloatVector.broadcast(S, src[o0 + p]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, src[o1 + p]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, src[o2 + p]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, src[o3 + p]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, src[o4 + p]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, src[o5 + p]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      FloatVector a6 = FloatVector.broadcast(S, src[o6 + p]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      FloatVector a7 = FloatVector.broadcast(S, src[o7 + p]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
    }
    c0_0 = c0_0.add(FloatVector.fromArray(S, c, ci));
    c0_1 = c0_1.add(FloatVector.fromArray(S, c, ci + V));
    c1_0 = c1_0.add(FloatVector.fromArray(S, c, ci + 1 * ldc));
    c1_1 = c1_1.add(FloatVector.fromArray(S, c, ci + 1 * ldc + V));
    c2_0 = c2_0.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
    c2_1 = c2_1.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V));
    c3_0 = c3_0.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
    c3_1 = c3_1.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V));
    c4_0 = c4_0.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
    c4_1 = c4_1.add(FloatVector.fromArray(S, c, ci + 4 * ldc + V));
    c5_0 = c5_0.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
    c5_1 = c5_1.add(FloatVector.fromArray(S, c, ci + 5 * ldc + V));
    c6_0 = c6_0.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
    c6_1 = c6_1.add(FloatVector.fromArray(S, c, ci + 6 * ldc + V));
    c7_0 = c7_0.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
    c7_1 = c7_1.add(FloatVector.fromArray(S, c, ci + 7 * ldc + V));
    c0_0.intoArray(c, ci);
    c0_1.intoArray(c, ci + V);
    c1_0.intoArray(c, ci + 1 * ldc);
    c1_1.intoArray(c, ci + 1 * ldc + V);
    c2_0.intoArray(c, ci + 2 * ldc);
    c2_1.intoArray(c, ci + 2 * ldc + V);
    c3_0.intoArray(c, ci + 3 * ldc);
    c3_1.intoArray(c, ci + 3 * ldc + V);
    c4_0.intoArray(c, ci + 4 * ldc);
    c4_1.intoArray(c, ci + 4 * ldc + V);
    c5_0.intoArray(c, ci + 5 * ldc);
    c5_1.intoArray(c, ci + 5 * ldc + V);
    c6_0.intoArray(c, ci + 6 * ldc);
    c6_1.intoArray(c, ci + 6 * ldc + V);
    c7_0.intoArray(c, ci + 7 * ldc);
    c7_1.intoArray(c, ci + 7 * ldc + V);
  }
}
