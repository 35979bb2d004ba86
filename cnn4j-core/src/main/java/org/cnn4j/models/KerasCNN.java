package org.cnn4j.models;

import org.cnn4j.graph.Input;
import org.cnn4j.graph.Layers;
import org.cnn4j.graph.Model;
import org.cnn4j.graph.SymbolicTensor;

/**
 * Seed 003's Keras CNN, built with the functional API ({@link org.cnn4j.graph}) as the seed writes it:
 * <pre>
 * input_tensor = Input(shape=(28, 28, 1))
 * x = Conv2D(filters=32, kernel_size=3, strides=1, padding='same', activation='relu')(input_tensor)   320
 * x = Conv2D(filters=64, kernel_size=3, activation='relu')(x)                                       18,496
 * x = MaxPooling2D(2)(x)
 * x = Flatten()(x)                                                                     10,816 features
 * x = Dense(100, activation='relu')(x)                                                           1,081,700
 * x = Dropout(0.4)(x)
 * output = Dense(10, activation='softmax')(x)                                                        1,010
 * </pre>
 * 1,101,526 parameters, Keras' initialisers (glorot-uniform kernels, zero biases). NCHW as the rest of
 * cnn4j: the input is [N, 1, 28, 28]. {@link #create(ModelSpec)} (the zoo's keras-cnn) ends in logits
 * rather than the softmax, because cnn4j's CrossEntropyLoss applies the softmax itself (Keras'
 * {@code from_logits=True}); {@link #create(ModelSpec, boolean)} with {@code true} gives the seed's
 * softmax output. The Flatten size follows the input: 64 * floor((H - 2) / 2) * floor((W - 2) / 2).
 */
public final class KerasCNN {
    private KerasCNN() {}

    /** The zoo's keras-cnn: logits output. */
    public static Model create(ModelSpec spec) {
        return create(spec, false);
    }

    /** @param softmaxOutput end in the seed's softmax (probabilities) instead of logits */
    public static Model create(ModelSpec spec, boolean softmaxOutput) {
        new Dims("keras-cnn", spec).window("conv2d_1 Conv2d k3 s1 valid", 3, 1, 0).window("max_pool2d MaxPool2d k2 s2", 2, 2, 0);
        SymbolicTensor in = Input.of(spec.inputShape());
        SymbolicTensor x = Layers.conv2d(32, 3).padding("same").activation("relu").apply(in);
        x = Layers.conv2d(64, 3).activation("relu").apply(x);
        x = Layers.maxPooling2d(2).apply(x);
        x = Layers.flatten().apply(x);
        x = Layers.dense(100).activation("relu").apply(x);
        x = Layers.dropout(0.4f).apply(x);
        var out = Layers.dense(spec.numClasses());
        if (softmaxOutput) out.activation("softmax");
        return new Model(in, out.apply(x));
    }
}
