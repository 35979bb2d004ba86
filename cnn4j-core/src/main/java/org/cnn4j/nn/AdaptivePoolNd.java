package org.cnn4j.nn;

import org.cnn4j.autograd.ops.PoolNdOp;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Pooling to a fixed output size whatever the input size, as PyTorch's AdaptiveAvgPool / AdaptiveMaxPool:
 * along an axis of input size I and output size O, output cell i covers input
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} (windows overlap when O does not divide I). Inputs are batched:
 * {@code [N, C, L]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}.
 */
public abstract class AdaptivePoolNd extends Module {
    private final boolean max;
    private final int dims;
    private final int[] outputSize;

    AdaptivePoolNd(boolean max, int dims, int... outputSize) {
        this.max = max;
        this.dims = dims;
        String received = "Received: output_size=" + Arrays.toString(outputSize);
        String name = getClass().getSimpleName();
        if (outputSize.length != 1 && outputSize.length != dims)
            throw new IllegalArgumentException(name + ": output_size needs 1 or " + dims + " values. " + received);
        this.outputSize = new int[dims];
        for (int a = 0; a < dims; a++) {
            this.outputSize[a] = outputSize[outputSize.length == 1 ? 0 : a];
            if (this.outputSize[a] <= 0)
                throw new IllegalArgumentException(name + ": output size must be positive. " + received);
        }
    }

    @Override
    public final Tensor forward(Tensor input) {
        PoolNd.checkInput(this, dims, input.shape());
        return PoolNdOp.adaptive(input, max, outputSize);
    }

    /** The output's spatial size, one entry per axis. */
    public final int[] outputSize() {
        return outputSize.clone();
    }

    @Override
    public String describe() {
        boolean same = Arrays.stream(outputSize).allMatch(v -> v == outputSize[0]);
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < dims && (a == 0 || !same); a++) sb.append(a > 0 ? "x" : "").append(outputSize[a]);
        return getClass().getSimpleName() + " " + sb;
    }
}
