package org.cnn4j.nn;

/**
 * 2-D convolution over [N, C, H, W] input: weight [out, in/groups, kh, kw], bias [out].
 * Output size per axis: {@code O = floor((I + P_before + P_after - D*(F-1) - 1) / S) + 1}, as PyTorch;
 * with {@link Padding#SAME} the output is {@code ceil(I / S)} (TensorFlow's rule, extra pixel bottom/right).
 * Groups 1, dilation 1 and zero padding (FashionCNN, ResNet) run on the tuned 2-D kernels; the other options on
 * the general N-d kernels.
 *
 * <pre>{@code
 * new Conv2d(1, 32, 3)                                            // stride 1, no padding
 * Conv2d.builder(32, 64, 3).stride(2).padding(Padding.SAME).bias(false).build()
 * Conv2d.builder(32, 32, 3).stride(2).padding(1).groups(32).build()       // depthwise 3x3 (MobileNet)
 * Conv2d.builder(3, 8, 3).padding(0, 1, 0, 1).dilation(2).paddingMode(PaddingMode.REFLECT).build()
 * }</pre>
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class Conv2d extends ConvLayer {
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private Conv2d(Builder b) {
        super(2, false, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.Builder}. */
    public static final class Builder extends ConvLayer.Builder<Builder, Conv2d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
