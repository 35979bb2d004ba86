package org.cnn4j.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms
 * for Convolutional Neural Networks", 2016): 16 multiplies per 2x2 output tile and input channel instead of
 * 36, so the GEMM work drops 2.25x. Loaded only when {@link VectorSupport#ENABLED}.
 *
 * <p>Per 4x4 input tile {@code d} (outputs overlap by 2) and 3x3 kernel {@code g}:
 * {@code Y = A^T [ (G g G^T) . (B^T d B) ] A}, with
 * <pre>
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
 *   A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 * Summing over input channels turns the elementwise product into 16 independent GEMMs, one per position
 * {@code xi} of the 4x4 transform domain: {@code M[xi] (O x T) = U[xi] (O x C) x V[xi] (C x T)} over T tiles.
 * The backward passes are the exact adjoints of the same chain:
 * <ul>
 *   <li>{@code dM = A dY A^T} per output tile (the "grad transform");</li>
 *   <li>input gradient: {@code dV[xi] = U[xi]^T x dM[xi]}, then {@code dd = B dV B^T} scatter-added over
 *       the overlapping input tiles;</li>
 *   <li>weight gradient: {@code dU[xi] += dM[xi] x V[xi]^T} (k = tiles: long GEMMs), then
 *       {@code dg = G^T dU G} once, after the chunks are reduced.</li>
 * </ul>
 *
 * <p>Layout: a block of whole images (sized so its transformed input and products stay in L2) keeps its
 * tiles compact, {@code t = (th * images + image) * TW + tw}; {@code V}, {@code M}, {@code dM}, {@code dV}
 * are {@code [16][rows][ld]} with tiles contiguous (and a cache line between positions, {@link Block#plane}),
 * so the GEMMs read B rows in place with {@link ConvShifted#kernelB}. The transforms run on V tiles at a
 * time along a "strip": the block's images side by side in one zero-padded plane, image k's padded columns
 * starting at {@code 2k(TW + 1)}, so one tile row of the whole block is a uniform row of 4x4 windows two
 * columns apart (the one window between neighbouring images is junk). The 4 input rows of V windows are
 * 2V + 2 contiguous columns, split into even and odd columns by two-vector permutes ({@code selectFrom});
 * results are compressed to the valid tiles on the way into the GEMM buffers and expanded on the way out,
 * so small maps (FashionCNN's 6 tiles a row, ResNet's 4 and 2) still fill most lanes. Each image's output
 * depends only on that image and the weight gradient on the fixed chunking, so results are deterministic for
 * a given thread count. Rounding differs from the direct sum (the transforms add and halve), well inside
 * float tolerance for these sizes.
 */
final class ConvWinograd {
  private ConvWinograd() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();
  private static final int MR = ConvShifted.MR;
  private static final int NR = ConvShifted.NR;
  /** Transform-domain positions: the 4x4 tile. */
  private static final int XI = 16;

  /** Switch off with -Dcnn4j.conv.winograd=false (for comparisons). */
  private static final boolean ENABLED = !"false".equals(System.getProperty("cnn4j.conv.winograd"));
  /** Below this many input or output channels the transforms cost more than the GEMM saves. */
  static final int MIN_CHANNELS = 16;
  /** Floats of transformed input plus products per block: about 1 MB, inside a core's 2 MB L2. */
  private static final int BLOCK_FLOATS = 1 << 18;
  /** The gap after each transform position's matrix (see {@link Block#plane}): one 64-byte line. */
  private static final int PLANE_PAD = 16;

  private static final FloatVector EVEN = VectorLanes.EVEN;
  private static final FloatVector ODD = VectorLanes.ODD;
  private static final FloatVector INTERLEAVE_LO = VectorLanes.INTERLEAVE_LO;
  private static final FloatVector INTERLEAVE_HI = VectorLanes.INTERLEAVE_HI;

  private static final ChunkPartials PARTIALS = new ChunkPartials();
  private static final ThreadLocal<int[]> ROW_OFFSETS = ThreadLocal.withInitial(() -> new int[0]);

  static boolean applies(Conv2dGeometry g) {
    return ENABLED && V >= 4 && g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 1 && g.strideW() == 1
        && g.inChannels() >= MIN_CHANNELS && g.outChannels() >= MIN_CHANNELS;
  }

  /**
   * Whether the weight gradient should take this path too: its GEMMs multiply two tile-major operands
   * (k = tiles), so both are packed (transposed) every block, (O + C) floats for every O * C multiply-adds.
   * That pays with many channels, or where the stride-1 implicit GEMM does not apply and im2col would, or
   * on small maps (at most 12x12 outputs) with a moderate channel count: there the implicit GEMM runs one
   * short product per image (k = the padded plane, with junk columns). Measured, Winograd / implicit:
   * 32->64 at 12x12 2.02 / 2.39 ms (FashionCNN conv2, batch 100), 64->64 at 8x8 1.08 / 1.53 ms, 64->64 at
   * 12x12 2.31 / 2.98 ms; but 32->32 at 8x8 0.81 / 0.41 ms, 16->16 at 12x12 0.34 / 0.29 ms, 64->64 at
   * 32x32 47 / 21 ms.
   */
  static boolean weightGradientPays(Conv2dGeometry g) {
    long O = g.outChannels(), C = g.inChannels();
    boolean smallMap = g.outH() * g.outW() <= 144;
    return O * C >= 64 * (O + C) || smallMap && O * C >= 20 * (O + C) || !ConvShifted.applies(g);
  }

  /**
   * Tiling of a block of {@code images} images: {@code th x tw} output tiles per image; one tile row of
   * the strip has {@code images * (tw + 1)} windows (the last of each image is junk) in {@code runs} runs of
   * V. The padded input (and input-gradient) strip is {@code hp x wp}, the output (and output-gradient) strip
   * {@code ho x wo}. Run r of a tile row keeps the windows in the bits of {@code lanes[r]}, and its first
   * valid tile is {@code start[r]} tiles into the row's compact tiles.
   */
  private static final class Block {
    final int th, tw, images, runs, hp, wp, ho, wo, tiles, ld;
    final long[] lanes;
    final int[] start;

    Block(Conv2dGeometry g, int images) {
      th = (g.outH() + 1) / 2;
      tw = (g.outW() + 1) / 2;
      this.images = images;
      int windows = images * (tw + 1) - 1; // no junk window after the last image
      runs = (windows + V - 1) / V;
      hp = 2 * th + 2;
      wp = 2 * V * runs + 2; // run r reads columns [2rV, 2rV + 2V + 2)
      ho = 2 * th;
      wo = 2 * V * runs;
      tiles = th * images * tw;
      ld = ConvShifted.roundUp(tiles, NR) + V; // + V: a run's full-width store past the last tile
      lanes = new long[runs];
      start = new int[runs];
      for (int r = 0; r < runs; r++) {
        int s0 = r * V;
        start[r] = s0 / (tw + 1) * tw + Math.min(s0 % (tw + 1), tw);
        for (int j = 0; j < V; j++) {
          int s = s0 + j;
          if (s < windows && s % (tw + 1) != tw) {
            lanes[r] |= 1L << j;
          }
        }
      }
    }

    /**
     * Images per block: the transformed input and products of one block fit {@link #BLOCK_FLOATS}, but a
     * block has at least 2 NR tiles (the GEMMs compute whole NR-wide panels).
     */
    static int images(Conv2dGeometry g) {
      int tiles = ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
      int perImage = XI * (g.inChannels() + g.outChannels()) * tiles;
      int fit = BLOCK_FLOATS / perImage, wide = (2 * NR + tiles - 1) / tiles;
      return Math.max(1, Math.min(g.batch(), Math.max(fit, wide)));
    }

    /** The first strip column of image k (its padded input plane, and its output plane). */
    int imageColumn(int k) {
      return 2 * k * (tw + 1);
    }

    /** The compact index of run r's first valid tile in tile row {@code row}. */
    int tile(int row, int r) {
      return row * images * tw + start[r];
    }

    /**
     * Floats from one transform position's {@code rows x ld} matrix to the next: one cache line more than
     * the rows, so that the 16 rows a transform reads or writes per tile (one per position) fall into 16
     * different L1 sets. Without it, {@code rows * ld} floats is a multiple of 4 KB for the common channel
     * counts (64 x 176 = 11 pages): all 16 land in one 12-way set and evict each other.
     */
    int plane(int rows) {
      return rows * ld + PLANE_PAD;
    }

  }

  private static int[] rowOffsets(int rows, int ld) {
    int[] ro = ROW_OFFSETS.get();
    if (ro.length < rows) {
      ro = new int[rows];
      ROW_OFFSETS.set(ro);
    }
    for (int r = 0; r < rows; r++) {
      ro[r] = r * ld;
    }
    return ro;
  }

  /**
   * {@code rows} rows of {@code len} floats from src (row stride ss) to dst (row stride ds). Rows of at most
   * V floats into contiguous rows ({@code ds == len}) are written with full stores, in order, each one's
   * extra lanes overwritten by the next rows; only the last rows are masked.
   */
  private static void copyRows(float[] src, int s, int ss, float[] dst, int d, int ds, int len, int rows) {
    if (len > V) {
      for (int i = 0; i < rows; i++) {
        ConvShifted.copy(src, s + i * ss, dst, d + i * ds, len);
      }
      return;
    }
    VectorMask<Float> m = S.indexInRange(0, len);
    int spillEnd = ds == len ? d + rows * len : -1; // contiguous rows: a full store's extra lanes land on later rows
    for (int i = 0; i < rows; i++) {
      int a = s + i * ss, b = d + i * ds;
      if (b + V <= spillEnd && a + V <= src.length) {
        FloatVector.fromArray(S, src, a).intoArray(dst, b);
      } else if (a + V <= src.length && b + V <= dst.length) {
        FloatVector.fromArray(S, src, a, m).intoArray(dst, b, m);
      } else { // a masked access crossing an array's end takes the slow bounds check (see ConvShifted.copy)
        System.arraycopy(src, a, dst, b, len);
      }
    }
  }

  // ------------------------------------------------------------------------------------------- forward

  static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
    int O = g.outChannels(), C = g.inChannels(), Or = ConvShifted.roundUp(O, MR), uPlane = weightPlane(O, C);
    float[] u = Workspace.get(Workspace.WINO_U, XI * uPlane);
    transformWeights(g, w, u, false);
    int perBlock = Block.images(g);
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      for (int n0 = s; n0 < e; n0 += perBlock) {
        Block b = new Block(g, Math.min(perBlock, e - n0));
        float[] vb = Workspace.get(Workspace.WINO_V, XI * b.plane(C));
        float[] mb = Workspace.get(Workspace.WINO_M, XI * b.plane(Or));
        transformInput(g, b, x, n0, vb);
        multiply(u, uPlane, Or, C, vb, b.plane(C), mb, b.plane(Or), b.ld);
        transformOutput(g, b, mb, Or, n0, bias, relu, y);
      }
    });
  }

  /**
   * The 16 GEMMs of a block: {@code out[xi] (rowsR x ld) = A[xi] (rowsR x k) x in[xi] (k x ld)} for each
   * transform position xi, A packed as {@link #transformWeights} writes it ({@code aPlane} floats per
   * position), in and out row-major {@code [16][rows][ld]} with positions {@code inPlane} and
   * {@code outPlane} floats apart (whole NR-wide panels up to ld - V).
   */
  private static void multiply(float[] a, int aPlane, int rowsR, int k, float[] in, int inPlane, float[] out,
                               int outPlane, int ld) {
    int[] ro = rowOffsets(k, ld);
    for (int xi = 0; xi < XI; xi++) {
      for (int ir = 0; ir < rowsR; ir += MR) {
        int ai = xi * aPlane + ir * k;
        for (int jr = 0; jr < ld - V; jr += NR) {
          ConvShifted.kernelB(k, a, ai, in, xi * inPlane + jr, ro, 0, out, xi * outPlane + ir * ld + jr, ld, false);
        }
      }
    }
  }

  /** Floats per transform position of the packed weights: rows rounded up to MR, times k, plus the pad. */
  private static int weightPlane(int rows, int k) {
    return ConvShifted.roundUp(rows, MR) * k + PLANE_PAD;
  }

  /**
   * U = G g G^T for every (o, c), packed as the A operand of {@link ConvShifted#kernelB}, position xi at
   * {@code xi * weightPlane(rows, k)}: for the forward (O rows, k = C) {@code u[xi*plane + (o - o%MR)*C +
   * c*MR + o%MR]}; {@code transposed} for the input gradient (C rows, k = O) {@code u[xi*plane + (c - c%MR)*O
   * + o*MR + c%MR]}. Padding rows are zero.
   */
  private static void transformWeights(Conv2dGeometry g, float[] w, float[] u, boolean transposed) {
    int rows = transposed ? g.inChannels() : g.outChannels(), k = transposed ? g.outChannels() : g.inChannels();
    // 40 operations per weight: split over the row panels (disjoint writes) from 2 x 2048 weights on, so that
    // ResNet-18's 64 -> 64 layers (4096 weights) use both threads too
    Parallel.forRange((rows + MR - 1) / MR, Math.max(1, 256 / k),
        (p0, p1) -> transformWeights(g, w, u, transposed, p0, p1));
  }

  /**
   * Row panels [p0, p1) of {@link #transformWeights}; padding rows get zeros. The MR rows of a panel are the
   * inner loop: they are adjacent in every position's plane, so each of the 16 output streams is written in
   * order (row-outer wrote 16 lines per weight a stride apart and came back to each line MR times, 2.2% of a
   * ResNet-18 step).
   */
  private static void transformWeights(Conv2dGeometry g, float[] w, float[] u, boolean transposed, int p0, int p1) {
    int O = g.outChannels(), C = g.inChannels();
    int rows = transposed ? C : O, k = transposed ? O : C, plane = weightPlane(rows, k);
    float[] t = new float[12];
    for (int panel = p0; panel < p1; panel++) {
      int row0 = panel * MR;
      for (int col = 0; col < k; col++) {
        int d0 = row0 * k + col * MR;
        for (int r = 0; r < MR; r++) {
          int row = row0 + r, d = d0 + r;
          if (row >= rows) {
            for (int xi = 0; xi < XI; xi++) {
              u[xi * plane + d] = 0f;
            }
            continue;
          }
          int src = ((transposed ? col : row) * C + (transposed ? row : col)) * 9;
          // G g: 4 rows of 3
          for (int j = 0; j < 3; j++) {
            float g0 = w[src + j], g1 = w[src + 3 + j], g2 = w[src + 6 + j];
            t[j] = g0;
            t[3 + j] = (g0 + g1 + g2) * 0.5f;
            t[6 + j] = (g0 - g1 + g2) * 0.5f;
            t[9 + j] = g2;
          }
          // (G g) G^T: each row (a, b, c) becomes (a, (a + b + c) / 2, (a - b + c) / 2, c)
          for (int i = 0; i < 4; i++) {
            float a = t[3 * i], b = t[3 * i + 1], c = t[3 * i + 2];
            int xi = 4 * i;
            u[xi * plane + d] = a;
            u[(xi + 1) * plane + d] = (a + b + c) * 0.5f;
            u[(xi + 2) * plane + d] = (a - b + c) * 0.5f;
            u[(xi + 3) * plane + d] = c;
          }
        }
      }
    }
  }

  /** V = B^T d B for the block's tiles into vb[xi*plane(C) + c*ld + t]; columns past the tiles are zeroed. */
  private static void transformInput(Conv2dGeometry g, Block b, float[] x, int n0, float[] vb) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), hp = b.hp, wp = b.wp, ld = b.ld;
    float[] xp = Workspace.get(Workspace.WINO_PLANE, hp * wp);
    int stride = b.plane(C);
    for (int c = 0; c < C; c++) {
      Arrays.fill(xp, 0, hp * wp, 0f);
      for (int k = 0; k < b.images; k++) {
        copyRows(x, ((n0 + k) * C + c) * H * W, W, xp, g.padTop() * wp + b.imageColumn(k) + g.padLeft(), wp, W, H);
      }
      for (int th = 0; th < b.th; th++) {
        for (int r = 0; r < b.runs; r++) {
          int off = 2 * th * wp + 2 * r * V, d = c * ld + b.tile(th, r);
          for (int ti = 0; ti < 4; ti++) {
            inputRow(xp, off, wp, ti, b.lanes[r], vb, d + 4 * ti * stride, stride);
          }
        }
      }
    }
    zeroTail(vb, C, b, stride);
  }

  /**
   * Row {@code ti} of B^T d B for V windows: the B^T row applied to the windows' 4 input rows (r0 - r2,
   * r1 + r2, r2 - r1, r1 - r3), then the same along each window's 4 columns; the valid windows are
   * compressed into 4 rows of vb (the lanes stored past them are overwritten by the next run).
   */
  private static void inputRow(float[] xp, int off, int wp, int ti, long lanes, float[] vb, int d, int stride) {
    VectorMask<Float> valid = VectorMask.fromLong(S, lanes);
    int first = ti == 0 ? 0 : ti == 2 ? 2 : 1;
    int second = ti == 3 ? 3 : ti == 2 ? 1 : 2;
    FloatVector sign = FloatVector.broadcast(S, ti == 1 ? 1f : -1f);
    int a = off + first * wp, b = off + second * wp;
    // first + sign * second (exact product, one rounding: the same as the add or subtract)
    FloatVector lo = FloatVector.fromArray(S, xp, b).fma(sign, FloatVector.fromArray(S, xp, a));
    FloatVector hi = FloatVector.fromArray(S, xp, b + V).fma(sign, FloatVector.fromArray(S, xp, a + V));
    FloatVector lo2 = FloatVector.fromArray(S, xp, b + 2).fma(sign, FloatVector.fromArray(S, xp, a + 2));
    FloatVector hi2 = FloatVector.fromArray(S, xp, b + 2 + V).fma(sign, FloatVector.fromArray(S, xp, a + 2 + V));
    FloatVector c0 = EVEN.selectFrom(lo, hi), c1 = ODD.selectFrom(lo, hi);
    FloatVector c2 = EVEN.selectFrom(lo2, hi2), c3 = ODD.selectFrom(lo2, hi2);
    c0.sub(c2).compress(valid).intoArray(vb, d);
    c1.add(c2).compress(valid).intoArray(vb, d + stride);
    c2.sub(c1).compress(valid).intoArray(vb, d + 2 * stride);
    c1.sub(c3).compress(valid).intoArray(vb, d + 3 * stride);
  }

  /** y = A^T M A (+ bias, ReLU) from mb[xi*plane(Or) + o*ld + t], through the output strip. */
  private static void transformOutput(Conv2dGeometry g, Block b, float[] mb, int Or, int n0, float[] bias,
                                      boolean relu, float[] y) {
    int O = g.outChannels(), OH = g.outH(), OW = g.outW(), P = OH * OW, wo = b.wo, ld = b.ld;
    float[] yp = Workspace.get(Workspace.WINO_PLANE, b.ho * wo);
    int stride = b.plane(Or);
    for (int o = 0; o < O; o++) {
      float bo = bias == null ? 0f : bias[o];
      for (int th = 0; th < b.th; th++) {
        for (int r = 0; r < b.runs; r++) {
          int m = o * ld + b.tile(th, r), d = 2 * th * wo + 2 * r * V;
          outputRow(mb, m, stride, 0, b.lanes[r], bo, relu, yp, d);
          outputRow(mb, m, stride, 1, b.lanes[r], bo, relu, yp, d + wo);
        }
      }
      for (int k = 0; k < b.images; k++) {
        copyRows(yp, b.imageColumn(k), wo, y, ((n0 + k) * O + o) * P, OW, OW, OH);
      }
    }
  }

  /**
   * Output row {@code a} of A^T M A for one run (A^T row 0: m0 + m1 + m2, row 1: m1 - m2 - m3, over the
   * tile's rows, then its columns), plus bias and ReLU, interleaved into 2V columns of yp.
   */
  private static void outputRow(float[] mb, int m, int stride, int a, long lanes, float bias, boolean relu,
                                float[] yp, int d) {
    VectorMask<Float> valid = VectorMask.fromLong(S, lanes);
    FloatVector sign = FloatVector.broadcast(S, a == 0 ? 1f : -1f);
    // column j: m[i0][j] + sign * m[i1][j] + sign * m[i2][j] over the rows i0..i2 of A^T row a
    int i0 = m + 4 * a * stride, i1 = i0 + 4 * stride, i2 = i1 + 4 * stride;
    FloatVector s0 = FloatVector.fromArray(S, mb, i2).fma(sign,
        FloatVector.fromArray(S, mb, i1).fma(sign, FloatVector.fromArray(S, mb, i0)));
    FloatVector s1 = FloatVector.fromArray(S, mb, i2 + stride).fma(sign,
        FloatVector.fromArray(S, mb, i1 + stride).fma(sign, FloatVector.fromArray(S, mb, i0 + stride)));
    FloatVector s2 = FloatVector.fromArray(S, mb, i2 + 2 * stride).fma(sign,
        FloatVector.fromArray(S, mb, i1 + 2 * stride).fma(sign, FloatVector.fromArray(S, mb, i0 + 2 * stride)));
    FloatVector s3 = FloatVector.fromArray(S, mb, i2 + 3 * stride).fma(sign,
        FloatVector.fromArray(S, mb, i1 + 3 * stride).fma(sign, FloatVector.fromArray(S, mb, i0 + 3 * stride)));
    // computed on the compact tiles (linear, so lane order does not matter), then spread to the windows
    FloatVector b = FloatVector.broadcast(S, bias);
    FloatVector y0 = s0.add(s1).add(s2).expand(valid).add(b);
    FloatVector y1 = s1.sub(s2).sub(s3).expand(valid).add(b);
    if (relu) {
      y0 = y0.max(0f);
      y1 = y1.max(0f);
    }
    INTERLEAVE_LO.selectFrom(y0, y1).intoArray(yp, d);
    INTERLEAVE_HI.selectFrom(y0, y1).intoArray(yp, d + V);
  }

  // ------------------------------------------------------------------------------------------ backward

  /** dM = A dY A^T for the block's tiles into dmb[xi*plane(O) + o*ld + t]; columns past the tiles are zeroed. */
  private static void transformGrad(Conv2dGeometry g, Block b, float[] dy, int n0, float[] dmb) {
    int O = g.outChannels(), OH = g.outH(), OW = g.outW(), P = OH * OW, wo = b.wo, ho = b.ho, ld = b.ld;
    float[] dyp = Workspace.get(Workspace.WINO_PLANE, ho * wo);
    int stride = b.plane(O);
    for (int o = 0; o < O; o++) {
      Arrays.fill(dyp, 0, ho * wo, 0f);
      for (int k = 0; k < b.images; k++) {
        copyRows(dy, ((n0 + k) * O + o) * P, OW, dyp, b.imageColumn(k), wo, OW, OH);
      }
      for (int th = 0; th < b.th; th++) {
        for (int r = 0; r < b.runs; r++) {
          gradTiles(dyp, 2 * th * wo + 2 * r * V, wo, b.lanes[r], dmb, o * ld + b.tile(th, r), stride);
        }
      }
    }
    zeroTail(dmb, O, b, stride);
  }

  /**
   * A dY A^T for one run: each window's 2x2 output gradient expands along columns to (e, e + o, e - o, -o)
   * and the same along rows; the valid windows are compressed into the 16 rows of dmb.
   */
  private static void gradTiles(float[] dyp, int off, int wo, long lanes, float[] dmb, int d, int stride) {
    VectorMask<Float> valid = VectorMask.fromLong(S, lanes);
    FloatVector lo0 = FloatVector.fromArray(S, dyp, off), hi0 = FloatVector.fromArray(S, dyp, off + V);
    FloatVector lo1 = FloatVector.fromArray(S, dyp, off + wo), hi1 = FloatVector.fromArray(S, dyp, off + wo + V);
    // compress first: the rest is linear, so it runs on the compact tiles
    FloatVector e0 = EVEN.selectFrom(lo0, hi0).compress(valid), o0 = ODD.selectFrom(lo0, hi0).compress(valid);
    FloatVector e1 = EVEN.selectFrom(lo1, hi1).compress(valid), o1 = ODD.selectFrom(lo1, hi1).compress(valid);
    // A rows: q0, q0 + q1, q0 - q1, -q1 (q = the (e, o) pair of a tile row), each expanded along columns
    // to (e, e + o, e - o, -o)
    FloatVector ea = e0.add(e1), oa = o0.add(o1), es = e0.sub(e1), os = o0.sub(o1), en = e1.neg(), on = o1.neg();
    e0.intoArray(dmb, d);
    e0.add(o0).intoArray(dmb, d + stride);
    e0.sub(o0).intoArray(dmb, d + 2 * stride);
    o0.neg().intoArray(dmb, d + 3 * stride);
    ea.intoArray(dmb, d + 4 * stride);
    ea.add(oa).intoArray(dmb, d + 5 * stride);
    ea.sub(oa).intoArray(dmb, d + 6 * stride);
    oa.neg().intoArray(dmb, d + 7 * stride);
    es.intoArray(dmb, d + 8 * stride);
    es.add(os).intoArray(dmb, d + 9 * stride);
    es.sub(os).intoArray(dmb, d + 10 * stride);
    os.neg().intoArray(dmb, d + 11 * stride);
    en.intoArray(dmb, d + 12 * stride);
    en.add(on).intoArray(dmb, d + 13 * stride);
    en.sub(on).intoArray(dmb, d + 14 * stride);
    o1.intoArray(dmb, d + 15 * stride); // -(-q1's o)
  }

  static void backwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    int O = g.outChannels(), C = g.inChannels(), Cr = ConvShifted.roundUp(C, MR), uPlane = weightPlane(C, O);
    float[] ut = Workspace.get(Workspace.WINO_U, XI * uPlane);
    transformWeights(g, w, ut, true);
    int perBlock = Block.images(g);
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      for (int n0 = s; n0 < e; n0 += perBlock) {
        Block b = new Block(g, Math.min(perBlock, e - n0));
        float[] dmb = Workspace.get(Workspace.WINO_M, XI * b.plane(O));
        float[] dvb = Workspace.get(Workspace.WINO_V, XI * b.plane(Cr));
        transformGrad(g, b, dy, n0, dmb);
        multiply(ut, uPlane, Cr, O, dmb, b.plane(O), dvb, b.plane(Cr), b.ld);
        transformInputGrad(g, b, dvb, Cr, n0, dx);
      }
    });
  }

  /** dx = the sum over tiles of B dV B^T (tiles overlap by 2), from dvb[xi*plane(Cr) + c*ld + t]; dx overwritten. */
  private static void transformInputGrad(Conv2dGeometry g, Block b, float[] dvb, int Cr, int n0, float[] dx) {
    int C = g.inChannels(), H = g.inH(), W = g.inW(), hp = b.hp, wp = b.wp, ld = b.ld;
    float[] dxp = Workspace.get(Workspace.WINO_PLANE, hp * wp);
    float[] rows = Workspace.get(Workspace.WINO_ROWS, XI * V);
    int stride = b.plane(Cr);
    for (int c = 0; c < C; c++) {
      Arrays.fill(dxp, 0, hp * wp, 0f);
      for (int th = 0; th < b.th; th++) {
        for (int r = 0; r < b.runs; r++) {
          int v = c * ld + b.tile(th, r), d = 2 * th * wp + 2 * r * V;
          for (int j = 0; j < 4; j++) {
            inputGradColumn(dvb, v + j * stride, 4 * stride, rows, j);
          }
          for (int a = 0; a < 4; a++) {
            inputGradRow(rows, a, b.lanes[r], dxp, d + a * wp);
          }
        }
      }
      for (int k = 0; k < b.images; k++) {
        copyRows(dxp, g.padTop() * wp + b.imageColumn(k) + g.padLeft(), wp, dx, ((n0 + k) * C + c) * H * W, W, W, H);
      }
    }
  }

  /**
   * B applied along the tiles' rows for transform column j, on the compact tiles: from dV[0..3][j] (rows
   * {@code stride} apart), rows[a][j] for a = 0..3 is (v0, v1 - v2 + v3, -v0 + v1 + v2, -v3).
   */
  private static void inputGradColumn(float[] dvb, int v, int stride, float[] rows, int j) {
    FloatVector v0 = FloatVector.fromArray(S, dvb, v), v1 = FloatVector.fromArray(S, dvb, v + stride);
    FloatVector v2 = FloatVector.fromArray(S, dvb, v + 2 * stride);
    FloatVector v3 = FloatVector.fromArray(S, dvb, v + 3 * stride);
    v0.intoArray(rows, j * V);
    v1.sub(v2).add(v3).intoArray(rows, (4 + j) * V);
    v1.add(v2).sub(v0).intoArray(rows, (8 + j) * V);
    v3.neg().intoArray(rows, (12 + j) * V);
  }

  /**
   * B along the columns of row a of the run's tiles, spread from the compact tiles to the windows (the
   * junk windows and the lanes past the run get zero) and added into the strip: window w covers columns
   * 2w..2w+3, so neighbours overlap.
   */
  private static void inputGradRow(float[] rows, int a, long lanes, float[] dxp, int d) {
    VectorMask<Float> valid = VectorMask.fromLong(S, lanes);
    int r = 4 * a * V;
    FloatVector e0 = FloatVector.fromArray(S, rows, r), e1 = FloatVector.fromArray(S, rows, r + V);
    FloatVector e2 = FloatVector.fromArray(S, rows, r + 2 * V), e3 = FloatVector.fromArray(S, rows, r + 3 * V);
    FloatVector d0 = e0.expand(valid), d1 = e1.sub(e2).add(e3).expand(valid);
    FloatVector d2 = e1.add(e2).sub(e0).expand(valid), d3 = e3.neg().expand(valid);
    // columns 2w, 2w+1 get (d0, d1); columns 2w+2, 2w+3 get (d2, d3)
    FloatVector.fromArray(S, dxp, d).add(INTERLEAVE_LO.selectFrom(d0, d1)).intoArray(dxp, d);
    FloatVector.fromArray(S, dxp, d + V).add(INTERLEAVE_HI.selectFrom(d0, d1)).intoArray(dxp, d + V);
    FloatVector.fromArray(S, dxp, d + 2).add(INTERLEAVE_LO.selectFrom(d2, d3)).intoArray(dxp, d + 2);
    FloatVector.fromArray(S, dxp, d + 2 + V).add(INTERLEAVE_HI.selectFrom(d2, d3)).intoArray(dxp, d + 2 + V);
  }

  /** dw += G^T dU G with dU = sum over tiles of dM[xi] V[xi]^T; dBias += the sums of dy. */
  static void backwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, boolean overwrite, float[] dBias) {
    int O = g.outChannels(), C = g.inChannels(), P = g.outH() * g.outW();
    int perBlock = Block.images(g);
    int uSize = XI * O * C, partSize = uSize + O;
    int chunks = Parallel.chunks(g.batch(), 1);
    float[][] parts = PARTIALS.get(chunks, partSize);
    Parallel.forRange(g.batch(), 1, (s, e) -> {
      float[] part = parts[Parallel.chunkIndex(g.batch(), chunks, s)];
      Arrays.fill(part, 0, partSize, 0f);
      for (int n0 = s; n0 < e; n0 += perBlock) {
        int images = Math.min(perBlock, e - n0);
        Block b = new Block(g, images);
        int ld = b.ld, tiles = b.tiles, vPlane = b.plane(C), mPlane = b.plane(O);
        float[] vb = Workspace.get(Workspace.WINO_V, XI * vPlane);
        float[] dmb = Workspace.get(Workspace.WINO_M, XI * mPlane);
        transformInput(g, b, x, n0, vb);
        transformGrad(g, b, dy, n0, dmb);
        for (int xi = 0; xi < XI; xi++) {
          Gemm.sgemmSerial(false, true, O, C, tiles, 1f, dmb, xi * mPlane, ld, vb, xi * vPlane, ld, 1f, part,
              xi * O * C, C);
        }
        for (int n = n0; n < n0 + images; n++) {
          for (int o = 0; o < O; o++) {
            part[uSize + o] += ConvShifted.sum(dy, (n * O + o) * P, P);
          }
        }
      }
    });
    // The chunks' sums into parts[0] (contiguous ranges, in chunk order: the result does not depend on which
    // thread adds which range), then dg = G^T dU G split over output channels (disjoint rows of dw).
    float[] du = parts[0];
    if (chunks > 1) {
      Parallel.forRange(partSize, 1 << 14, (i0, i1) -> {
        for (int k = 1; k < chunks; k++) {
          float[] part = parts[k];
          for (int i = i0; i < i1; i++) {
            du[i] += part[i];
          }
        }
      });
    }
    Parallel.forRange(O, Math.max(1, 4096 / (XI * C)), (o0, o1) -> {
      float[] t = new float[12];
      int step = O * C;
      for (int o = o0; o < o1; o++) {
        for (int c = 0; c < C; c++) {
          int u = o * C + c;
          // G^T along the rows: 4x4 -> 3x4
          for (int j = 0; j < 4; j++) {
            float u0 = du[j * step + u], u1 = du[(4 + j) * step + u];
            float u2 = du[(8 + j) * step + u], u3 = du[(12 + j) * step + u];
            t[j] = u0 + (u1 + u2) * 0.5f;
            t[4 + j] = (u1 - u2) * 0.5f;
            t[8 + j] = (u1 + u2) * 0.5f + u3;
          }
          int dst = u * 9;
          for (int r = 0; r < 3; r++) {
            float u0 = t[4 * r], u1 = t[4 * r + 1], u2 = t[4 * r + 2], u3 = t[4 * r + 3];
            float d0 = u0 + (u1 + u2) * 0.5f, d1 = (u1 - u2) * 0.5f, d2 = (u1 + u2) * 0.5f + u3;
            if (overwrite) {
              dw[dst + 3 * r] = d0;
              dw[dst + 3 * r + 1] = d1;
              dw[dst + 3 * r + 2] = d2;
            } else {
              dw[dst + 3 * r] += d0;
              dw[dst + 3 * r + 1] += d1;
              dw[dst + 3 * r + 2] += d2;
            }
          }
        }
      }
    });
    if (dBias != null) {
      for (int o = 0; o < O; o++) {
        dBias[o] += du[uSize + o];
      }
    }
  }

  /** Zeroes columns [tiles, ld) of the rows of every position's matrix (the GEMMs read whole NR panels). */
  private static void zeroTail(float[] buf, int rows, Block b, int plane) {
    for (int xi = 0; xi < XI; xi++) {
      for (int r = 0; r < rows; r++) {
        int row = xi * plane + r * b.ld;
        Arrays.fill(buf, row + b.tiles, row + b.ld, 0f);
      }
    }
  }
}
