package org.cnn4j.nn;

import org.cnn4j.autograd.ops.Conv2dOp;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D convolution over [N, C, H, W] input: weight [out, in, kh, kw], bias [out].
 * Output size per axis: {@code O = (I - F + P_before + P_after) / S + 1}, floored as in PyTorch;
 * with {@link Padding#SAME} the output is {@code ceil(I / S)}.
 *
 * <pre>{@code
 * new Conv2d(1, 32, 3)                                            // stride 1, no padding
 * Conv2d.builder(32, 64, 3).stride(2).padding(Padding.SAME).bias(false).build()
 * }</pre>
 */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, kernelH, kernelW, strideH, strideW;
    private final Padding padding;
    private final Parameter weight, bias;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(builder(inChannels, outChannels, kernel));
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private Conv2d(Builder b) {
        String received = "Received: in_channels=" + b.in + ", out_channels=" + b.out + ", kernel_size=(" + b.kh + ", " + b.kw
                + "), stride=(" + b.sh + ", " + b.sw + ")";
        if (b.in <= 0 || b.out <= 0) throw new IllegalArgumentException("Conv2d: channels must be positive. " + received);
        if (b.kh <= 0 || b.kw <= 0) throw new IllegalArgumentException("Conv2d: kernel size must be positive. " + received);
        if (b.sh <= 0 || b.sw <= 0) throw new IllegalArgumentException("Conv2d: stride must be positive. " + received);
        inChannels = b.in;
        outChannels = b.out;
        kernelH = b.kh;
        kernelW = b.kw;
        strideH = b.sh;
        strideW = b.sw;
        padding = b.padding;
        int fanIn = inChannels * kernelH * kernelW, fanOut = outChannels * kernelH * kernelW;
        Tensor w = Tensor.zeros(outChannels, inChannels, kernelH, kernelW);
        b.init.fill(w, fanIn, fanOut, Rng.global());
        weight = registerParameter("weight", Parameter.of(w));
        if (b.bias) {
            Tensor bt = Tensor.zeros(outChannels);
            Init.PYTORCH_DEFAULT.fill(bt, fanIn, fanOut, Rng.global()); // PyTorch: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
            bias = registerParameter("bias", Parameter.of(bt));
        } else {
            bias = null;
        }
    }

    public static Builder builder(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    /** Hyper-parameters with PyTorch's defaults (stride 1, padding 0, bias on, PyTorch init). */
    public static final class Builder {
        private final int in, out;
        private int kh, kw, sh = 1, sw = 1;
        private Padding padding = Padding.of(0);
        private boolean bias = true;
        private Init init = Init.PYTORCH_DEFAULT;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kh = kernel;
            this.kw = kernel;
        }

        public Builder kernel(int h, int w) {
            kh = h;
            kw = w;
            return this;
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int h, int w) {
            sh = h;
            sw = w;
            return this;
        }

        public Builder padding(int p) {
            return padding(Padding.of(p));
        }

        public Builder padding(Padding p) {
            padding = p;
            return this;
        }

        public Builder bias(boolean on) {
            bias = on;
            return this;
        }

        public Builder init(Init i) {
            init = i;
            return this;
        }

        public Conv2d build() {
            return new Conv2d(this);
        }
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The geometry for an input of this shape, validated with messages that name this layer. */
    public Conv2dGeometry geometry(int[] inputShape) {
        if (inputShape.length != 4)
            throw shapeError("expected input [N, C, H, W], got " + Shape.str(inputShape));
        if (inputShape[1] != inChannels)
            throw shapeError("input " + Shape.str(inputShape) + " has " + inputShape[1] + " channels, expected " + inChannels);
        int h = inputShape[2], w = inputShape[3];
        int[] ph = padding.resolve(0, h, kernelH, strideH), pw = padding.resolve(1, w, kernelW, strideW);
        if (h + ph[0] + ph[1] < kernelH || w + pw[0] + pw[1] < kernelW)
            throw shapeError("kernel " + kernelH + "x" + kernelW + " is larger than the padded input "
                    + (h + ph[0] + ph[1]) + "x" + (w + pw[0] + pw[1]) + " of input " + Shape.str(inputShape)
                    + " (O = (I - F + 2P) / S + 1 would be < 1)");
        return new Conv2dGeometry(inputShape[0], inChannels, h, w, outChannels, kernelH, kernelW, strideH, strideW,
                ph[0], pw[0], ph[1], pw[1]);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Conv2dOp.apply(input, weight, bias, geometry(input.shape()));
    }

    @Override
    public String describe() {
        String k = kernelH == kernelW ? "k" + kernelH : "k" + kernelH + "x" + kernelW;
        String s = strideH == strideW ? "s" + strideH : "s" + strideH + "x" + strideW;
        return "Conv2d " + inChannels + "->" + outChannels + ", " + k + ", " + s + ", p" + padding
                + (bias == null ? ", no bias" : "");
    }
}
