package org.cnn4j.kernels;

/**
 * Geometry of 2D pooling over NCHW input {@code [batch, channels, inH, inW]}; symmetric padding
 * {@code padH/padW}; floor mode: {@code outH = (inH + 2*padH - kernelH) / strideH + 1}. As in PyTorch,
 * padding may be at most half the kernel.
 */
public record Pool2dGeometry(int batch, int channels, int inH, int inW, int kernelH, int kernelW,
                             int strideH, int strideW, int padH, int padW) {

  public Pool2dGeometry {
    String received = "Received: batch=" + batch + ", channels=" + channels + ", inH=" + inH + ", inW=" + inW
        + ", kernel=" + kernelH + "x" + kernelW + ", stride=" + strideH + "x" + strideW + ", padding=" + padH + "x"
        + padW;
    if (batch <= 0 || channels <= 0 || inH <= 0 || inW <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0
        || strideW <= 0) {
      throw new IllegalArgumentException("Pool2dGeometry: sizes and strides must be positive. " + received);
    }
    if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
      throw new IllegalArgumentException(
          "Pool2dGeometry: padding must be non-negative and at most half the kernel. " + received);
    }
    if (inH + 2 * padH < kernelH || inW + 2 * padW < kernelW) {
      throw new IllegalArgumentException("Pool2dGeometry: kernel does not fit in the padded input. " + received);
    }
    if ((long) batch * channels * inH * inW > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Pool2dGeometry: tensors larger than 2^31-1 elements are not supported. "
          + received);
    }
  }

  /** Square kernel/stride/padding convenience constructor. */
  public static Pool2dGeometry of(int batch, int channels, int inH, int inW, int kernel, int stride, int pad) {
    return new Pool2dGeometry(batch, channels, inH, inW, kernel, kernel, stride, stride, pad, pad);
  }

  public int outH() {
    return (inH + 2 * padH - kernelH) / strideH + 1;
  }

  public int outW() {
    return (inW + 2 * padW - kernelW) / strideW + 1;
  }
}
