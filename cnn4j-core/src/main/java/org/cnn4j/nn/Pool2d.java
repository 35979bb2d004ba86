package org.cnn4j.nn;

import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Shared configuration of 2-D pooling: window (kh, kw), stride defaulting to the window, symmetric
 * padding at most half the window. Output per axis {@code O = (I + 2P - F) / S + 1}, floored.
 */
public abstract sealed class Pool2d extends Module permits MaxPool2d, AvgPool2d {
    private final int kernelH, kernelW, strideH, strideW, padH, padW;

    protected Pool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        String received = "Received: kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW
                + "), padding=(" + padH + ", " + padW + ")";
        String name = getClass().getSimpleName();
        if (kernelH <= 0 || kernelW <= 0) throw new IllegalArgumentException(name + ": kernel size must be positive. " + received);
        if (strideH <= 0 || strideW <= 0) throw new IllegalArgumentException(name + ": stride must be positive. " + received);
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW)
            throw new IllegalArgumentException(name + ": padding must be between 0 and half the kernel size. " + received);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
    }

    protected final Pool2dGeometry geometry(int[] s) {
        if (s.length != 4) throw shapeError("expected input [N, C, H, W], got " + Shape.str(s));
        if (s[2] + 2 * padH < kernelH || s[3] + 2 * padW < kernelW)
            throw shapeError("window " + kernelH + "x" + kernelW + " is larger than the padded input "
                    + (s[2] + 2 * padH) + "x" + (s[3] + 2 * padW) + " of input " + Shape.str(s));
        return new Pool2dGeometry(s[0], s[1], s[2], s[3], kernelH, kernelW, strideH, strideW, padH, padW);
    }

    @Override
    public String describe() {
        String k = kernelH == kernelW ? "k" + kernelH : "k" + kernelH + "x" + kernelW;
        String st = strideH == strideW ? "s" + strideH : "s" + strideH + "x" + strideW;
        String p = padH == 0 && padW == 0 ? "" : ", p" + (padH == padW ? padH : padH + "x" + padW);
        return getClass().getSimpleName() + " " + k + ", " + st + p;
    }

    @Override
    public abstract Tensor forward(Tensor input);
}
