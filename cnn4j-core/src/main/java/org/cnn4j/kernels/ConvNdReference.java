package org.cnn4j.kernels;

/**
 * Plain, obviously correct N-d convolution with groups and dilation (direct loops, double accumulation): the
 * reference the fast paths of {@link ConvNd} are tested against. Not for production use.
 */
public final class ConvNdReference {
  private ConvNdReference() {}

  /** Input offset read by output (od, oh, ow) through tap (kd, kh, kw) of channel plane {@code base}, or -1. */
  private static int source(ConvNdGeometry g, int base, int od, int oh, int ow, int kd, int kh, int kw) {
    int id = od * g.stride()[0] - g.pad()[0] + kd * g.dilation()[0];
    int ih = oh * g.stride()[1] - g.pad()[1] + kh * g.dilation()[1];
    int iw = ow * g.stride()[2] - g.pad()[2] + kw * g.dilation()[2];
    int[] in = g.in();
    if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || iw < 0 || iw >= in[2]) {
      return -1;
    }
    return base + (id * in[1] + ih) * in[2] + iw;
  }

  /** y = conv(x, w) + bias (bias may be null); y overwritten. */
  public static void forward(ConvNdGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    double[] acc = new double[g.batch() * g.outPlane()];
    if (bias != null) {
      int os = g.outSpatial();
      for (int i = 0; i < acc.length; i++) {
        acc[i] = bias[i / os % g.outChannels()];
      }
    }
    visit(g, (src, wi, yi) -> acc[yi] += (double) x[src] * w[wi]);
    for (int i = 0; i < acc.length; i++) {
      y[i] = (float) acc[i];
    }
  }

  /** dx = gradient of sum(y * dy) with respect to x; dx overwritten. */
  public static void backwardInput(ConvNdGeometry g, float[] dy, float[] w, float[] dx) {
    double[] acc = new double[g.batch() * g.inPlane()];
    visit(g, (src, wi, yi) -> acc[src] += (double) dy[yi] * w[wi]);
    for (int i = 0; i < acc.length; i++) {
      dx[i] = (float) acc[i];
    }
  }

  /** dw += gradient with respect to w, dBias += gradient with respect to the bias (may be null). */
  public static void backwardWeight(ConvNdGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    double[] acc = new double[g.weightSize()];
    visit(g, (src, wi, yi) -> acc[wi] += (double) dy[yi] * x[src]);
    for (int i = 0; i < acc.length; i++) {
      dw[i] += (float) acc[i];
    }
    if (dBias != null) {
      int os = g.outSpatial();
      for (int oc = 0; oc < g.outChannels(); oc++) {
        double s = 0;
        for (int n = 0; n < g.batch(); n++) {
          for (int p = 0; p < os; p++) {
            s += dy[(n * g.outChannels() + oc) * os + p];
          }
        }
        dBias[oc] += (float) s;
      }
    }
  }

  private interface Visitor {
    void accept(int src, int wIndex, int yIndex);
  }

  /** Calls the visitor for every (input, weight, output) triple that forward multiplies together. */
  private static void visit(ConvNdGeometry g, Visitor v) {
    int[] o = g.out(), k = g.kernel();
    int cg = g.inChannelsPerGroup(), og = g.outChannelsPerGroup(), kv = g.kernelVolume();
    for (int n = 0; n < g.batch(); n++) {
      for (int oc = 0; oc < g.outChannels(); oc++) {
        int grp = oc / og;
        for (int od = 0; od < o[0]; od++) {
          for (int oh = 0; oh < o[1]; oh++) {
            for (int ow = 0; ow < o[2]; ow++) {
              int yi = ((n * g.outChannels() + oc) * o[0] + od) * o[1] * o[2] + oh * o[2] + ow;
              for (int c = 0; c < cg; c++) {
                int base = (n * g.inChannels() + grp * cg + c) * g.inSpatial();
                int wBase = (oc * cg + c) * kv;
                for (int kd = 0; kd < k[0]; kd++) {
                  for (int kh = 0; kh < k[1]; kh++) {
                    for (int kw = 0; kw < k[2]; kw++) {
                      int src = source(g, base, od, oh, ow, kd, kh, kw);
                      if (src >= 0) {
                        v.accept(src, wBase + (kd * k[1] + kh) * k[2] + kw, yi);
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
