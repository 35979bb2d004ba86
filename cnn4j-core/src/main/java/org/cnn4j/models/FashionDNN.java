package org.cnn4j.models;

import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * The seed's FashionDNN (seed 000, code 5-6), 235,146 parameters: view(-1, 784) -> fc1 Linear(784, 256)
 * -> ReLU -> drop Dropout(0.25) -> fc2 Linear(256, 128) -> ReLU -> fc3 Linear(128, 10).
 * For other inputs ({@link #FashionDNN(ModelSpec)}) fc1 takes C*H*W features.
 */
public final class FashionDNN extends Module {
    private final Linear fc1, fc2, fc3;
    private final Dropout drop;
    private final int inFeatures;

    public FashionDNN() {
        this(10);
    }

    public FashionDNN(int numClasses) {
        this(new ModelSpec(1, 28, 28, numClasses));
    }

    /** fc1 takes {@code inChannels * height * width} features. */
    public FashionDNN(ModelSpec spec) {
        inFeatures = spec.inChannels() * spec.height() * spec.width();
        fc1 = registerModule("fc1", new Linear(inFeatures, 256));
        drop = registerModule("drop", new Dropout(0.25f));
        fc2 = registerModule("fc2", new Linear(256, 128));
        fc3 = registerModule("fc3", new Linear(128, spec.numClasses()));
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor out = input.view(-1, inFeatures);
        out = fc1.call(out).relu();
        out = drop.call(out);
        out = fc2.call(out).relu();
        return fc3.call(out);
    }

    @Override
    public String describe() {
        return "FashionDNN";
    }
}
