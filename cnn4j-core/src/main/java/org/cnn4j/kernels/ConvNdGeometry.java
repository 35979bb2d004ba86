package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Geometry of a 1-, 2- or 3-D convolution with groups and dilation, seen as 3-D (a 1-D conv has depth
 * and height 1, a 2-D conv depth 1). Arrays are indexed {depth, height, width}.
 *
 * <p>Input {@code [batch, inChannels, in[0], in[1], in[2]]}, weight {@code [outChannels, inChannels/groups,
 * kernel[0], kernel[1], kernel[2]]}, output {@code [batch, outChannels, out[0], out[1], out[2]]} where output
 * position {@code o} along an axis reads input positions {@code o*stride - pad + t*dilation} for kernel taps
 * {@code t} (positions outside {@code [0, in)} read zero). The output sizes are given explicitly: a plain
 * convolution uses {@link #conv}, which computes PyTorch's floored
 * {@code out = (in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride + 1}; a transposed
 * convolution is the adjoint of a convolution whose input is the transposed output (see {@link #transposed}).
 */
public record ConvNdGeometry(int rank, int batch, int inChannels, int outChannels, int groups, int[] in, int[] out,
                             int[] kernel, int[] stride, int[] dilation, int[] pad) {

  public ConvNdGeometry {
    if (rank < 1 || rank > 3) {
      throw new IllegalArgumentException("ConvNdGeometry: rank must be 1, 2 or 3. Received: rank=" + rank);
    }
    in = in.clone();
    out = out.clone();
    kernel = kernel.clone();
    stride = stride.clone();
    dilation = dilation.clone();
    pad = pad.clone();
    for (int[] a : new int[][] {in, out, kernel, stride, dilation, pad}) {
      if (a.length != 3) {
        throw new IllegalArgumentException("ConvNdGeometry: per-axis arrays have 3 entries (depth, height, width)");
      }
    }
    if (batch <= 0 || inChannels <= 0 || outChannels <= 0 || groups <= 0) {
      throw new IllegalArgumentException("ConvNdGeometry: batch, channels and groups must be positive. Received: "
          + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation, pad));
    }
    if (inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException("ConvNdGeometry: groups must divide both channel counts. Received: "
          + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation, pad));
    }
    for (int a = 0; a < 3; a++) {
      if (in[a] <= 0 || out[a] <= 0 || kernel[a] <= 0 || stride[a] <= 0 || dilation[a] <= 0 || pad[a] < 0) {
        throw new IllegalArgumentException("ConvNdGeometry: sizes, strides and dilations must be positive, padding"
            + " non-negative. Received: "
            + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation, pad));
      }
      if (a < 3 - rank && (in[a] != 1 || out[a] != 1 || kernel[a] != 1 || pad[a] != 0)) {
        throw new IllegalArgumentException("ConvNdGeometry: unused leading axes must have size 1. Received: "
            + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation, pad));
      }
    }
    long inElems = (long) batch * inChannels * in[0] * in[1] * in[2];
    long outElems = (long) batch * outChannels * out[0] * out[1] * out[2];
    long cols = (long) inChannels / groups * kernel[0] * kernel[1] * kernel[2] * out[0] * out[1] * out[2];
    if (inElems > Integer.MAX_VALUE || outElems > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ConvNdGeometry: tensors larger than 2^31-1 elements are not supported. "
          + "Received: " + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation,
          pad));
    }
  }

  /**
   * A convolution with the given spatial sizes (length {@code rank}, outermost first), padding before and after
   * each axis; output sizes floored as in PyTorch. Fails when an output size would be below 1.
   */
  public static ConvNdGeometry conv(int batch, int inChannels, int outChannels, int groups, int[] in, int[] kernel,
                                    int[] stride, int[] dilation, int[] padBefore, int[] padAfter) {
    int rank = in.length;
    int[] o = new int[rank];
    for (int a = 0; a < rank; a++) {
      long span = (long) in[a] + padBefore[a] + padAfter[a] - (long) dilation[a] * (kernel[a] - 1) - 1;
      if (span < 0) {
        throw new IllegalArgumentException("ConvNdGeometry: the dilated kernel " + ((long) dilation[a] * (kernel[a] - 1) + 1)
            + " is larger than the padded input " + ((long) in[a] + padBefore[a] + padAfter[a]) + " along axis " + a);
      }
      o[a] = (int) (span / stride[a] + 1);
    }
    return new ConvNdGeometry(rank, batch, inChannels, outChannels, groups, lift(in, 1), lift(o, 1), lift(kernel, 1),
        lift(stride, 1), lift(dilation, 1), lift(padBefore, 0));
  }

  /**
   * The geometry of the convolution whose input-gradient is the transposed convolution from
   * {@code [batch, inChannels, in]} to {@code [batch, outChannels, out]} (weight {@code [inChannels,
   * outChannels/groups, kernel]}): the convolution maps {@code outChannels} x {@code out} to {@code inChannels} x
   * {@code in}.
   */
  public static ConvNdGeometry transposed(int batch, int inChannels, int outChannels, int groups, int[] in, int[] out,
                                          int[] kernel, int[] stride, int[] dilation, int[] padBefore) {
    return new ConvNdGeometry(in.length, batch, outChannels, inChannels, groups, lift(out, 1), lift(in, 1),
        lift(kernel, 1), lift(stride, 1), lift(dilation, 1), lift(padBefore, 0));
  }

  /** {@code a} (outermost first) right-aligned in a length-3 array, leading entries {@code fill}. */
  static int[] lift(int[] a, int fill) {
    int[] r = new int[3];
    Arrays.fill(r, fill);
    System.arraycopy(a, 0, r, 3 - a.length, a.length);
    return r;
  }

  public int inChannelsPerGroup() {
    return inChannels / groups;
  }

  public int outChannelsPerGroup() {
    return outChannels / groups;
  }

  /** Spatial elements of one input channel. */
  public int inSpatial() {
    return in[0] * in[1] * in[2];
  }

  /** Spatial elements of one output channel. */
  public int outSpatial() {
    return out[0] * out[1] * out[2];
  }

  public int kernelVolume() {
    return kernel[0] * kernel[1] * kernel[2];
  }

  /** Elements of one input image. */
  public int inPlane() {
    return inChannels * inSpatial();
  }

  /** Elements of one output image. */
  public int outPlane() {
    return outChannels * outSpatial();
  }

  /** Weight elements: {@code outChannels * inChannels/groups * kernel volume}. */
  public int weightSize() {
    return outChannels * inChannelsPerGroup() * kernelVolume();
  }

  /** Rows of one group's im2col matrix: {@code inChannels/groups * kernel volume}. */
  public int patchSize() {
    return inChannelsPerGroup() * kernelVolume();
  }

  /** Multiply-adds of the forward pass (each backward pass costs the same). */
  public long macs() {
    return (long) batch * outChannels * outSpatial() * patchSize();
  }

  /** Input spatial shape of length {@code rank}. */
  public int[] inShape() {
    return Arrays.copyOfRange(in, 3 - rank, 3);
  }

  /** Output spatial shape of length {@code rank}. */
  public int[] outShape() {
    return Arrays.copyOfRange(out, 3 - rank, 3);
  }

  /** Padding after each axis implied by the output size (may be negative when trailing input is unused). */
  int padAfter(int axis) {
    return (out[axis] - 1) * stride[axis] + dilation[axis] * (kernel[axis] - 1) + 1 - in[axis] - pad[axis];
  }

  @Override
  public String toString() {
    return "ConvNdGeometry[" + describe(rank, batch, inChannels, outChannels, groups, in, out, kernel, stride, dilation,
        pad) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvNdGeometry g && g.rank == rank && g.batch == batch && g.inChannels == inChannels
        && g.outChannels == outChannels && g.groups == groups && Arrays.equals(g.in, in) && Arrays.equals(g.out, out)
        && Arrays.equals(g.kernel, kernel) && Arrays.equals(g.stride, stride) && Arrays.equals(g.dilation, dilation)
        && Arrays.equals(g.pad, pad);
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  private static String describe(int rank, int batch, int inChannels, int outChannels, int groups, int[] in,
                                 int[] out, int[] kernel, int[] stride, int[] dilation, int[] pad) {
    return "rank=" + rank + ", batch=" + batch + ", inChannels=" + inChannels + ", outChannels=" + outChannels
        + ", groups=" + groups + ", in=" + Arrays.toString(in) + ", out=" + Arrays.toString(out) + ", kernel="
        + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", dilation=" + Arrays.toString(dilation)
        + ", pad=" + Arrays.toString(pad);
  }
}
