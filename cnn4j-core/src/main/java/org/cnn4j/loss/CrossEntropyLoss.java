package org.cnn4j.loss;

import org.cnn4j.autograd.ops.CrossEntropyOp;
import org.cnn4j.tensor.Tensor;

/**
 * PyTorch's CrossEntropyLoss with mean reduction: takes raw logits [N, C] and class indices, applies a
 * numerically stable log-softmax and the negative log-likelihood in one op.
 */
public final class CrossEntropyLoss {
    /** Mean over the batch of {@code -log softmax(logits)[n, target_n]}. */
    public Tensor apply(Tensor logits, int[] targets) {
        return CrossEntropyOp.apply(logits, targets);
    }
}
