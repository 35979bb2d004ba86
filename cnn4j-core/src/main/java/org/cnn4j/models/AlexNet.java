package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * AlexNet as torchvision 0.14 builds it (the single-GPU "one weird trick" variant), 61,100,840 parameters
 * for 1000 classes, with torchvision's state-dict names:
 * <pre>
 * features   = Conv2d(3, 64, 11, s4, p2), ReLU, MaxPool2d(3, 2), Conv2d(64, 192, 5, p2), ReLU, MaxPool2d(3, 2),
 *              Conv2d(192, 384, 3, p1), ReLU, Conv2d(384, 256, 3, p1), ReLU, Conv2d(256, 256, 3, p1), ReLU, MaxPool2d(3, 2)
 * avgpool    = AdaptiveAvgPool2d(6)
 * classifier = Dropout(0.5), Linear(9216, 4096), ReLU, Dropout(0.5), Linear(4096, 4096), ReLU, Linear(4096, classes)
 * </pre>
 * PyTorch's default initialisation (torchvision applies none of its own). The adaptive pooling makes the
 * classifier independent of the input size; the smallest input the features take is 63x63.
 */
public final class AlexNet extends Module {
    private final Sequential features, classifier;
    private final AdaptiveAvgPool2d avgpool;

    public AlexNet(int numClasses) {
        this(new ModelSpec(3, 224, 224, numClasses));
    }

    public AlexNet(ModelSpec spec) {
        new Dims("alexnet", spec).window("features.0 Conv2d k11 s4 p2", 11, 4, 2).window("features.2 MaxPool2d k3 s2", 3, 2, 0)
                .window("features.3 Conv2d k5 s1 p2", 5, 1, 2).window("features.5 MaxPool2d k3 s2", 3, 2, 0)
                .window("features.6 Conv2d k3 s1 p1", 3, 1, 1).window("features.8 Conv2d k3 s1 p1", 3, 1, 1)
                .window("features.10 Conv2d k3 s1 p1", 3, 1, 1).window("features.12 MaxPool2d k3 s2", 3, 2, 0);
        features = registerModule("features", new Sequential(
                new Conv2d(spec.inChannels(), 64, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(0.5f), new Linear(256 * 6 * 6, 4096), new ReLU(),
                new Dropout(0.5f), new Linear(4096, 4096), new ReLU(),
                new Linear(4096, spec.numClasses())));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    @Override
    public String describe() {
        return "AlexNet";
    }
}
