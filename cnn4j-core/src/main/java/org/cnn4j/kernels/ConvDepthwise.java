package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Convolution with one input channel per group (depthwise; {@code outChannels/groups} is the channel
 * multiplier), 1/2/3-D, any stride, dilation and zero padding, as direct loops: im2col + GEMM would multiply
 * {@code [multiplier, kvol]} by {@code [kvol, P]}, far too thin for a GEMM to pay off.
 *
 * <p>1-D and 2-D geometries run on {@link ConvDepthwisePlanes} (one long axpy or dot per kernel tap); the loops here
 * serve 3-D. Each pass is parallel over units that own their outputs (forward: output channel planes; input gradient:
 * input channel planes; weight gradient: output channels), and adds in a fixed order, so results do not
 * depend on the thread count. The innermost loops run along the output width: for stride 1 they are
 * contiguous axpy and dot loops (dots on the Vector API with {@link VectorLanes} sums).
 */
final class ConvDepthwise {
  private ConvDepthwise() {}

  /** Output channel planes per task: enough work per task to amortise the hand-off. */
  private static int grain(ConvNdGeometry g, int units) {
    long work = (long) g.outSpatial() * g.kernelVolume();
    return (int) Math.max(1, Math.min(units, 16384 / Math.max(1, work)));
  }

  /** Whole-plane path for 1-D/2-D (switch off with -Dcnn4j.conv.depthwisePlanes=false). */
  static final boolean PLANES = !"false".equals(System.getProperty("cnn4j.conv.depthwisePlanes"));

  static void forward(ConvNdGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    if (PLANES && ConvDepthwisePlanes.applies(g)) {
      ConvDepthwisePlanes.forward(g, x, w, bias, y);
      return;
    }
    int O = g.outChannels(), units = g.batch() * O;
    Parallel.forRange(units, grain(g, units), (s, e) -> {
      for (int u = s; u < e; u++) {
        int n = u / O, oc = u % O;
        int c = oc / g.outChannelsPerGroup();
        int yOff = u * g.outSpatial();
        Arrays.fill(y, yOff, yOff + g.outSpatial(), bias == null ? 0f : bias[oc]);
        tapsPlane(g, x, (n * g.inChannels() + c) * g.inSpatial(), w, oc * g.kernelVolume(), y, yOff, false);
      }
    });
  }

  /**
   * For every kernel tap and output row: forward ({@code transpose} false) adds {@code w[tap]} times the input
   * row seen through the tap ({@code src = x} at {@code srcOff}) into the output row ({@code dst = y} at
   * {@code dstOff}); backward-input ({@code transpose} true) adds {@code w[tap]} times the output-gradient row
   * ({@code src = dy}) into the input-gradient row seen through the tap ({@code dst = dx}).
   */
  private static void tapsPlane(ConvNdGeometry g, float[] src, int srcOff, float[] w, int wOff, float[] dst, int dstOff,
                                boolean transpose) {
    int[] in = g.in(), out = g.out(), k = g.kernel(), st = g.stride(), d = g.dilation(), pad = g.pad();
    int IH = in[1], IW = in[2], OH = out[1], OW = out[2], sw = st[2];
    int tap = 0;
    for (int kd = 0; kd < k[0]; kd++) {
      for (int kh = 0; kh < k[1]; kh++) {
        for (int kw = 0; kw < k[2]; kw++, tap++) {
          float wv = w[wOff + tap];
          int offW = kw * d[2] - pad[2];
          int owLo = Math.min(OW, Math.max(0, Im2colNd.ceilDiv(-offW, sw)));
          int owHi = Math.max(owLo, Math.min(OW, Math.floorDiv(IW - 1 - offW, sw) + 1));
          if (owLo >= owHi) {
            continue;
          }
          for (int od = 0; od < out[0]; od++) {
            int id = od * st[0] - pad[0] + kd * d[0];
            if (id < 0 || id >= in[0]) {
              continue;
            }
            for (int oh = 0; oh < OH; oh++) {
              int ih = oh * st[1] - pad[1] + kh * d[1];
              if (ih < 0 || ih >= IH) {
                continue;
              }
              int outRow = (od * OH + oh) * OW;
              int inRow = (id * IH + ih) * IW + offW;
              int from = srcOff + (transpose ? outRow : inRow);
              int to = dstOff + (transpose ? inRow : outRow);
              if (sw == 1) {
                for (int ow = owLo; ow < owHi; ow++) {
                  dst[to + ow] += wv * src[from + ow];
                }
              } else if (!transpose) {
                for (int ow = owLo; ow < owHi; ow++) {
                  dst[to + ow] += wv * src[from + ow * sw];
                }
              } else {
                for (int ow = owLo; ow < owHi; ow++) {
                  dst[to + ow * sw] += wv * src[from + ow];
                }
              }
            }
          }
        }
      }
    }
  }

