package org.cnn4j.nn;

/**
 * Transposed 3-D convolution (the adjoint of Conv3d) over [N, C, D, H, W]: weight [in, out/groups, kd, kh, kw],
 * bias [out]. {@code O = (I - 1)*S - P_before - P_after + D*(F-1) + output_padding + 1} per axis.
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class ConvTranspose3d extends ConvLayer {
    public ConvTranspose3d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public ConvTranspose3d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private ConvTranspose3d(Builder b) {
        super(3, true, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.TransposedBuilder}. */
    public static final class Builder extends ConvLayer.TransposedBuilder<Builder, ConvTranspose3d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public ConvTranspose3d build() {
            return new ConvTranspose3d(this);
        }
    }
}
