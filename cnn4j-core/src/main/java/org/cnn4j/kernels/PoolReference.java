package org.cnn4j.kernels;

import java.util.Arrays;

/** Plain reference pooling (NCHW), the yardstick for {@link PoolKernels}; same signatures and semantics. */
public final class PoolReference {
  private PoolReference() {}

  public static void maxPool2dForward(Pool2dGeometry g, float[] x, float[] y, int[] argmax) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    for (int pl = 0; pl < g.batch() * g.channels(); pl++) {
      for (int i = 0; i < OH; i++) {
        for (int j = 0; j < OW; j++) {
          float best = Float.NEGATIVE_INFINITY;
          int bestIdx = -1;
          for (int ki = 0; ki < g.kernelH(); ki++) {
            int ih = i * g.strideH() - g.padH() + ki;
            for (int kj = 0; kj < g.kernelW(); kj++) {
              int iw = j * g.strideW() - g.padW() + kj;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                continue;
              }
              int idx = (pl * H + ih) * W + iw;
              float v = x[idx];
              if (bestIdx < 0 || v > best || Float.isNaN(v) && !Float.isNaN(best)) {
                best = v;
                bestIdx = idx;
              }
            }
          }
          int o = (pl * OH + i) * OW + j;
          y[o] = best;
          if (argmax != null) {
            argmax[o] = bestIdx;
          }
        }
      }
    }
  }

  public static void maxPool2dBackward(Pool2dGeometry g, float[] dy, int[] argmax, float[] dx) {
    int inSize = g.batch() * g.channels() * g.inH() * g.inW();
    int outSize = g.batch() * g.channels() * g.outH() * g.outW();
    Arrays.fill(dx, 0, inSize, 0f);
    for (int i = 0; i < outSize; i++) {
      dx[argmax[i]] += dy[i];
    }
  }

  public static void avgPool2dForward(Pool2dGeometry g, float[] x, float[] y) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    double div = g.kernelH() * g.kernelW();
    for (int pl = 0; pl < g.batch() * g.channels(); pl++) {
      for (int i = 0; i < OH; i++) {
        for (int j = 0; j < OW; j++) {
          double s = 0;
          for (int ki = 0; ki < g.kernelH(); ki++) {
            int ih = i * g.strideH() - g.padH() + ki;
            for (int kj = 0; kj < g.kernelW(); kj++) {
              int iw = j * g.strideW() - g.padW() + kj;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                s += x[(pl * H + ih) * W + iw];
              }
            }
          }
          y[(pl * OH + i) * OW + j] = (float) (s / div);
        }
      }
    }
  }

  public static void avgPool2dBackward(Pool2dGeometry g, float[] dy, float[] dx) {
    int H = g.inH(), W = g.inW(), OH = g.outH(), OW = g.outW();
    double div = g.kernelH() * g.kernelW();
    int planes = g.batch() * g.channels();
    double[] acc = new double[planes * H * W];
    for (int pl = 0; pl < planes; pl++) {
      for (int i = 0; i < OH; i++) {
        for (int j = 0; j < OW; j++) {
          double d = dy[(pl * OH + i) * OW + j] / div;
          for (int ki = 0; ki < g.kernelH(); ki++) {
            int ih = i * g.strideH() - g.padH() + ki;
            for (int kj = 0; kj < g.kernelW(); kj++) {
              int iw = j * g.strideW() - g.padW() + kj;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                acc[(pl * H + ih) * W + iw] += d;
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
}
