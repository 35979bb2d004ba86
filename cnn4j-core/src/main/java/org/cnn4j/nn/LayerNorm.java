package org.cnn4j.nn;

import org.cnn4j.autograd.ops.LayerNormOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation (PyTorch's LayerNorm): each sample is normalised over its last dimensions, which
 * must equal {@code normalized_shape}, with the mean and biased variance of those values; then, with
 * {@code elementwise_affine} (default), scaled and shifted by a learnable weight and bias of shape
 * {@code normalized_shape}. The same in training and evaluation; no running statistics.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final int size;
    private final float eps;
    private final Parameter weight, bias;

    /** eps 1e-5, elementwise affine, as PyTorch. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0)
            throw new IllegalArgumentException("LayerNorm: normalized_shape must have at least one dimension. Received: normalized_shape="
                    + (normalizedShape == null ? "null" : Shape.str(normalizedShape)));
        for (int d : normalizedShape)
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: every dimension of normalized_shape must be positive. Received: normalized_shape="
                    + Shape.str(normalizedShape));
        if (!(eps > 0) || !Float.isFinite(eps))
            throw new IllegalArgumentException("LayerNorm: eps must be a finite number > 0. Received: eps=" + eps);
        this.normalizedShape = normalizedShape.clone();
        this.size = Shape.size(normalizedShape);
        this.eps = eps;
        weight = elementwiseAffine ? registerParameter("weight", Parameter.of(Tensor.ones(normalizedShape))) : null;
        bias = elementwiseAffine ? registerParameter("bias", Parameter.of(Tensor.zeros(normalizedShape))) : null;
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** Null without elementwise affine. */
    public Parameter weight() {
        return weight;
    }

    /** Null without elementwise affine. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        int k = normalizedShape.length;
        boolean ok = s.length >= k && Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape);
        if (!ok) {
            StringBuilder expected = new StringBuilder("[*");
            for (int d : normalizedShape) expected.append(", ").append(d);
            throw shapeError("input " + Shape.str(s) + " does not end with normalized_shape " + Shape.str(normalizedShape)
                    + ": expected " + expected.append(']'));
        }
        return LayerNormOp.apply(input, size, weight, bias, eps);
    }

    @Override
    public String describe() {
        return "LayerNorm " + Shape.str(normalizedShape) + (eps != 1e-5f ? ", eps " + eps : "")
                + (weight == null ? ", elementwise_affine False" : "");
    }
}
