package org.cnn4j.nn;

/**
 * Transposed 2-D convolution (the adjoint of Conv2d, the upsampling layer of decoders and GAN generators) over
 * [N, C, H, W]: weight [in, out/groups, kh, kw], bias [out]. Output size per axis
 * {@code O = (I - 1)*S - P_before - P_after + D*(F-1) + output_padding + 1}; output_padding (below the stride or
 * the dilation) picks one of the input sizes a strided Conv2d maps to the same output size.
 *
 * <pre>{@code
 * ConvTranspose2d.builder(64, 32, 3).stride(2).padding(1).outputPadding(1).build()   // 14x14 -> 28x28
 * }</pre>
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class ConvTranspose2d extends ConvLayer {
    public ConvTranspose2d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private ConvTranspose2d(Builder b) {
        super(2, true, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.TransposedBuilder}. */
    public static final class Builder extends ConvLayer.TransposedBuilder<Builder, ConvTranspose2d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public ConvTranspose2d build() {
            return new ConvTranspose2d(this);
        }
    }
}
