package org.cnn4j.nn;

import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Average pooling to a fixed output size whatever the input size (PyTorch's AdaptiveAvgPool2d);
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling, one value per channel (Keras'
 * GlobalAveragePooling2D, keeping the 1x1 spatial dimensions).
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0)
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive. Received: output_size=("
                    + outH + ", " + outW + ")");
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.rank() != 4) throw shapeError("expected input [N, C, H, W], got " + Shape.str(input.shape()));
        return Pool2dOp.adaptiveAvg(input, outH, outW);
    }

    @Override
    public String describe() {
        return "AdaptiveAvgPool2d " + (outH == outW ? String.valueOf(outH) : outH + "x" + outW);
    }
}