  static void backwardInput(ConvNdGeometry g, float[] dy, float[] w, float[] dx) {
    if (PLANES && ConvDepthwisePlanes.applies(g)) {
      ConvDepthwisePlanes.backwardInput(g, dy, w, dx);
      return;
    }
    int C = g.inChannels(), units = g.batch() * C, mult = g.outChannelsPerGroup();
    Parallel.forRange(units, grain(g, units), (s, e) -> {
      for (int u = s; u < e; u++) {
        int n = u / C, c = u % C;
        int xOff = u * g.inSpatial();
        Arrays.fill(dx, xOff, xOff + g.inSpatial(), 0f);
        for (int j = 0; j < mult; j++) {
          int oc = c * mult + j;
          tapsPlane(g, dy, (n * g.outChannels() + oc) * g.outSpatial(), w, oc * g.kernelVolume(), dx, xOff, true);
        }
      }
    });
  }

  static void backwardWeight(ConvNdGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    if (PLANES && ConvDepthwisePlanes.applies(g)) {
      ConvDepthwisePlanes.backwardWeight(g, x, dy, dw, dBias);
      return;
    }
    int O = g.outChannels(), kv = g.kernelVolume(), mult = g.outChannelsPerGroup();
    int[] in = g.in(), out = g.out(), k = g.kernel(), st = g.stride(), d = g.dilation(), pad = g.pad();
    int IH = in[1], IW = in[2], OH = out[1], OW = out[2], sw = st[2];
    Parallel.forRange(O, 1, (s, e) -> {
      for (int oc = s; oc < e; oc++) {
        int c = oc / mult;
        if (dBias != null) {
          float b = 0f;
          for (int n = 0; n < g.batch(); n++) {
            b += sum(dy, (n * O + oc) * g.outSpatial(), g.outSpatial());
          }
          dBias[oc] += b;
        }
        int tap = 0;
        for (int kd = 0; kd < k[0]; kd++) {
          for (int kh = 0; kh < k[1]; kh++) {
            for (int kw = 0; kw < k[2]; kw++, tap++) {
              int offW = kw * d[2] - pad[2];
              int owLo = Math.min(OW, Math.max(0, Im2colNd.ceilDiv(-offW, sw)));
              int owHi = Math.max(owLo, Math.min(OW, Math.floorDiv(IW - 1 - offW, sw) + 1));
              if (owLo >= owHi) {
                continue;
              }
              float acc = 0f;
              for (int n = 0; n < g.batch(); n++) {
                int yOff = (n * O + oc) * g.outSpatial();
                int xOff = (n * g.inChannels() + c) * g.inSpatial();
                for (int od = 0; od < out[0]; od++) {
                  int id = od * st[0] - pad[0] + kd * d[0];
                  if (id < 0 || id >= in[0]) {
                    continue;
                  }
                  for (int oh = 0; oh < OH; oh++) {
                    int ih = oh * st[1] - pad[1] + kh * d[1];
                    if (ih < 0 || ih >= IH) {
                      continue;
                    }
                    int src = xOff + (id * IH + ih) * IW + offW;
                    int row = yOff + (od * OH + oh) * OW;
                    acc += dot(dy, row + owLo, x, src + owLo * sw, sw, owHi - owLo);
                  }
                }
              }
              dw[oc * kv + tap] += acc;
            }
          }
        }
      }
    });
  }

  /** sum_i a[aOff + i] * b[bOff + i*bStride], i in [0, len), in a fixed order. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int bStride, int len) {
    if (bStride == 1 && VectorSupport.ENABLED && len >= ConvVector.LANES) {
      return ConvVector.dot(a, aOff, b, bOff, len);
    }
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      s0 += a[aOff + i] * b[bOff + i * bStride];
      s1 += a[aOff + i + 1] * b[bOff + (i + 1) * bStride];
      s2 += a[aOff + i + 2] * b[bOff + (i + 2) * bStride];
      s3 += a[aOff + i + 3] * b[bOff + (i + 3) * bStride];
    }
    for (; i < len; i++) {
      s0 += a[aOff + i] * b[bOff + i * bStride];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** sum of a[off, off + len) in a fixed order. */
  static float sum(float[] a, int off, int len) {
    if (VectorSupport.ENABLED && len >= ConvVector.LANES) {
      return ConvVector.sum(a, off, len);
    }
    return ConvKernels.scalarSum(a, off, len);
  }
}
