package org.cnn4j.data.transforms;

import org.cnn4j.data.Batch;
import org.cnn4j.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * MixUp (Zhang et al., 2018) as torchvision's reference training scripts do it ({@code RandomMixup}):
 * with probability {@code p}, lambda ~ Beta(alpha, alpha) and every sample i is mixed with sample i - 1
 * (the batch rolled by one): {@code x_i = lambda x_i + (1 - lambda) x_(i-1)}, soft target
 * {@code lambda onehot(y_i) + (1 - lambda) onehot(y_(i-1))}. Every output batch has soft targets (one-hot
 * when not mixed), so a loss sees one kind of target; each row sums to 1. The hard labels become the
 * dominant class of each sample (y_i when lambda >= 0.5). Train with
 * {@link org.cnn4j.loss.CrossEntropyLoss#apply(Tensor, Batch)}.
 */
public final class MixUp implements BatchTransform {
    private final int numClasses;
    private final double alpha, p;

    /** Always mixes, lambda ~ Beta(alpha, alpha). */
    public MixUp(int numClasses, double alpha) {
        this(numClasses, alpha, 1.0);
    }

    public MixUp(int numClasses, double alpha, double p) {
        this.numClasses = Check.positive("MixUp numClasses", numClasses);
        this.alpha = Check.positive("MixUp alpha", alpha);
        this.p = Check.probability("MixUp p", p);
    }

    @Override
    public Batch apply(Batch batch, SplittableRandom rng) {
        int b = batch.size();
        Tensor in = batch.inputs();
        float[] x = in.data();
        int per = x.length / b;
        float[] soft = SoftTargets.oneHot(batch.labels(), numClasses, "MixUp");
        if (b < 2 || !(rng.nextDouble() < p)) return new Batch(new Tensor(x.clone(), in.shape()), batch.labels().clone(),
                new Tensor(soft, b, numClasses));
        double lambda = Beta.symmetric(alpha, rng);
        float lam = (float) lambda, rest = 1f - lam;
        float[] out = new float[x.length];
        int[] labels = batch.labels(), mixedLabels = new int[b];
        float[] mixedSoft = new float[soft.length];
        for (int i = 0; i < b; i++) {
            int j = (i + b - 1) % b;
            for (int k = 0; k < per; k++) out[i * per + k] = lam * x[i * per + k] + rest * x[j * per + k];
            for (int c = 0; c < numClasses; c++)
                mixedSoft[i * numClasses + c] = lam * soft[i * numClasses + c] + rest * soft[j * numClasses + c];
            mixedLabels[i] = lambda >= 0.5 ? labels[i] : labels[j];
        }
        return new Batch(new Tensor(out, in.shape()), mixedLabels, new Tensor(mixedSoft, b, numClasses));
    }

    @Override
    public String toString() {
        return "MixUp(alpha=" + alpha + ", p=" + p + ", classes=" + numClasses + ")";
    }
}
