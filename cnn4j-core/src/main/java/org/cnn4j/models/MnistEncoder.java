package org.cnn4j.models;

import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Seed 004's MNIST model ({@code CNNModel}): five {@link Block}s (3x3 conv with padding 1, ReLU, 3x3 conv
 * with stride 2 and padding 1, ReLU) with channels 1 -> 32 -> 64 -> 128 -> 256 -> 512, then a classifier
 * Linear(512, 200), ReLU, Linear(200, num_classes): 4,816,258 parameters for 10 classes, as PyTorch counts
 * the seed's code. Each block halves the size rounding up, so 28x28 becomes 14, 7, 4, 2 and 1; for
 * larger inputs the classifier takes 512 * H' * W' features. State-dict names follow the seed:
 * {@code cnn_encoder.<i>.layer.<j>.weight}, {@code classifier.0.weight}, {@code classifier.2.weight}.
 */
public final class MnistEncoder extends Module {
    private static final int[] CHANNELS = {32, 64, 128, 256, 512};
    private final Sequential encoder, classifier;

    public MnistEncoder(int numClasses) {
        this(new ModelSpec(1, 28, 28, numClasses));
    }

    public MnistEncoder(ModelSpec spec) {
        Dims d = new Dims("mnist-encoder", spec);
        encoder = new Sequential();
        int in = spec.inChannels();
        for (int i = 0; i < CHANNELS.length; i++) {
            d.window("cnn_encoder." + i + ".layer.0 Conv2d k3 s1 p1", 3, 1, 1);
            d.window("cnn_encoder." + i + ".layer.2 Conv2d k3 s2 p1", 3, 2, 1);
            encoder.add(new Block(in, CHANNELS[i]));
            in = CHANNELS[i];
        }
        registerModule("cnn_encoder", encoder);
        classifier = registerModule("classifier", new Sequential(
                new Linear(d.flat(in), 200), new ReLU(), new Linear(200, spec.numClasses())));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = encoder.call(x);
        return classifier.call(out.view(out.size(0), -1));
    }

    @Override
    public String describe() {
        return "MnistEncoder";
    }

    /** Seed 004's {@code BatchedCNNLayer}: layer = Sequential(Conv2d(in, out, 3, padding 1), ReLU, Conv2d(out, out, 3, stride 2, padding 1), ReLU). */
    public static final class Block extends Module {
        private final Sequential layer;

        public Block(int in, int out) {
            layer = registerModule("layer", new Sequential(new Conv2d(in, out, 3, 1, 1), new ReLU(),
                    new Conv2d(out, out, 3, 2, 1), new ReLU()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return layer.call(x);
        }

        @Override
        public String describe() {
            return "BatchedCNNLayer";
        }
    }
}
