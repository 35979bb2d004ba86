package org.cnn4j.kernels;

/**
 * Geometry of a 2D convolution: NCHW input {@code [batch, inChannels, inH, inW]}, OIHW weight
 * {@code [outChannels, inChannels, kernelH, kernelW]}, output {@code [batch, outChannels, outH, outW]}
 * with {@code outH = (inH + padTop + padBottom - kernelH) / strideH + 1} (floor) and likewise for W.
 * Asymmetric padding supports TensorFlow/Keras "same".
 */
public record Conv2dGeometry(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW,
                             int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight) {

  public Conv2dGeometry {
    if (batch <= 0 || inChannels <= 0 || inH <= 0 || inW <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0
        || strideH <= 0 || strideW <= 0) {
      throw new IllegalArgumentException("Conv2dGeometry: sizes and strides must be positive. Received: " + describe(
          batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom,
          padRight));
    }
    if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
      throw new IllegalArgumentException("Conv2dGeometry: padding must be non-negative. Received: " + describe(
          batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom,
          padRight));
    }
    if (inH + padTop + padBottom < kernelH || inW + padLeft + padRight < kernelW) {
      throw new IllegalArgumentException("Conv2dGeometry: kernel " + kernelH + "x" + kernelW
          + " does not fit in the padded input " + (inH + padTop + padBottom) + "x" + (inW + padLeft + padRight)
          + ". Received: " + describe(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW,
          padTop, padLeft, padBottom, padRight));
    }
    long outElems = (long) batch * outChannels * ((inH + padTop + padBottom - kernelH) / strideH + 1)
        * ((inW + padLeft + padRight - kernelW) / strideW + 1);
    long inElems = (long) batch * inChannels * inH * inW;
    if (outElems > Integer.MAX_VALUE || inElems > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Conv2dGeometry: tensors larger than 2^31-1 elements are not supported. Received: "
          + describe(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padTop, padLeft,
          padBottom, padRight));
    }
  }

  /** Symmetric padding convenience constructor. */
  public static Conv2dGeometry of(int batch, int inChannels, int inH, int inW, int outChannels, int kernel,
                                  int stride, int pad) {
    return new Conv2dGeometry(batch, inChannels, inH, inW, outChannels, kernel, kernel, stride, stride, pad, pad, pad, pad);
  }

  public int outH() {
    return (inH + padTop + padBottom - kernelH) / strideH + 1;
  }

  public int outW() {
    return (inW + padLeft + padRight - kernelW) / strideW + 1;
  }

  /** Elements of one input image {@code C*H*W}. */
  public int inPlane() {
    return inChannels * inH * inW;
  }

  /** Elements of one output image {@code O*outH*outW}. */
  public int outPlane() {
    return outChannels * outH() * outW();
  }

  /** Rows of the im2col matrix: {@code C*kh*kw}. */
  public int patchSize() {
    return inChannels * kernelH * kernelW;
  }

  /** Multiply-adds of the forward pass (each of the backward passes costs the same). */
  public long macs() {
    return (long) batch * outChannels * outH() * outW() * patchSize();
  }

  private static String describe(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH,
                                 int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                                 int padRight) {
    return "batch=" + batch + ", inChannels=" + inChannels + ", inH=" + inH + ", inW=" + inW + ", outChannels="
        + outChannels + ", kernel=" + kernelH + "x" + kernelW + ", stride=" + strideH + "x" + strideW
        + ", padding(top,left,bottom,right)=(" + padTop + "," + padLeft + "," + padBottom + "," + padRight + ")";
  }
}
