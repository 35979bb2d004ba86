package org.cnn4j.loss;

import org.cnn4j.autograd.ops.CrossEntropyOp;
import org.cnn4j.data.Batch;
import org.cnn4j.tensor.Tensor;

/**
 * PyTorch's CrossEntropyLoss with mean reduction: takes raw logits [N, C] and either class indices or,
 * as PyTorch 1.10+ does, class probabilities [N, C] (soft targets, e.g. from MixUp or CutMix); applies a
 * numerically stable log-softmax and the negative log-likelihood in one op.
 */
public final class CrossEntropyLoss {
    /** Mean over the batch of {@code -log softmax(logits)[n, target_n]}. */
    public Tensor apply(Tensor logits, int[] targets) {
        return CrossEntropyOp.apply(logits, targets);
    }

    /**
     * Mean over the batch of {@code -sum_c targets[n, c] log softmax(logits)[n, c]} (PyTorch's
     * {@code cross_entropy} with probability targets); {@code targets} is not differentiated.
     */
    public Tensor apply(Tensor logits, Tensor targets) {
        return CrossEntropyOp.apply(logits, targets);
    }

    /** The batch's {@link Batch#softTargets() soft targets} when it has them, its hard labels otherwise. */
    public Tensor apply(Tensor logits, Batch batch) {
        return batch.softTargets() != null ? apply(logits, batch.softTargets()) : apply(logits, batch.labels());
    }
}
