package org.cnn4j.nn;

/**
 * Transposed 1-D convolution (the adjoint of Conv1d; "deconvolution") over [N, C, L]: weight
 * [in, out/groups, k], bias [out]. {@code L_out = (L - 1)*S - P_left - P_right + D*(k-1) + output_padding + 1}.
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class ConvTranspose1d extends ConvLayer {
    public ConvTranspose1d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private ConvTranspose1d(Builder b) {
        super(1, true, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.TransposedBuilder}. */
    public static final class Builder extends ConvLayer.TransposedBuilder<Builder, ConvTranspose1d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public ConvTranspose1d build() {
            return new ConvTranspose1d(this);
        }
    }
}
