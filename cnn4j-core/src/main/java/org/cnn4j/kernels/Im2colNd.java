package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for 1/2/3-D convolution with stride, dilation and zero padding, over the
 * channels of one group of one image.
 *
 * <p>Row {@code r = ((c*KD + kd)*KH + kh)*KW + kw} of the column matrix holds, for every output position
 * {@code p = (od*OH + oh)*OW + ow}, the input value {@code x[c][od*sd - pd + kd*dd][oh*sh - ph + kh*dh][ow*sw -
 * pw + kw*dw]}, or 0 where that index falls outside the input.
 */
public final class Im2colNd {
  private Im2colNd() {}

  /**
   * col[colOff + r*ldCol + p] = the value above, for channels [0, channels) of the planes starting at x[xOff]
   * (channel stride = input spatial size).
   */
  public static void im2col(ConvNdGeometry g, int channels, float[] x, int xOff, float[] col, int colOff, int ldCol) {
    columns(g, channels, x, xOff, col, colOff, ldCol, false);
  }

  /**
   * The adjoint of {@link #im2col}: dx[xOff + ...] += every column entry at the input position it was copied from
   * (entries that read padding are dropped). dx is accumulated into, not overwritten.
   */
  public static void col2im(ConvNdGeometry g, int channels, float[] col, int colOff, int ldCol, float[] dx, int xOff) {
    columns(g, channels, dx, xOff, col, colOff, ldCol, true);
  }

  /** im2col ({@code adjoint} false: col written from x) or col2im ({@code adjoint} true: x accumulated from col). */
  private static void columns(ConvNdGeometry g, int channels, float[] x, int xOff, float[] col, int colOff, int ldCol,
                              boolean adjoint) {
    int[] in = g.in(), out = g.out(), k = g.kernel(), s = g.stride(), d = g.dilation(), pad = g.pad();
    int ID = in[0], IH = in[1], IW = in[2], OD = out[0], OH = out[1], OW = out[2];
    int plane = ID * IH * IW;
    int row = 0;
    for (int c = 0; c < channels; c++) {
      int xc = xOff + c * plane;
      for (int kd = 0; kd < k[0]; kd++) {
        for (int kh = 0; kh < k[1]; kh++) {
          for (int kw = 0; kw < k[2]; kw++, row++) {
            int base = colOff + row * ldCol;
            int offW = kw * d[2] - pad[2];
            int owLo = Math.min(OW, Math.max(0, ceilDiv(-offW, s[2])));
            int owHi = Math.max(owLo, Math.min(OW, Math.floorDiv(IW - 1 - offW, s[2]) + 1));
            for (int od = 0; od < OD; od++) {
              int id = od * s[0] - pad[0] + kd * d[0];
              boolean dOk = id >= 0 && id < ID;
              if (adjoint && !dOk) {
                continue;
              }
              for (int oh = 0; oh < OH; oh++) {
                int cr = base + (od * OH + oh) * OW;
                int ih = oh * s[1] - pad[1] + kh * d[1];
                if (!dOk || ih < 0 || ih >= IH) {
                  if (!adjoint) {
                    Arrays.fill(col, cr, cr + OW, 0f);
                  }
                  continue;
                }
                int xr = xc + (id * IH + ih) * IW + offW;
                if (adjoint) {
                  if (s[2] == 1) {
                    for (int ow = owLo; ow < owHi; ow++) {
                      x[xr + ow] += col[cr + ow];
                    }
                  } else {
                    int sw = s[2];
                    for (int ow = owLo; ow < owHi; ow++) {
                      x[xr + ow * sw] += col[cr + ow];
                    }
                  }
                  continue;
                }
                for (int ow = 0; ow < owLo; ow++) {
                  col[cr + ow] = 0f;
                }
                if (s[2] == 1) {
                  System.arraycopy(x, xr + owLo, col, cr + owLo, owHi - owLo);
                } else {
                  int sw = s[2];
                  for (int ow = owLo; ow < owHi; ow++) {
                    col[cr + ow] = x[xr + ow * sw];
                  }
                }
                for (int ow = owHi; ow < OW; ow++) {
                  col[cr + ow] = 0f;
                }
              }
            }
          }
        }
      }
    }
  }

  static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
