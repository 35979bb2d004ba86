package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Geometry of 1-, 2- or 3-D window pooling over {@code [batch, channels, spatial...]} input, as PyTorch
 * 1.13 computes it. Per spatial axis: window {@code k}, stride {@code s}, symmetric padding {@code p}
 * (at most {@code k/2}), dilation {@code d}, and
 * <pre>
 *   O = floor((I + 2p - d(k-1) - 1 + (ceil ? s-1 : 0)) / s) + 1
 *   with ceil mode, O is reduced by one when the last window would start at or after I + p
 *   (it must start inside the input or the left padding).
 * </pre>
 * Internally every geometry is three-dimensional (D, H, W); a 1-D one has D = H = 1, a 2-D one D = 1,
 * the missing axes having window 1, stride 1, no padding, dilation 1.
 */
public final class PoolNdGeometry {
  private final int batch, channels, dims;
  private final int[] in = new int[3], kernel = new int[3], stride = new int[3], pad = new int[3],
      dilation = new int[3], out = new int[3];
  private final boolean ceilMode;

  /**
   * Arrays have one entry per spatial axis ({@code dims} = their length, 1 to 3), outermost first.
   *
   * @throws IllegalArgumentException for a non-positive size, window, stride or dilation, padding outside
   *     [0, k/2], or an output size below 1 (the message shows the formula with the numbers)
   */
  public PoolNdGeometry(int batch, int channels, int[] in, int[] kernel, int[] stride, int[] pad, int[] dilation,
                        boolean ceilMode) {
    dims = in.length;
    String received = "Received: batch=" + batch + ", channels=" + channels + ", input=" + Arrays.toString(in)
        + ", kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
        + Arrays.toString(pad) + ", dilation=" + Arrays.toString(dilation) + ", ceil_mode=" + ceilMode;
    if (dims < 1 || dims > 3 || kernel.length != dims || stride.length != dims || pad.length != dims
        || dilation.length != dims) {
      throw new IllegalArgumentException("PoolNdGeometry: 1 to 3 spatial axes, one entry per axis in every array. "
          + received);
    }
    if (batch <= 0 || channels <= 0) {
      throw new IllegalArgumentException("PoolNdGeometry: batch and channels must be positive. " + received);
    }
    this.batch = batch;
    this.channels = channels;
    this.ceilMode = ceilMode;
    Arrays.fill(this.in, 1);
    Arrays.fill(this.kernel, 1);
    Arrays.fill(this.stride, 1);
    Arrays.fill(this.dilation, 1);
    Arrays.fill(this.out, 1);
    for (int a = 0; a < dims; a++) {
      int t = 3 - dims + a;
      if (in[a] <= 0 || kernel[a] <= 0 || stride[a] <= 0 || dilation[a] <= 0) {
        throw new IllegalArgumentException(
            "PoolNdGeometry: input sizes, kernel, stride and dilation must be positive. " + received);
      }
      if (pad[a] < 0 || pad[a] > kernel[a] / 2) {
        throw new IllegalArgumentException(
            "PoolNdGeometry: padding must be between 0 and half the kernel size. " + received);
      }
      this.in[t] = in[a];
      this.kernel[t] = kernel[a];
      this.stride[t] = stride[a];
      this.pad[t] = pad[a];
      this.dilation[t] = dilation[a];
      this.out[t] = outputSize(in[a], kernel[a], stride[a], pad[a], dilation[a], ceilMode);
      if (this.out[t] < 1) {
        throw new IllegalArgumentException("PoolNdGeometry: output size below 1 along spatial axis " + a + ": "
            + formula(in[a], kernel[a], stride[a], pad[a], dilation[a], ceilMode) + ". " + received);
      }
    }
    if ((long) batch * channels * this.in[0] * this.in[1] * this.in[2] > Integer.MAX_VALUE
        || (long) batch * channels * this.out[0] * this.out[1] * this.out[2] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "PoolNdGeometry: tensors larger than 2^31-1 elements are not supported. " + received);
    }
  }

  /** PyTorch's {@code pooling_output_shape}; may return a value below 1 (which callers reject). */
  public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
    long num = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
    long o = Math.floorDiv(num, stride) + 1;
    if (ceilMode && (o - 1) * stride >= (long) in + pad) {
      o--;
    }
    return (int) Math.max(Math.min(o, Integer.MAX_VALUE), Integer.MIN_VALUE);
  }

  /**
   * The output-size formula with the numbers filled in, e.g.
   * {@code floor((I + 2P - D*(F-1) - 1) / S) + 1 = floor((1 + 2*0 - 1*(3-1) - 1) / 2) + 1 = 0}.
   */
  public static String formula(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
    int o = outputSize(in, kernel, stride, pad, dilation, ceilMode);
    if (!ceilMode) {
      return "floor((I + 2P - D*(F-1) - 1) / S) + 1 = floor((" + in + " + 2*" + pad + " - " + dilation + "*(" + kernel
          + "-1) - 1) / " + stride + ") + 1 = " + o;
    }
    return "ceil((I + 2P - D*(F-1) - 1) / S) + 1 = ceil((" + in + " + 2*" + pad + " - " + dilation + "*(" + kernel
        + "-1) - 1) / " + stride + ") + 1, less one if the last window starts at or after I + P, = " + o;
  }

  public int batch() {
    return batch;
  }

  public int channels() {
    return channels;
  }

  /** Number of spatial axes the caller gave (1 to 3). */
  public int dims() {
    return dims;
  }

  public boolean ceilMode() {
    return ceilMode;
  }

  /** Input size along internal axis t (0 = D, 1 = H, 2 = W). */
  public int in(int t) {
    return in[t];
  }

  public int out(int t) {
    return out[t];
  }

  public int kernel(int t) {
    return kernel[t];
  }

  public int stride(int t) {
    return stride[t];
  }

  public int pad(int t) {
    return pad[t];
  }

  public int dilation(int t) {
    return dilation[t];
  }

  public int planes() {
    return batch * channels;
  }

  public int inPlane() {
    return in[0] * in[1] * in[2];
  }

  public int outPlane() {
    return out[0] * out[1] * out[2];
  }

  /** The output's spatial sizes, {@code dims} entries. */
  public int[] outSpatial() {
    return Arrays.copyOfRange(out, 3 - dims, 3);
  }

  /** The full output shape {@code [batch, channels, out...]}. */
  public int[] outShape() {
    int[] s = new int[dims + 2];
    s[0] = batch;
    s[1] = channels;
    System.arraycopy(out, 3 - dims, s, 2, dims);
    return s;
  }

  /** True when some axis has dilation above 1. */
  public boolean dilated() {
    return dilation[0] > 1 || dilation[1] > 1 || dilation[2] > 1;
  }

  /** True when ceil mode gives the same output sizes as floor mode (the windows are then identical). */
  public boolean sameAsFloor() {
    for (int t = 0; t < 3; t++) {
      if (out[t] != outputSize(in[t], kernel[t], stride[t], pad[t], dilation[t], false)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "PoolNdGeometry[batch=" + batch + ", channels=" + channels + ", in=" + Arrays.toString(
        Arrays.copyOfRange(in, 3 - dims, 3)) + ", out=" + Arrays.toString(outSpatial()) + ", kernel="
        + Arrays.toString(Arrays.copyOfRange(kernel, 3 - dims, 3)) + ", stride=" + Arrays.toString(
        Arrays.copyOfRange(stride, 3 - dims, 3)) + ", padding=" + Arrays.toString(Arrays.copyOfRange(pad, 3 - dims, 3))
        + ", dilation=" + Arrays.toString(Arrays.copyOfRange(dilation, 3 - dims, 3)) + ", ceil_mode=" + ceilMode + "]";
  }
}
