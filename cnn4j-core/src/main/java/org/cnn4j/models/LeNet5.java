package org.cnn4j.models;

import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * LeNet-5 for 28x28 digits, with the first convolution padded by 2 so 28x28 behaves as LeCun's 32x32:
 * <pre>
 * features   = Conv2d(1, 6, 5, padding 2), ReLU, MaxPool2d(2), Conv2d(6, 16, 5), ReLU, MaxPool2d(2)
 *              (1,28,28) -> (6,28,28) -> (6,14,14) -> (16,10,10) -> (16,5,5)
 * classifier = Linear(400, 120), ReLU, Linear(120, 84), ReLU, Linear(84, 10)
 * </pre>
 * 61,706 parameters. The modern form: ReLU and max pooling where the 1998 network had scaled tanh and
 * trainable average "subsampling"; the layer sizes and the parameter count of the convolution and
 * linear layers are LeCun's. Other inputs size the first linear layer (16 * H' * W').
 */
public final class LeNet5 extends Module {
    private final Sequential features, classifier;

    public LeNet5(int numClasses) {
        this(new ModelSpec(1, 28, 28, numClasses));
    }

    public LeNet5(ModelSpec spec) {
        Dims d = new Dims("lenet5", spec)
                .window("features.0 Conv2d k5 s1 p2", 5, 1, 2).window("features.2 MaxPool2d k2 s2", 2, 2, 0)
                .window("features.3 Conv2d k5 s1 p0", 5, 1, 0).window("features.5 MaxPool2d k2 s2", 2, 2, 0);
        features = registerModule("features", new Sequential(
                new Conv2d(spec.inChannels(), 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2)));
        classifier = registerModule("classifier", new Sequential(
                new Linear(d.flat(16), 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, spec.numClasses())));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x).flatten(1));
    }

    @Override
    public String describe() {
        return "LeNet-5";
    }
}
