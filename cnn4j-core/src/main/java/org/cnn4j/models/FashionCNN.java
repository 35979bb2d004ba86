package org.cnn4j.models;

import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The seed's FashionCNN (seed 000, code 5-9), 1,475,338 parameters, for [N, 1, 28, 28] input:
 * layer1 = Conv2d(1, 32, 3, padding 1), BatchNorm2d(32), ReLU, MaxPool2d(2, 2)   -> [N, 32, 14, 14]
 * layer2 = Conv2d(32, 64, 3), BatchNorm2d(64), ReLU, MaxPool2d(2)                -> [N, 64, 6, 6]
 * flatten -> fc1 Linear(2304, 600) -> drop Dropout2d(0.25) -> fc2 Linear(600, 120) -> fc3 Linear(120, 10).
 * As in the seed there is no activation between the fully connected layers. For other inputs
 * ({@link #FashionCNN(ModelSpec)}) fc1 takes 64 * H' * W' features, H' = floor((floor(H/2) - 2)/2).
 */
public final class FashionCNN extends Module {
    private final Sequential layer1, layer2;
    private final Linear fc1, fc2, fc3;
    private final Dropout2d drop;

    public FashionCNN() {
        this(10);
    }

    public FashionCNN(int numClasses) {
        this(new ModelSpec(1, 28, 28, numClasses));
    }

    /** Sized for {@code spec}'s input; rejects inputs smaller than 8x8 naming the layer. */
    public FashionCNN(ModelSpec spec) {
        Dims d = new Dims("fashion-cnn", spec)
                .window("layer1.0 Conv2d k3 s1 p1", 3, 1, 1).window("layer1.3 MaxPool2d k2 s2", 2, 2, 0)
                .window("layer2.0 Conv2d k3 s1 p0", 3, 1, 0).window("layer2.3 MaxPool2d k2 s2", 2, 2, 0);
        layer1 = registerModule("layer1", new Sequential(
                new Conv2d(spec.inChannels(), 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2, 2)));
        layer2 = registerModule("layer2", new Sequential(
                new Conv2d(32, 64, 3), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2)));
        fc1 = registerModule("fc1", new Linear(d.flat(64), 600));
        drop = registerModule("drop", new Dropout2d(0.25f));
        fc2 = registerModule("fc2", new Linear(600, 120));
        fc3 = registerModule("fc3", new Linear(120, spec.numClasses()));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = layer1.call(x);
        out = layer2.call(out);
        out = out.view(out.size(0), -1);
        out = fc1.call(out);
        out = drop.call(out);
        out = fc2.call(out);
        return fc3.call(out);
    }

    @Override
    public String describe() {
        return "FashionCNN";
    }
}
