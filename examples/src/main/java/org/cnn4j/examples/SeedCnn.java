package org.cnn4j.examples;

import org.cnn4j.graph.Input;
import org.cnn4j.graph.Layer;
import org.cnn4j.graph.Layers;
import org.cnn4j.graph.Model;
import org.cnn4j.graph.SymbolicTensor;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Regularizer;

import java.util.List;

/**
 * The CNN of seed 003's initialisation / batch-norm / GAP / regularisation lessons, built with the
 * functional API as the seed writes it (three blocks of two 3x3 'same' convolutions and a 2x2 max pool,
 * widths {@code w, 2w, 4w}; the seed uses w = 32 on CIFAR-10's 32x32x3):
 * <pre>
 * x = Conv2D(w, 3, padding='same', activation='relu', kernel_initializer=init)(input)   # with BN: Conv2D -> BatchNorm2d -> Activation('relu')
 * x = Conv2D(w, 3, padding='same', activation='relu', kernel_initializer=init)(x)
 * x = MaxPooling2D(2)(x)
 * ... the same with 2w and 4w filters ...
 * x = Flatten()(x)               or  GlobalAveragePooling2D()(x)
 * x = Dense(hidden, activation='relu', kernel_regularizer=l2(a))(x)
 * output = Dense(classes, kernel_regularizer=l2(a))(x)                  # logits
 * </pre>
 *
 * @param width filters of the first block (the seed: 32)
 * @param batchNorm a BatchNormalization between every convolution and its ReLU
 * @param init the convolutions' and dense layers' kernel initializer by Keras name ({@code default} is PyTorch's)
 * @param globalAveragePooling GAP instead of Flatten before the dense layers
 * @param hidden units of the hidden dense layer
 * @param denseL2 Keras l2 factor on the dense layers' kernels (0: none)
 */
public record SeedCnn(int width, boolean batchNorm, String init, boolean globalAveragePooling, int hidden, double denseL2) {
    public SeedCnn {
        if (width < 1) throw new IllegalArgumentException("SeedCnn: width must be >= 1. Received: " + width);
        if (hidden < 1) throw new IllegalArgumentException("SeedCnn: hidden must be >= 1. Received: " + hidden);
        if (!(denseL2 >= 0)) throw new IllegalArgumentException("SeedCnn: denseL2 must be >= 0. Received: " + denseL2);
    }

    /** The plain network: no BN, PyTorch's default init, Flatten, 100 hidden units, no L2. */
    public static SeedCnn plain(int width) {
        return new SeedCnn(width, false, "default", false, 100, 0);
    }

    public SeedCnn withBatchNorm(boolean on) {
        return new SeedCnn(width, on, init, globalAveragePooling, hidden, denseL2);
    }

    public SeedCnn withInit(String name) {
        return new SeedCnn(width, batchNorm, name, globalAveragePooling, hidden, denseL2);
    }

    public SeedCnn withGlobalAveragePooling(boolean on) {
        return new SeedCnn(width, batchNorm, init, on, hidden, denseL2);
    }

    public SeedCnn withDenseL2(double a) {
        return new SeedCnn(width, batchNorm, init, globalAveragePooling, hidden, a);
    }

    /** Builds the model for {@code spec}'s input (at least 8x8: three 2x2 pools). */
    public Model build(ModelSpec spec) {
        if (spec.height() < 8 || spec.width() < 8)
            throw new IllegalArgumentException("SeedCnn: input " + spec.height() + "x" + spec.width()
                    + " is too small for three 2x2 max pools (needs at least 8x8)");
        SymbolicTensor in = Input.of(spec.inputShape());
        SymbolicTensor x = in;
        for (int block = 0; block < 3; block++) {
            int filters = width << block;
            for (int i = 0; i < 2; i++) x = conv(filters, x);
            x = Layers.maxPooling2d(2).apply(x);
        }
        if (globalAveragePooling) x = Layers.of(new AdaptiveAvgPool2d(1)).apply(x);
        x = Layers.flatten().apply(x);
        Regularizer l2 = denseL2 > 0 ? Regularizer.l2(denseL2) : null; // Keras' kernel_regularizer on the dense layers
        x = Layers.dense(hidden).kernelInitializer(init).kernelRegularizer(l2).activation("relu").apply(x);
        return new Model(in, Layers.dense(spec.numClasses()).kernelInitializer(init).kernelRegularizer(l2).apply(x));
    }

    private SymbolicTensor conv(int filters, SymbolicTensor x) {
        var conv = Layers.conv2d(filters, 3).padding("same").kernelInitializer(init);
        if (!batchNorm) return conv.activation("relu").apply(x);
        x = conv.apply(x);
        x = batchNormLayer().apply(x);
        return Layers.activation("relu").apply(x);
    }

    /**
     * BatchNorm2d with PyTorch's defaults (momentum 0.1, eps 1e-5) rather than Keras' (momentum 0.99, i.e.
     * 0.01 in PyTorch's convention): with Keras' value the running statistics used at test time are still
     * close to their initial 0 and 1 after the few hundred steps these short experiments take, and the
     * test accuracy collapses to chance (measured: 0.10-0.12 after one epoch of 79 steps, while the
     * training accuracy was 0.67-0.69).
     */
    static Layer batchNormLayer() {
        return new Layer() {
            @Override
            protected Module build(List<int[]> shapes) {
                return new BatchNorm2d(shapes.getFirst()[0]);
            }
        };
    }

    /** A short label for tables: {@code BN he_normal GAP l2=0.001}. */
    public String label() {
        return (batchNorm ? "BN " : "no BN ") + init + (globalAveragePooling ? " GAP" : " flatten") + (denseL2 > 0 ? " l2=" + denseL2 : "");
    }
}
