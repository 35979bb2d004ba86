package org.cnn4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * BLIS-style GEMM on the Vector API (loaded only when {@link VectorSupport#ENABLED}).
 *
 * <p>Loop nest (row-major C, vectors run along n): {@code jc} (NC columns) -> {@code pc} (KC) -> pack
 * op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels -> {@code ic} (MC rows) -> pack op(A)[ic:ic+mc, pc:pc+kc]
 * into MR-tall panels -> {@code ir} -> {@code jr} (A_OUTER; else jr -> ir) -> the 8x2V FMA micro-kernel.
 * Transposition is handled by the packing routines (register transposes where 16 lanes allow); edges (and k
 * up to a multiple of {@link #KU}) are zero-padded in the packed panels, and every tile is written back through
 * a small tile buffer. The k-summation order of every element is the same for any split of C across threads, so
 * results do not depend on the thread count.
 *
 * <p>The packed B block lives off-heap, 64-byte aligned, so that each of the micro-kernel's vector loads
 * reads one cache line: a Java array's data sits at an unknown offset from a line boundary, and loads that
 * split two lines cost ~10% at 2048^3 (244-256 -> 267-273 GFLOP/s on 2 threads, alternated runs). The
 * kernel's B offsets keep the form C2 needs to hoist the segment bounds check (see {@link #kernel}).
 *
 * <p>The micro-kernel is written out in full (8 rows x 2 vectors = 16 named accumulators) because C2
 * keeps such locals in registers; arrays of vectors would not be. With {@code A_OUTER} (default) the
 * A micro-panel (8 x KC) stays in L1 while the packed B block (KC x NC) streams from L2; KC=768, MC=96,
 * NC=256 were measured best on the 2-core AVX-512 Xeon (see cnn4j-bench/RESULTS.md).
 */
final class GemmVector {
  private GemmVector() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();
  static final int MR = 8;
  static final int NR = 2 * V;
  /**
   * k steps per micro-kernel iteration. Packed panels are zero-padded to a multiple of KU in k so that the kernel
   * has no remainder loop: a one-step remainder copy made the method too big for C1's profiling tier, which then
   * failed ("out of virtual registers") and could leave the kernel in C1 code for good.
   */
  static final int KU = 4;
  static final int KC = roundUp(Integer.getInteger("cnn4j.gemm.kc", 768), KU);
  static final int MC = roundUp(Integer.getInteger("cnn4j.gemm.mc", 96), MR);
  static final boolean A_OUTER = !"false".equals(System.getProperty("cnn4j.gemm.aouter"));
  static final int NC = roundUp(Integer.getInteger("cnn4j.gemm.nc", 256), NR);

  /**
   * Gather-based packing where the register transposes do not fit the vector width (A's 8x16, B^T's 16x16) and
   * for B^T's last kc % 16 steps (-Dcnn4j.gemm.gatherpack=false: the scalar loops there).
   */
  static final boolean GATHER_PACK = !"false".equals(System.getProperty("cnn4j.gemm.gatherpack"));

  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

  /** Per thread, the packed B block: 64-byte aligned off-heap memory, grown as needed (GC frees outgrown ones). */
  private static final ThreadLocal<MemorySegment[]> B_PANEL = ThreadLocal.withInitial(() -> new MemorySegment[1]);

  private static MemorySegment bPanel(int floats) {
    MemorySegment[] holder = B_PANEL.get();
    MemorySegment seg = holder[0];
    if (seg == null || seg.byteSize() < 4L * floats) {
      long grown = seg == null ? 0 : seg.byteSize() + seg.byteSize() / 2;
      seg = Arena.ofAuto().allocate(Math.max(4L * floats, grown), 64);
      holder[0] = seg;
    }
    return seg;
  }

  private static final ThreadLocal<int[]> GATHER_IDX = ThreadLocal.withInitial(() -> new int[V + 1]);

  /** {0, ld, 2*ld, ...} (V lanes), cached per thread for the last ld. */
  private static int[] gatherIndex(int ld) {
    int[] idx = GATHER_IDX.get();
    if (idx[V] != ld || idx[1] != ld) {
      for (int i = 0; i < V; i++) {
        idx[i] = i * ld;
      }
      idx[V] = ld;
    }
    return idx;
  }

  private static final ThreadLocal<int[]> GATHER_IDX_A = ThreadLocal.withInitial(() -> new int[V + 1]);

  /** Lane l: (l % MR) * ld + l / MR (MR rows, V / MR consecutive columns), cached per thread for the last ld. */
  private static int[] gatherIndexA(int ld) {
    int[] idx = GATHER_IDX_A.get();
    if (idx[V] != ld || idx[1] != ld) {
      for (int l = 0; l < V; l++) {
        idx[l] = (l % MR) * ld + l / MR;
      }
      idx[V] = ld;
    }
    return idx;
  }

  static int roundUp(int x, int q) {
    return (x + q - 1) / q * q;
  }

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc, boolean parallel) {
    if (parallel) {
      int t = Parallel.threads();
      int nTiles = (n + NR - 1) / NR;
      int mTiles = (m + MR - 1) / MR;
      if (nTiles >= 2 * t || nTiles >= mTiles) {
        Parallel.forRange(nTiles, 1, (s, e) -> {
          int j0 = s * NR, j1 = Math.min(n, e * NR);
          serial(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b,
              transB ? bOff + j0 * ldb : bOff + j0, ldb, beta, c, cOff + j0, ldc);
        });
      } else {
        Parallel.forRange(mTiles, 1, (s, e) -> {
          int i0 = s * MR, i1 = Math.min(m, e * MR);
          serial(transA, transB, i1 - i0, n, k, alpha, a, transA ? aOff + i0 : aOff + i0 * lda, lda, b, bOff, ldb,
              beta, c, cOff + i0 * ldc, ldc);
        });
      }
    } else {
      serial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  static void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
    int kcMax = roundUp(Math.min(KC, k), KU);
    MemorySegment bp = bPanel(kcMax * roundUp(Math.min(NC, n), NR));
    float[] ap = Workspace.get(Workspace.GEMM_A, kcMax * roundUp(Math.min(MC, m), MR));
    float[] tile = Workspace.get(Workspace.GEMM_TILE, MR * NR);
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        int kp = roundUp(kc, KU);
        float betaEff = pc == 0 ? beta : 1f;
        packB(transB, b, bOff, ldb, pc, kc, kp, jc, nc, bp);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          packA(transA, a, aOff, lda, ic, mc, pc, kc, kp, ap);
          if (A_OUTER) {
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              int ci = cOff + (ic + ir) * ldc + jc;
              for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                kernel(kp, ap, ir * kp, bp, jr * kp, c, ci + jr, ldc, alpha, betaEff, mr, nr, tile);
              }
            }
          } else {
            for (int jr = 0; jr < nc; jr += NR) {
              int nr = Math.min(NR, nc - jr);
              int cj = cOff + jc + jr;
              for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                kernel(kp, ap, ir * kp, bp, jr * kp, c, cj + (ic + ir) * ldc, ldc, alpha, betaEff, mr, nr, tile);
              }
            }
          }
        }
      }
    }
  }

  /**
   * ap[(i / MR) * kp * MR + p * MR + i % MR] = op(A)[ic + i, pc + p], zero-padded to a multiple of MR rows and
   * from kc to kp steps.
   */
  static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, int kp,
                    float[] ap) {
    if (transA) {
      packATransposed(a, aOff, lda, ic, mc, pc, kc, kp, ap);
      return;
    }
    for (int i0 = 0; i0 < mc; i0 += MR) {
      int mr = Math.min(MR, mc - i0);
      int base = i0 * kp;
      java.util.Arrays.fill(ap, base + kc * MR, base + kp * MR, 0f);
      if (mr == MR && (V == 2 * MR || GATHER_PACK && V % MR == 0)) {
        // stored A is m x k: with 16 lanes, 8 rows x 16 k transposed in registers (three zip stages); with other
        // widths V / MR consecutive k of the MR rows per gather (lane l: row l % MR, k + l / MR)
        int src = aOff + (ic + i0) * lda + pc, p = 0;
        if (V == 2 * MR) {
          for (; p + V <= kc; p += V) {
            transpose8(a, src + p, lda, ap, base + p * MR);
          }
        } else {
          int[] idx = gatherIndexA(lda);
          for (int steps = V / MR; p + steps <= kc; p += steps) {
            FloatVector.fromArray(S, a, src + p, idx, 0).intoArray(ap, base + p * MR);
          }
        }
        for (; p < kc; p++) {
          for (int r = 0; r < MR; r++) {
            ap[base + p * MR + r] = a[src + r * lda + p];
          }
        }
      } else {
        for (int r = 0; r < mr; r++) {
          int src = aOff + (ic + i0 + r) * lda + pc;
          int d = base + r;
          for (int p = 0; p < kc; p++) {
            ap[d + p * MR] = a[src + p];
          }
        }
        for (int r = mr; r < MR; r++) {
          for (int p = 0; p < kc; p++) {
            ap[base + r + p * MR] = 0f;
          }
        }
      }
    }
  }

  /**
   * With 16 lanes, one load of a row feeds two panels: lanes 0-7 stored to the first, 8-15 to the second. (Not a
   * 256-bit species for 8 lanes: a second FloatVector shape pollutes the type profiles of the Vector API's shared
   * code, and in some runs C2 then compiled ResNet-18's kernels without their intrinsics, allocating 40-70 MB a step.)
   */
  private static final VectorMask<Float> FIRST_PANEL = S.indexInRange(0, MR), SECOND_PANEL = FIRST_PANEL.not();

  /** Rows of a stored k x m A dealt to the panels per pass: they stay in L1 while each panel takes its part. */
  private static final int AT_ROWS = Integer.getInteger("cnn4j.gemm.atrows", 32);

  /**
   * {@link #packA} for a stored A of k x m, whose row p holds op(A)[*, p]: each row's mc elements are read once, in
   * order, and dealt MR at a time to the panels. Panel by panel (MR elements per row at stride lda) the reads
   * crossed the block once per panel: TN 1152x128x256 (ResNet l3.0's input gradient) ran at 109 GFLOP/s on one
   * thread against NN's 149.
   */
  private static void packATransposed(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, int kp,
                                      float[] ap) {
    int full = mc / MR * MR, tail = mc - full;
    for (int p0 = 0; p0 < kc; p0 += AT_ROWS) {
      int p1 = Math.min(kc, p0 + AT_ROWS);
      int i0 = 0;
      if (V == 2 * MR) {
        for (; i0 + 2 * MR <= full; i0 += 2 * MR) {
          int d = i0 * kp, d2 = (i0 + MR) * kp - MR, src = aOff + pc * lda + ic + i0;
          for (int p = p0; p < p1; p++) {
            FloatVector v = FloatVector.fromArray(S, a, src + p * lda);
            v.intoArray(ap, d + p * MR, FIRST_PANEL);
            v.intoArray(ap, d2 + p * MR, SECOND_PANEL);
          }
        }
      }
      for (; i0 < full; i0 += MR) {
        int d = i0 * kp, src = aOff + pc * lda + ic + i0;
        for (int p = p0; p < p1; p++) {
          System.arraycopy(a, src + p * lda, ap, d + p * MR, MR);
        }
      }
      for (int p = p0; tail > 0 && p < p1; p++) {
        int d = full * kp + p * MR;
        System.arraycopy(a, aOff + (pc + p) * lda + ic + full, ap, d, tail);
        java.util.Arrays.fill(ap, d + tail, d + MR, 0f);
      }
    }
    for (int i0 = 0; i0 < mc; i0 += MR) {
      java.util.Arrays.fill(ap, i0 * kp + kc * MR, i0 * kp + kp * MR, 0f);
    }
  }

  private static final FloatVector ZIP1_LO = VectorLanes.INTERLEAVE_LO;
  private static final FloatVector ZIP1_HI = VectorLanes.INTERLEAVE_HI;
  private static final FloatVector ZIP2_LO = VectorLanes.INTERLEAVE2_LO;
  private static final FloatVector ZIP2_HI = VectorLanes.INTERLEAVE2_HI;
  private static final FloatVector ZIP4_LO = VectorLanes.INTERLEAVE4_LO;
  private static final FloatVector ZIP4_HI = VectorLanes.INTERLEAVE4_HI;

  /**
   * {@code dst[d + p * 8 + r] = a[src + r * lda + p]} for 8 rows r and V (= 16) columns p: 8 row loads, then
   * three stages of two-vector zips (lanes, pairs, quads: 24 permutes) and 8 stores. In place of 8 gathers:
   * A's packing went from 7.9% to 5.4% of a 2048^3 GEMM's samples (it is bound by reading A from L3).
   */
  private static void transpose8(float[] a, int src, int lda, float[] dst, int d) {
    FloatVector r0 = FloatVector.fromArray(S, a, src), r1 = FloatVector.fromArray(S, a, src + lda);
    FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * lda), r3 = FloatVector.fromArray(S, a, src + 3 * lda);
    FloatVector r4 = FloatVector.fromArray(S, a, src + 4 * lda), r5 = FloatVector.fromArray(S, a, src + 5 * lda);
    FloatVector r6 = FloatVector.fromArray(S, a, src + 6 * lda), r7 = FloatVector.fromArray(S, a, src + 7 * lda);
    // rows 2i, 2i+1 zipped: (k0: r, r'), (k1: r, r'), ... for k 0-7 (lo) and 8-15 (hi)
    FloatVector a0 = ZIP1_LO.selectFrom(r0, r1), a1 = ZIP1_HI.selectFrom(r0, r1);
    FloatVector a2 = ZIP1_LO.selectFrom(r2, r3), a3 = ZIP1_HI.selectFrom(r2, r3);
    FloatVector a4 = ZIP1_LO.selectFrom(r4, r5), a5 = ZIP1_HI.selectFrom(r4, r5);
    FloatVector a6 = ZIP1_LO.selectFrom(r6, r7), a7 = ZIP1_HI.selectFrom(r6, r7);
    // rows 0-3 and 4-7 per k: k 0-3, 4-7, 8-11, 12-15
    FloatVector b0 = ZIP2_LO.selectFrom(a0, a2), b1 = ZIP2_HI.selectFrom(a0, a2);
    FloatVector b2 = ZIP2_LO.selectFrom(a1, a3), b3 = ZIP2_HI.selectFrom(a1, a3);
    FloatVector b4 = ZIP2_LO.selectFrom(a4, a6), b5 = ZIP2_HI.selectFrom(a4, a6);
    FloatVector b6 = ZIP2_LO.selectFrom(a5, a7), b7 = ZIP2_HI.selectFrom(a5, a7);
    // all 8 rows per k, two k per vector
    ZIP4_LO.selectFrom(b0, b4).intoArray(dst, d);
    ZIP4_HI.selectFrom(b0, b4).intoArray(dst, d + V);
    ZIP4_LO.selectFrom(b1, b5).intoArray(dst, d + 2 * V);
    ZIP4_HI.selectFrom(b1, b5).intoArray(dst, d + 3 * V);
    ZIP4_LO.selectFrom(b2, b6).intoArray(dst, d + 4 * V);
    ZIP4_HI.selectFrom(b2, b6).intoArray(dst, d + 5 * V);
    ZIP4_LO.selectFrom(b3, b7).intoArray(dst, d + 6 * V);
    ZIP4_HI.selectFrom(b3, b7).intoArray(dst, d + 7 * V);
  }

  /**
   * Float {@code (j / NR) * kp * NR + p * NR + j % NR} of bp = op(B)[pc + p, jc + j], zero-padded to a multiple
   * of NR columns and from kc to kp steps. Full panels are stored with vectors; the others are packed on the heap
   * and copied over in one bulk copy (per-element segment stores keep a bounds check each).
   */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int kp, int jc, int nc,
                    MemorySegment bp) {
    for (int j0 = 0; j0 < nc; j0 += NR) {
      int nr = Math.min(NR, nc - j0);
      long base = 4L * j0 * kp;
      if (kp > kc) {
        bp.asSlice(base + 4L * kc * NR, 4L * (kp - kc) * NR).fill((byte) 0);
      }
      if (!transB && nr == NR) {
        int src = bOff + pc * ldb + jc + j0;
        for (int p = 0; p < kc; p++, src += ldb) {
          long d = base + (long) p * (4 * NR);
          FloatVector.fromArray(S, b, src + 0 * V).intoMemorySegment(bp, d, NATIVE);
          FloatVector.fromArray(S, b, src + 1 * V).intoMemorySegment(bp, d + 4 * V, NATIVE);
        }
      } else if (transB && nr == NR && (V == 16 || GATHER_PACK)) {
        // stored B is n x k. With 16 lanes, 16 rows x 16 k are transposed in registers; the rest (other widths,
        // the last kc % 16 steps) are V-row gathers, one per p and half panel (the V rows are read at
        // consecutive k, so each gather's lines stay in L1 across p), or scalar stores without GATHER_PACK
        int src = bOff + (jc + j0) * ldb + pc;
        int src2 = src + V * ldb;
        int p = 0;
        if (V == 16) {
          for (; p + V <= kc; p += V) {
            long d = base + (long) p * (4 * NR);
            transpose16(b, src + p, ldb, bp, d);
            transpose16(b, src2 + p, ldb, bp, d + 4 * V);
          }
        }
        if (GATHER_PACK && p < kc) {
          int[] idx = gatherIndex(ldb);
          for (; p < kc; p++) {
            long d = base + (long) p * (4 * NR);
            FloatVector.fromArray(S, b, src + p, idx, 0).intoMemorySegment(bp, d, NATIVE);
            FloatVector.fromArray(S, b, src2 + p, idx, 0).intoMemorySegment(bp, d + 4 * V, NATIVE);
          }
        }
        for (; p < kc; p++) {
          for (int j = 0; j < NR; j++) {
            bp.set(FLOAT, base + 4L * (p * NR + j), b[src + j * ldb + p]);
          }
        }
      } else {
        float[] panel = Workspace.get(Workspace.GEMM_B_EDGE, kc * NR);
        packPanelScalar(transB, b, bOff, ldb, pc, kc, jc + j0, nr, panel);
        MemorySegment.copy(panel, 0, bp, FLOAT, base, kc * NR);
      }
    }
  }

  /**
   * Stores column q of the 16 x 16 block {@code b[src + r * ldb + q]} (r, q < 16) as 16 floats at byte
   * {@code d + q * 4 * NR} of bp: the packing of a transposed B. Four perfect shuffles (row i zipped with row
   * i + 8 into rows 2i, 2i + 1) rotate the 8 index bits of the block by 4, which transposes it: 64 two-vector
   * permutes in place of 16 gathers of 16 lines each.
   */
  private static void transpose16(float[] b, int src, int ldb, MemorySegment bp, long d) {
    FloatVector r0 = FloatVector.fromArray(S, b, src + 0 * ldb);
    FloatVector r1 = FloatVector.fromArray(S, b, src + 1 * ldb);
    FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * ldb);
    FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * ldb);
    FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * ldb);
    FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * ldb);
    FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * ldb);
    FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * ldb);
    FloatVector r8 = FloatVector.fromArray(S, b, src + 8 * ldb);
    FloatVector r9 = FloatVector.fromArray(S, b, src + 9 * ldb);
    FloatVector r10 = FloatVector.fromArray(S, b, src + 10 * ldb);
    FloatVector r11 = FloatVector.fromArray(S, b, src + 11 * ldb);
    FloatVector r12 = FloatVector.fromArray(S, b, src + 12 * ldb);
    FloatVector r13 = FloatVector.fromArray(S, b, src + 13 * ldb);
    FloatVector r14 = FloatVector.fromArray(S, b, src + 14 * ldb);
    FloatVector r15 = FloatVector.fromArray(S, b, src + 15 * ldb);
    FloatVector s0 = ZIP1_LO.selectFrom(r0, r8), s1 = ZIP1_HI.selectFrom(r0, r8);
    FloatVector s2 = ZIP1_LO.selectFrom(r1, r9), s3 = ZIP1_HI.selectFrom(r1, r9);
    FloatVector s4 = ZIP1_LO.selectFrom(r2, r10), s5 = ZIP1_HI.selectFrom(r2, r10);
    FloatVector s6 = ZIP1_LO.selectFrom(r3, r11), s7 = ZIP1_HI.selectFrom(r3, r11);
    FloatVector s8 = ZIP1_LO.selectFrom(r4, r12), s9 = ZIP1_HI.selectFrom(r4, r12);
    FloatVector s10 = ZIP1_LO.selectFrom(r5, r13), s11 = ZIP1_HI.selectFrom(r5, r13);
    FloatVector s12 = ZIP1_LO.selectFrom(r6, r14), s13 = ZIP1_HI.selectFrom(r6, r14);
    FloatVector s14 = ZIP1_LO.selectFrom(r7, r15), s15 = ZIP1_HI.selectFrom(r7, r15);
    FloatVector t0 = ZIP1_LO.selectFrom(s0, s8), t1 = ZIP1_HI.selectFrom(s0, s8);
    FloatVector t2 = ZIP1_LO.selectFrom(s1, s9), t3 = ZIP1_HI.selectFrom(s1, s9);
    FloatVector t4 = ZIP1_LO.selectFrom(s2, s10), t5 = ZIP1_HI.selectFrom(s2, s10);
    FloatVector t6 = ZIP1_LO.selectFrom(s3, s11), t7 = ZIP1_HI.selectFrom(s3, s11);
    FloatVector t8 = ZIP1_LO.selectFrom(s4, s12), t9 = ZIP1_HI.selectFrom(s4, s12);
    FloatVector t10 = ZIP1_LO.selectFrom(s5, s13), t11 = ZIP1_HI.selectFrom(s5, s13);
    FloatVector t12 = ZIP1_LO.selectFrom(s6, s14), t13 = ZIP1_HI.selectFrom(s6, s14);
    FloatVector t14 = ZIP1_LO.selectFrom(s7, s15), t15 = ZIP1_HI.selectFrom(s7, s15);
    FloatVector u0 = ZIP1_LO.selectFrom(t0, t8), u1 = ZIP1_HI.selectFrom(t0, t8);
    FloatVector u2 = ZIP1_LO.selectFrom(t1, t9), u3 = ZIP1_HI.selectFrom(t1, t9);
    FloatVector u4 = ZIP1_LO.selectFrom(t2, t10), u5 = ZIP1_HI.selectFrom(t2, t10);
    FloatVector u6 = ZIP1_LO.selectFrom(t3, t11), u7 = ZIP1_HI.selectFrom(t3, t11);
    FloatVector u8 = ZIP1_LO.selectFrom(t4, t12), u9 = ZIP1_HI.selectFrom(t4, t12);
    FloatVector u10 = ZIP1_LO.selectFrom(t5, t13), u11 = ZIP1_HI.selectFrom(t5, t13);
    FloatVector u12 = ZIP1_LO.selectFrom(t6, t14), u13 = ZIP1_HI.selectFrom(t6, t14);
    FloatVector u14 = ZIP1_LO.selectFrom(t7, t15), u15 = ZIP1_HI.selectFrom(t7, t15);
    FloatVector w0 = ZIP1_LO.selectFrom(u0, u8), w1 = ZIP1_HI.selectFrom(u0, u8);
    FloatVector w2 = ZIP1_LO.selectFrom(u1, u9), w3 = ZIP1_HI.selectFrom(u1, u9);
    FloatVector w4 = ZIP1_LO.selectFrom(u2, u10), w5 = ZIP1_HI.selectFrom(u2, u10);
    FloatVector w6 = ZIP1_LO.selectFrom(u3, u11), w7 = ZIP1_HI.selectFrom(u3, u11);
    FloatVector w8 = ZIP1_LO.selectFrom(u4, u12), w9 = ZIP1_HI.selectFrom(u4, u12);
    FloatVector w10 = ZIP1_LO.selectFrom(u5, u13), w11 = ZIP1_HI.selectFrom(u5, u13);
    FloatVector w12 = ZIP1_LO.selectFrom(u6, u14), w13 = ZIP1_HI.selectFrom(u6, u14);
    FloatVector w14 = ZIP1_LO.selectFrom(u7, u15), w15 = ZIP1_HI.selectFrom(u7, u15);
    w0.intoMemorySegment(bp, d + 0 * (4 * NR), NATIVE);
    w1.intoMemorySegment(bp, d + 1 * (4 * NR), NATIVE);
    w2.intoMemorySegment(bp, d + 2 * (4 * NR), NATIVE);
    w3.intoMemorySegment(bp, d + 3 * (4 * NR), NATIVE);
    w4.intoMemorySegment(bp, d + 4 * (4 * NR), NATIVE);
    w5.intoMemorySegment(bp, d + 5 * (4 * NR), NATIVE);
    w6.intoMemorySegment(bp, d + 6 * (4 * NR), NATIVE);
    w7.intoMemorySegment(bp, d + 7 * (4 * NR), NATIVE);
    w8.intoMemorySegment(bp, d + 8 * (4 * NR), NATIVE);
    w9.intoMemorySegment(bp, d + 9 * (4 * NR), NATIVE);
    w10.intoMemorySegment(bp, d + 10 * (4 * NR), NATIVE);
    w11.intoMemorySegment(bp, d + 11 * (4 * NR), NATIVE);
    w12.intoMemorySegment(bp, d + 12 * (4 * NR), NATIVE);
    w13.intoMemorySegment(bp, d + 13 * (4 * NR), NATIVE);
    w14.intoMemorySegment(bp, d + 14 * (4 * NR), NATIVE);
    w15.intoMemorySegment(bp, d + 15 * (4 * NR), NATIVE);
  }

  /** panel[p * NR + j] = op(B)[pc + p, j0 + j] for j < nr, zero for nr <= j < NR. */
  private static void packPanelScalar(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0, int nr,
                                      float[] panel) {
    if (!transB) {
      int src = bOff + pc * ldb + j0;
      for (int p = 0; p < kc; p++, src += ldb) {
        int d = p * NR;
        System.arraycopy(b, src, panel, d, nr);
        for (int j = nr; j < NR; j++) {
          panel[d + j] = 0f;
        }
      }
      return;
    }
    // stored B is n x k: row j holds op(B)[*, j]; transpose in blocks of 16 p so that the destination lines
    // stay in L1
    for (int p0 = 0; p0 < kc; p0 += 16) {
      int pe = Math.min(kc, p0 + 16);
      for (int j = 0; j < nr; j++) {
        int src = bOff + (j0 + j) * ldb + pc;
        for (int p = p0; p < pe; p++) {
          panel[j + p * NR] = b[src + p];
        }
      }
      for (int j = nr; j < NR; j++) {
        for (int p = p0; p < pe; p++) {
          panel[j + p * NR] = 0f;
        }
      }
    }
  }

  /** C[mr x nr] = alpha * Apanel * Bpanel + beta * C (beta == 0: C not read); kc is a multiple of KU. */
  static void kernel(int kc, float[] ap, int ai, MemorySegment bp, int bi, float[] c, int ci, int ldc,
                     float alpha, float beta, int mr, int nr, float[] tile) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
    FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
    FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
    FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
    FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
    FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
    FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
    FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
    // The segment offset must be (invariant + (long) p * constant) for C2 to hoist its bounds check out of the
    // loop; computing it in int and widening (4L * (bi + p * NR)) leaves a check in every iteration. C2 does not
    // unroll a loop body this big, so it is unrolled here (KU steps): with one step per iteration the loop's
    // index arithmetic took FMA ports, 160-175 GFLOP/s on one core with the panels in L1; 4 steps, 176-192.
    long bBytes = 4L * bi;
    for (int p = 0; p < kc; p += KU) {
      long bq = bBytes + (long) p * (4 * NR);
      int aq = ai + p * MR;
      // k step p + 0
      FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bq, NATIVE);
      FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bq + 4 * V, NATIVE);
      FloatVector a0 = FloatVector.broadcast(S, ap[aq + 0]);
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
      // k step p + 1
      b0 = FloatVector.fromMemorySegment(S, bp, bq + 1 * (4 * NR), NATIVE);
      b1 = FloatVector.fromMemorySegment(S, bp, bq + 1 * (4 * NR) + 4 * V, NATIVE);
      a0 = FloatVector.broadcast(S, ap[aq + 1 * MR + 0]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      a1 = FloatVector.broadcast(S, ap[aq + 1 * MR + 1]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      a2 = FloatVector.broadcast(S, ap[aq + 1 * MR + 2]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      a3 = FloatVector.broadcast(S, ap[aq + 1 * MR + 3]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      a4 = FloatVector.broadcast(S, ap[aq + 1 * MR + 4]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      a5 = FloatVector.broadcast(S, ap[aq + 1 * MR + 5]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      a6 = FloatVector.broadcast(S, ap[aq + 1 * MR + 6]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      a7 = FloatVector.broadcast(S, ap[aq + 1 * MR + 7]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
      // k step p + 2
      b0 = FloatVector.fromMemorySegment(S, bp, bq + 2 * (4 * NR), NATIVE);
      b1 = FloatVector.fromMemorySegment(S, bp, bq + 2 * (4 * NR) + 4 * V, NATIVE);
      a0 = FloatVector.broadcast(S, ap[aq + 2 * MR + 0]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      a1 = FloatVector.broadcast(S, ap[aq + 2 * MR + 1]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      a2 = FloatVector.broadcast(S, ap[aq + 2 * MR + 2]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      a3 = FloatVector.broadcast(S, ap[aq + 2 * MR + 3]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      a4 = FloatVector.broadcast(S, ap[aq + 2 * MR + 4]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      a5 = FloatVector.broadcast(S, ap[aq + 2 * MR + 5]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      a6 = FloatVector.broadcast(S, ap[aq + 2 * MR + 6]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      a7 = FloatVector.broadcast(S, ap[aq + 2 * MR + 7]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
      // k step p + 3
      b0 = FloatVector.fromMemorySegment(S, bp, bq + 3 * (4 * NR), NATIVE);
      b1 = FloatVector.fromMemorySegment(S, bp, bq + 3 * (4 * NR) + 4 * V, NATIVE);
      a0 = FloatVector.broadcast(S, ap[aq + 3 * MR + 0]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      a1 = FloatVector.broadcast(S, ap[aq + 3 * MR + 1]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      a2 = FloatVector.broadcast(S, ap[aq + 3 * MR + 2]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      a3 = FloatVector.broadcast(S, ap[aq + 3 * MR + 3]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      a4 = FloatVector.broadcast(S, ap[aq + 3 * MR + 4]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      a5 = FloatVector.broadcast(S, ap[aq + 3 * MR + 5]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      a6 = FloatVector.broadcast(S, ap[aq + 3 * MR + 6]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      a7 = FloatVector.broadcast(S, ap[aq + 3 * MR + 7]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
    }
    // The accumulators always go through the tile buffer (16 stores and loads in L1 per 8 x 32 x kc tile): the
    // kernel then has no branch but its loop. A branch that C2 compiled as never taken (beta 1 once k spans two
    // blocks, the first edge tile) is an uncommon trap; taking it later threw the kernel back to C1 code, the
    // Vector API's slow fallback, until C2 compiled this big method again, several times in ResNet-18's first
    // steps. Never store through a helper taking a vector either: C2 stops inlining in a method this big, and a
    // vector argument of a call it does not inline is boxed, an allocation per store.
    c0_0.intoArray(tile, 0 * NR + 0 * V);
    c0_1.intoArray(tile, 0 * NR + 1 * V);
    c1_0.intoArray(tile, 1 * NR + 0 * V);
    c1_1.intoArray(tile, 1 * NR + 1 * V);
    c2_0.intoArray(tile, 2 * NR + 0 * V);
    c2_1.intoArray(tile, 2 * NR + 1 * V);
    c3_0.intoArray(tile, 3 * NR + 0 * V);
    c3_1.intoArray(tile, 3 * NR + 1 * V);
    c4_0.intoArray(tile, 4 * NR + 0 * V);
    c4_1.intoArray(tile, 4 * NR + 1 * V);
    c5_0.intoArray(tile, 5 * NR + 0 * V);
    c5_1.intoArray(tile, 5 * NR + 1 * V);
    c6_0.intoArray(tile, 6 * NR + 0 * V);
    c6_1.intoArray(tile, 6 * NR + 1 * V);
    c7_0.intoArray(tile, 7 * NR + 0 * V);
    c7_1.intoArray(tile, 7 * NR + 1 * V);
    storeTile(tile, c, ci, ldc, alpha, beta, mr, nr);
  }

  /** C[mr x nr] = alpha * tile + beta * C (beta == 0: C not read); the tile has rows of NR. */
  private static void storeTile(float[] tile, float[] c, int ci, int ldc, float alpha, float beta, int mr, int nr) {
    if (nr == NR && alpha == 1f && (beta == 0f || beta == 1f)) {
      // every tile but the right edge's and scaled products (the same single add as the scalar loop)
      for (int r = 0; r < mr; r++) {
        int cr = ci + r * ldc;
        FloatVector t0 = FloatVector.fromArray(S, tile, r * NR), t1 = FloatVector.fromArray(S, tile, r * NR + V);
        if (beta == 1f) {
          t0 = t0.add(FloatVector.fromArray(S, c, cr));
          t1 = t1.add(FloatVector.fromArray(S, c, cr + V));
        }
        t0.intoArray(c, cr);
        t1.intoArray(c, cr + V);
      }
      return;
    }
    for (int r = 0; r < mr; r++) {
      int cr = ci + r * ldc;
      for (int j = 0; j < nr; j++) {
        float v = alpha * tile[r * NR + j];
        c[cr + j] = beta == 0f ? v : v + beta * c[cr + j];
      }
    }
  }
}
