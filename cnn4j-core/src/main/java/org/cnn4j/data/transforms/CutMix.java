package org.cnn4j.data.transforms;

import org.cnn4j.data.Batch;
import org.cnn4j.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * CutMix (Yun et al., 2019) as torchvision's reference training scripts do it ({@code RandomCutmix}):
 * with probability {@code p}, lambda ~ Beta(alpha, alpha), a centre (cx, cy) uniform over the image, the
 * box [cx - r W, cx + r W) x [cy - r H, cy + r H) with r = sqrt(1 - lambda) / 2 (integer half sizes,
 * clipped to the image) is pasted into every sample i from sample i - 1, and lambda becomes the kept area
 * fraction {@code 1 - box area / (H W)}: soft target {@code lambda onehot(y_i) + (1 - lambda)
 * onehot(y_(i-1))}, rows summing to 1, one-hot when not mixed. Inputs must be [B, C, H, W]. Hard labels
 * become the dominant class (y_i when the kept fraction >= 0.5).
 */
public final class CutMix implements BatchTransform {
    private final int numClasses;
    private final double alpha, p;

    /** Always mixes, lambda ~ Beta(alpha, alpha). */
    public CutMix(int numClasses, double alpha) {
        this(numClasses, alpha, 1.0);
    }

    public CutMix(int numClasses, double alpha, double p) {
        this.numClasses = Check.positive("CutMix numClasses", numClasses);
        this.alpha = Check.positive("CutMix alpha", alpha);
        this.p = Check.probability("CutMix p", p);
    }

    /** The box {@code {y1, y2, x1, x2}} (half-open) for lambda and centre (cy, cx) on an h x w image. */
    static int[] box(int h, int w, double lambda, int cy, int cx) {
        double r = 0.5 * Math.sqrt(1.0 - lambda);
        int rw = (int) (r * w), rh = (int) (r * h);
        return new int[] {Math.max(cy - rh, 0), Math.min(cy + rh, h), Math.max(cx - rw, 0), Math.min(cx + rw, w)};
    }

    @Override
    public Batch apply(Batch batch, SplittableRandom rng) {
        Tensor in = batch.inputs();
        if (in.rank() != 4)
            throw new IllegalArgumentException("CutMix needs image batches [B, C, H, W]. Received: inputs shaped "
                    + java.util.Arrays.toString(in.shape()));
        int b = batch.size(), c = in.size(1), h = in.size(2), w = in.size(3);
        float[] x = in.data(), out = x.clone();
        float[] soft = SoftTargets.oneHot(batch.labels(), numClasses, "CutMix");
        if (b < 2 || !(rng.nextDouble() < p)) return new Batch(new Tensor(out, in.shape()), batch.labels().clone(),
                new Tensor(soft, b, numClasses));
        double lambda = Beta.symmetric(alpha, rng);
        int cx = rng.nextInt(w), cy = rng.nextInt(h);
        int[] bx = box(h, w, lambda, cy, cx);
        int per = c * h * w;
        for (int i = 0; i < b; i++) {
            int j = (i + b - 1) % b;
            for (int ch = 0; ch < c; ch++)
                for (int y = bx[0]; y < bx[1]; y++) {
                    int off = ch * h * w + y * w;
                    System.arraycopy(x, j * per + off + bx[2], out, i * per + off + bx[2], bx[3] - bx[2]);
                }
        }
        double kept = 1.0 - (double) (bx[1] - bx[0]) * (bx[3] - bx[2]) / ((double) w * h);
        float lam = (float) kept, rest = 1f - lam;
        int[] labels = batch.labels(), mixedLabels = new int[b];
        float[] mixedSoft = new float[soft.length];
        for (int i = 0; i < b; i++) {
            int j = (i + b - 1) % b;
            for (int k = 0; k < numClasses; k++)
                mixedSoft[i * numClasses + k] = lam * soft[i * numClasses + k] + rest * soft[j * numClasses + k];
            mixedLabels[i] = kept >= 0.5 ? labels[i] : labels[j];
        }
        return new Batch(new Tensor(out, in.shape()), mixedLabels, new Tensor(mixedSoft, b, numClasses));
    }

    @Override
    public String toString() {
        return "CutMix(alpha=" + alpha + ", p=" + p + ", classes=" + numClasses + ")";
    }
}
