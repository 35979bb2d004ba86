package org.cnn4j.models;

import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Seed 002's CIFAR CNN, 227,026 parameters for [N, 3, 32, 32] input and 10 classes:
 * <pre>
 * layer1 = Conv2d(3, 7, 5), BatchNorm2d(7), ReLU, MaxPool2d(2)              (3,32,32) -> (7,28,28) -> (7,14,14)
 * layer2 = Conv2d(7, 15, 5, padding 2), BatchNorm2d(15), ReLU, MaxPool2d(2)  -> (15,14,14) -> (15,7,7)
 * reshape -> fc1 Linear(735, 300) -> relu (functional, as the seed's F.relu) -> fc2 Linear(300, 10)
 * </pre>
 * The seed's torchsummary table has ten rows: the functional ReLU gets none. For other inputs fc1 takes
 * 15 * H' * W' features with H' = floor((floor((H - 4) / 2)) / 2).
 */
public final class CifarCNN extends Module {
    private final Sequential layer1, layer2;
    private final Linear fc1, fc2;

    public CifarCNN() {
        this(new ModelSpec(3, 32, 32, 10));
    }

    public CifarCNN(ModelSpec spec) {
        Dims d = new Dims("cifar-cnn", spec)
                .window("layer1.0 Conv2d k5 s1 p0", 5, 1, 0).window("layer1.3 MaxPool2d k2 s2", 2, 2, 0)
                .window("layer2.0 Conv2d k5 s1 p2", 5, 1, 2).window("layer2.3 MaxPool2d k2 s2", 2, 2, 0);
        layer1 = registerModule("layer1", new Sequential(
                new Conv2d(spec.inChannels(), 7, 5, 1, 0), new BatchNorm2d(7), new ReLU(), new MaxPool2d(2)));
        layer2 = registerModule("layer2", new Sequential(
                new Conv2d(7, 15, 5, 1, 2), new BatchNorm2d(15), new ReLU(), new MaxPool2d(2)));
        fc1 = registerModule("fc1", new Linear(d.flat(15), 300));
        fc2 = registerModule("fc2", new Linear(300, spec.numClasses()));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = layer2.call(layer1.call(x));
        out = out.view(out.size(0), -1);
        return fc2.call(fc1.call(out).relu());
    }

    @Override
    public String describe() {
        return "CifarCNN";
    }
}
