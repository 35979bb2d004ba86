package org.cnn4j.kernels;

/**
 * The backward of a convolution whose output feeds only a training-mode batch norm, ReLU and
 * 2x2 stride-2 max pool ({@link NormKernels#batchNormReluMaxPool2x2Forward}), when the convolution's input
 * needs no gradient and its patch is small (a network's first layer: FashionCNN's conv1, K = 9), without the
 * dense gradient of the convolution's output.
 *
 * <p>The batch norm's input gradient is, per channel o, {@code dz = k g + a z + b}, with k, a, b from the
 * batch norm's channel sums ({@link NormKernels#batchNormReluMaxPool2x2Sums}) and g the pooled gradient routed
 * to each window's winner where the pooled output is positive, zero elsewhere. With P_r the r-th im2col row (patch value r at every
 * output position), S_r = sum P_r and the Gram matrix G = P P^T:
 * <pre>
 *   dW[o][r] = sum dz P_r = k H[o][r] + a sum(z P_r) + b S_r,   H = g P^T,
 *   sum(z P_r) = sum_r' w[o][r'] G[r'][r] + bias[o] S_r          (z = w P + bias: exact algebra)
 *   dBias[o] = sum dz = k sum(g) + a sum(z) + b M,                sum(z) = sum_r w[o][r] S_r + M bias[o]
 * </pre>
 * so the [N, O, H, W] gradient dz (10 MB for FashionCNN at batch 100, written by the batch norm and read back
 * by the weight gradient) is never formed: H is computed image by image from a routed [O, H, W] block that
 * stays in cache, G and S from the same im2col, in float per image and double across images. The result
 * equals the unfused chain up to rounding (the G terms are summed in another order; dBias is the few-ulp
 * residue that the exact identity sum(dz) = 0 leaves, as in PyTorch).
 */
public final class ConvBatchNormGradient {
  private ConvBatchNormGradient() {}

  /**
   * Largest patch (C * kh * kw) taken: G is K x K, and the dot-product form needs K <= 32 (RGB 3x3 is 27). Timed
   * on FashionCNN (K = 9) only.
   */
  public static final int MAX_PATCH = 27;

  private static final ChunkPartials PARTIALS = new ChunkPartials();

  /** Whether {@link #backward} handles this convolution (followed by the 2x2 pool over its output). */
  public static boolean applies(Conv2dGeometry g) {
    return NormKernels.supportsReluMaxPool2x2() && g.patchSize() <= MAX_PATCH && g.outH() >= 2 && g.outW() >= 2;
  }

  /**
   * The whole backward of the fused layer: dgamma, dbeta (+=, either may be null), dw (+)= the convolution's weight
   * gradient (overwritten when {@code overwrite}), dBias += its bias gradient (dw and dBias may each be null).
   * x [N, C, H, W] is the convolution input, w [O, C, kh, kw] and bias its parameters (bias may be null); dy, y,
   * window and winners are the pooled gradient, pooled output, winner codes and winner values of the batch-norm /
   * ReLU / pool forward over the convolution's output ({@link NormKernels#batchNormReluMaxPool2x2Forward}, batch
   * statistics mean and invStd). The batch-norm sums of {@link NormKernels#batchNormReluMaxPool2x2Sums} are taken
   * in the same pass over the images.
   */
  public static void backward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] dy, float[] y,
                              byte[] window, float[] winners, float[] gamma, float[] mean, float[] invStd,
                              float[] dGamma, float[] dBeta, float[] dw, boolean overwrite, float[] dBias) {
    int N = g.batch(), O = g.outChannels(), K = g.patchSize(), OH = g.outH(), OW = g.outW(), P = OH * OW;
    int outPlane = (OH / 2) * (OW / 2);
    // per chunk of images: H (O*K) and sum(g) per channel (O) in float; G (K*K), S (K) and per channel
    // sum(g * (z - mean)) (O) in double
    int hSize = O * K + O, gSize = K * K + K, dSize = gSize + O;
    int chunks = Parallel.chunks(N, 1);
    float[][] hParts = PARTIALS.get(chunks, hSize);
    double[][] dParts = new double[chunks][dSize];
    Parallel.forRange(N, 1, (s, e) -> {
      int chunk = Parallel.chunkIndex(N, chunks, s);
      float[] h = hParts[chunk];
      java.util.Arrays.fill(h, 0, hSize, 0f);
      double[] d = dParts[chunk];
      float[] col = Workspace.get(Workspace.CONV_COL, K * P);
      // the routed gradient of one image; the pooled g of one image (+ V floats of room for the vector routing)
      float[] routed = Workspace.get(Workspace.CONV_OUT, O * P + PoolVector.V);
      float[] pooled = Workspace.get(Workspace.NORM_GRAD, O * outPlane + PoolVector.V);
      float[] imageGram = Workspace.get(Workspace.NORM_SUM, gSize);
      int[] rows = new int[K];
      for (int r = 0; r < K; r++) {
        rows[r] = r * P;
      }
      for (int n = s; n < e; n++) {
        ConvKernels.im2col(g, x, n * g.inPlane(), col);
        java.util.Arrays.fill(imageGram, 0, gSize, 0f);
        ConvShifted.dots(K, K, P, col, 0, P, col, 0, rows, imageGram, K * K);
        for (int i = 0; i < gSize; i++) {
          d[i] += imageGram[i];
        }
        java.util.Arrays.fill(routed, 0, O * P, 0f);
        int yb = n * O * outPlane;
        Loops.reluMask(y, dy, yb, pooled, 0, O * outPlane); // ReLU's mask, read off the pooled output
        for (int o = 0; o < O; o++) {
          d[gSize + o] += Loops.dotCentered(winners, yb + o * outPlane, pooled, o * outPlane, outPlane, mean[o]);
          PoolVector.addRouted2x2Plane(OW, OH / 2, OW / 2, pooled, o * outPlane, 1f, window, yb + o * outPlane,
              routed, o * P);
        }
        ConvShifted.dots(O, K, P, routed, 0, P, col, 0, rows, h, O * K);
      }
    });
    // deterministic reduction in chunk order
    double[] hSum = new double[hSize], dSum = new double[dSize];
    for (int c = 0; c < chunks; c++) {
      for (int i = 0; i < hSize; i++) {
        hSum[i] += hParts[c][i];
      }
      for (int i = 0; i < dSize; i++) {
        dSum[i] += dParts[c][i];
      }
    }
    double m = (double) N * P;
    float[] coef = new float[3 * O];
    for (int o = 0; o < O; o++) {
      // the batch norm's sums; its input gradient dz = k g + a z + b
      NormKernels.reluMaxPool2x2Coefficients(o, hSum[O * K + o], dSum[gSize + o], N * P, gamma, true, mean, invStd,
          dGamma, dBeta, coef);
      double k = coef[3 * o], a = coef[3 * o + 1], b = coef[3 * o + 2];
      double bo = bias == null ? 0 : bias[o];
      double sumZ = m * bo;
      for (int r = 0; r < K; r++) {
        double sr = dSum[K * K + r];
        sumZ += w[o * K + r] * sr;
        if (dw != null) {
          double zp = bo * sr;
          for (int q = 0; q < K; q++) {
            zp += w[o * K + q] * dSum[q * K + r];
          }
          float v = (float) (k * hSum[o * K + r] + a * zp + b * sr);
          dw[o * K + r] = overwrite ? v : dw[o * K + r] + v;
        }
      }
      if (dBias != null) {
        dBias[o] += (float) (k * hSum[O * K + o] + a * sumZ + b * m);
      }
    }
  }
}
