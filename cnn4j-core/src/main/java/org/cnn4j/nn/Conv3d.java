package org.cnn4j.nn;

/**
 * 3-D convolution over [N, C, D, H, W] input (volumes, video): weight [out, in/groups, kd, kh, kw], bias [out].
 * Output size per axis: {@code O = floor((I + P_before + P_after - D*(F-1) - 1) / S) + 1}.
 *
 * <pre>{@code
 * Conv3d.builder(1, 8, 3).kernel(2, 3, 3).padding(0, 1, 1).build()        // (k, k, d) kernel, d < L
 * Conv3d.builder(8, 16, 3).stride(2).padding(1).groups(2).build()
 * }</pre>
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class Conv3d extends ConvLayer {
    public Conv3d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public Conv3d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private Conv3d(Builder b) {
        super(3, false, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.Builder}. */
    public static final class Builder extends ConvLayer.Builder<Builder, Conv3d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public Conv3d build() {
            return new Conv3d(this);
        }
    }
}
