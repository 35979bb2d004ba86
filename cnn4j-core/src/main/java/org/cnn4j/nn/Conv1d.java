package org.cnn4j.nn;

/**
 * 1-D convolution over [N, C, L] input: weight [out, in/groups, k], bias [out]. Output length
 * {@code L_out = floor((L + P_left + P_right - D*(k-1) - 1) / S) + 1}; with {@link Padding#SAME} it is ceil(L / S).
 *
 * <pre>{@code
 * new Conv1d(1, 1, 3)                                      // the seeds' moving average over time
 * Conv1d.builder(16, 32, 5).stride(2).padding(2).dilation(2).build()
 * Conv1d.builder(8, 8, 3).groups(8).padding(1).paddingMode(PaddingMode.REFLECT).build()  // depthwise
 * }</pre>
 *
 * <p>Options, errors and initialisation: see {@link ConvLayer} and docs/layers-conv.md.
 */
public final class Conv1d extends ConvLayer {
    public Conv1d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private Conv1d(Builder b) {
        super(1, false, b);
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults; see {@link ConvLayer.Builder}. */
    public static final class Builder extends ConvLayer.Builder<Builder, Conv1d> {
        private Builder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        @Override
        public Conv1d build() {
            return new Conv1d(this);
        }
    }
}
