package org.cnn4j.kernels;


/** Plain direct-loop convolution (NCHW / OIHW), the yardstick for {@link ConvKernels}. Accumulates in double. */
public final class ConvReference {
  private ConvReference() {}

  /** y[N,O,outH,outW] = conv(x[N,C,H,W], w[O,C,kh,kw]) + bias[O] (bias may be null); y overwritten. */
  public static void conv2dForward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] y) {
    int oh = g.outH(), ow = g.outW();
    int C = g.inChannels(), H = g.inH(), W = g.inW(), O = g.outChannels(), KH = g.kernelH(), KW = g.kernelW();
    for (int n = 0; n < g.batch(); n++) {
      for (int o = 0; o < O; o++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double s = bias == null ? 0 : bias[o];
            for (int c = 0; c < C; c++) {
              for (int ki = 0; ki < KH; ki++) {
                int ih = i * g.strideH() - g.padTop() + ki;
                if (ih < 0 || ih >= H) {
                  continue;
                }
                for (int kj = 0; kj < KW; kj++) {
                  int iw = j * g.strideW() - g.padLeft() + kj;
                  if (iw < 0 || iw >= W) {
                    continue;
                  }
                  s += (double) x[((n * C + c) * H + ih) * W + iw] * w[((o * C + c) * KH + ki) * KW + kj];
                }
              }
            }
            y[((n * O + o) * oh + i) * ow + j] = (float) s;
          }
        }
      }
    }
  }

  /** dx[N,C,H,W] = gradient with respect to the input; dx overwritten. */
  public static void conv2dBackwardInput(Conv2dGeometry g, float[] dy, float[] w, float[] dx) {
    int oh = g.outH(), ow = g.outW();
    int C = g.inChannels(), H = g.inH(), W = g.inW(), O = g.outChannels(), KH = g.kernelH(), KW = g.kernelW();
    double[] acc = new double[g.batch() * C * H * W];
    for (int n = 0; n < g.batch(); n++) {
      for (int o = 0; o < O; o++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double d = dy[((n * O + o) * oh + i) * ow + j];
            for (int c = 0; c < C; c++) {
              for (int ki = 0; ki < KH; ki++) {
                int ih = i * g.strideH() - g.padTop() + ki;
                if (ih < 0 || ih >= H) {
                  continue;
                }
                for (int kj = 0; kj < KW; kj++) {
                  int iw = j * g.strideW() - g.padLeft() + kj;
                  if (iw < 0 || iw >= W) {
                    continue;
                  }
                  acc[((n * C + c) * H + ih) * W + iw] += d * w[((o * C + c) * KH + ki) * KW + kj];
                }
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < acc.length; i++) {
      dx[i] = (float) acc[i];
    }
  }

  /** dw += gradient with respect to the weight, dBias += gradient with respect to the bias (may be null). */
  public static void conv2dBackwardWeight(Conv2dGeometry g, float[] x, float[] dy, float[] dw, float[] dBias) {
    int oh = g.outH(), ow = g.outW();
    int C = g.inChannels(), H = g.inH(), W = g.inW(), O = g.outChannels(), KH = g.kernelH(), KW = g.kernelW();
    double[] acc = new double[O * C * KH * KW];
    double[] accB = new double[O];
    for (int n = 0; n < g.batch(); n++) {
      for (int o = 0; o < O; o++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double d = dy[((n * O + o) * oh + i) * ow + j];
            accB[o] += d;
            for (int c = 0; c < C; c++) {
              for (int ki = 0; ki < KH; ki++) {
                int ih = i * g.strideH() - g.padTop() + ki;
                if (ih < 0 || ih >= H) {
                  continue;
                }
                for (int kj = 0; kj < KW; kj++) {
                  int iw = j * g.strideW() - g.padLeft() + kj;
                  if (iw < 0 || iw >= W) {
                    continue;
                  }
                  acc[((o * C + c) * KH + ki) * KW + kj] += d * x[((n * C + c) * H + ih) * W + iw];
                }
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < acc.length; i++) {
      dw[i] += (float) acc[i];
    }
    if (dBias != null) {
      for (int o = 0; o < O; o++) {
        dBias[o] += (float) accB[o];
      }
    }
  }

}
