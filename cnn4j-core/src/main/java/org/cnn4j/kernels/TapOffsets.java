package org.cnn4j.kernels;

/**
 * Where each kernel tap reads, for kernels that fill V outputs of a plane per gather whatever its rows are
 * ({@link Im2colVector}, {@link PoolNdVector#maxPlane}): for tap t (kernel positions in D, H, W order) and output
 * position o (plane order, padded to whole vectors), {@code offset[t * stride + o]} is the input element's index
 * within its plane (0 where the tap lies in the padding) and {@code inside[t * stride + o]} whether it lies inside
 * the input (false for the padding positions past {@code positions}).
 */
record TapOffsets(int taps, int stride, int positions, int[] offset, boolean[] inside) {

  /**
   * Per axis (D, H, W; 2-D callers give D as in 1, out 1, kernel 1, step 1, pad 0, dilation 1): input and output
   * sizes, kernel size, stride, leading padding and dilation; positions padded to a multiple of {@code lanes}.
   */
  static TapOffsets of(int[] in, int[] out, int[] kernel, int[] step, int[] pad, int[] dilation, int lanes) {
    int positions = out[0] * out[1] * out[2], stride = (positions + lanes - 1) / lanes * lanes;
    int taps = kernel[0] * kernel[1] * kernel[2];
    int[] offset = new int[taps * stride];
    boolean[] inside = new boolean[taps * stride];
    int t = 0;
    for (int a = 0; a < kernel[0]; a++) {
      for (int b = 0; b < kernel[1]; b++) {
        for (int c = 0; c < kernel[2]; c++, t++) {
          int o = t * stride;
          for (int od = 0; od < out[0]; od++) {
            int id = od * step[0] - pad[0] + a * dilation[0];
            for (int oh = 0; oh < out[1]; oh++) {
              int ih = oh * step[1] - pad[1] + b * dilation[1];
              for (int ow = 0; ow < out[2]; ow++, o++) {
                int iw = ow * step[2] - pad[2] + c * dilation[2];
                if (id >= 0 && id < in[0] && ih >= 0 && ih < in[1] && iw >= 0 && iw < in[2]) {
                  offset[o] = (id * in[1] + ih) * in[2] + iw;
                  inside[o] = true;
                }
              }
            }
          }
        }
      }
    }
    return new TapOffsets(taps, stride, positions, offset, inside);
  }
}
