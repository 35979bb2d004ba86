package org.cnn4j.graph;

import org.cnn4j.nn.Activations;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Regularizer;

import java.util.Arrays;
import java.util.List;

/**
 * Keras-style layers for the functional API, with Keras' defaults (glorot_uniform kernels, zero biases,
 * "valid" padding, BatchNormalization momentum 0.99 and epsilon 1e-3), laid out NCHW as the rest of
 * cnn4j: {@code Input.of(1, 28, 28)} is Keras' {@code Input(shape=(28, 28, 1))}.
 *
 * <pre>{@code
 * SymbolicTensor in = Input.of(1, 28, 28);
 * SymbolicTensor x = Layers.conv2d(32, 3).padding("same").activation("relu").apply(in);
 * x = Layers.conv2d(64, 3).activation("relu").apply(x);
 * x = Layers.maxPooling2d(2).apply(x);
 * x = Layers.flatten().apply(x);
 * x = Layers.dense(100).activation("relu").apply(x);
 * x = Layers.dropout(0.4f).apply(x);
 * Model model = new Model(in, Layers.dense(10).apply(x));   // logits; CrossEntropyLoss applies softmax
 * }</pre>
 * The input size of every layer comes from the graph, as in Keras.
 */
public final class Layers {
    private Layers() {
    }

    // ---------------------------------------------------------------- layers with weights

    /** Keras {@code Dense(units)}: a {@link Linear} over the last dimension; input features from the graph. */
    public static Dense dense(int units) {
        return new Dense(units);
    }

    /** Keras {@code Conv2D(filters, kernel_size)}: a {@link Conv2d}; input channels from the graph. */
    public static Conv2D conv2d(int filters, int kernelSize) {
        return new Conv2D(filters, kernelSize, kernelSize);
    }

    /** Keras {@code Conv2D(filters, (kh, kw))}. */
    public static Conv2D conv2d(int filters, int kernelHeight, int kernelWidth) {
        return new Conv2D(filters, kernelHeight, kernelWidth);
    }

    /** Keras {@code BatchNormalization()}: BatchNorm1d for [N, F] inputs, BatchNorm2d for [N, C, H, W]. */
    public static Layer batchNormalization() {
        return new Layer() {
            @Override
            protected Module build(List<int[]> shapes) {
                int[] s = single(shapes, "BatchNormalization");
                // Keras momentum 0.99 weights the old running value; PyTorch's momentum weights the new one.
                return switch (s.length) {
                    case 1 -> new BatchNorm1d(s[0], 1e-3f, 0.01f);
                    case 3 -> new BatchNorm2d(s[0], 1e-3f, 0.01f);
                    default -> throw new IllegalArgumentException("BatchNormalization takes [None, F] or [None, C, H, W], got "
                            + Layer.shapesStr(shapes));
                };
            }
        };
    }

    // ---------------------------------------------------------------- layers without weights

    /** Keras {@code MaxPooling2D(pool_size)}: stride defaults to the pool size. */
    public static Layer maxPooling2d(int poolSize) {
        return Layer.of(new MaxPool2d(poolSize));
    }

    /** Keras {@code MaxPooling2D(pool_size, strides)}. */
    public static Layer maxPooling2d(int poolSize, int strides) {
        return Layer.of(new MaxPool2d(poolSize, strides));
    }

    /** Keras {@code AveragePooling2D(pool_size)}. */
    public static Layer averagePooling2d(int poolSize) {
        return Layer.of(new AvgPool2d(poolSize));
    }

    /** Keras {@code Flatten()}: [N, ...] to [N, prod(...)]. */
    public static Layer flatten() {
        return Layer.of(new Flatten());
    }

    /** Keras {@code Dropout(rate)}. */
    public static Layer dropout(float rate) {
        return Layer.of(new Dropout(rate));
    }

    /** Keras {@code Activation(name)}; the names are {@link Activations}'. */
    public static Layer activation(String name) {
        return Layer.of(activationModule(name));
    }

    /** Wraps any module as a graph layer (PyTorch-style modules mix freely with Keras-style ones). */
    public static Layer of(Module module) {
        return Layer.of(module);
    }

    /** Keras {@code Add()}: the elementwise sum of several inputs of one shape (a residual join). */
    public static Layer add() {
        return Layer.of(new Add());
    }

    /** Keras {@code Concatenate(axis)} with the NCHW axis: 1 joins channels, as Inception does. */
    public static Layer concatenate(int dim) {
        return Layer.of(new Concatenate(dim));
    }

    /** The module for a Keras activation name (relu, sigmoid, tanh, softmax, ...; see {@link Activations}). */
    static Module activationModule(String name) {
        return Activations.named(name);
    }

    private static int[] single(List<int[]> shapes, String layer) {
        if (shapes.size() != 1) throw new IllegalArgumentException(layer + " takes one input, got " + shapes.size());
        return shapes.get(0);
    }

    // ---------------------------------------------------------------- configurable layers

    /**
     * What Keras' Dense and Conv2D share: use_bias, kernel_initializer (default glorot_uniform), zero biases,
     * kernel_regularizer and bias_regularizer. {@code L} is the concrete layer, so the setters chain.
     */
    public abstract static class Weighted<L extends Weighted<L>> extends Layer {
        boolean useBias = true;
        Init kernelInit = Init.GLOROT_UNIFORM;
        private Regularizer kernelReg, biasReg;

        @SuppressWarnings("unchecked")
        private L self() {
            return (L) this;
        }

        public L useBias(boolean on) {
            useBias = on;
            return self();
        }

        /** By name (glorot_uniform, he_normal, ...; see {@link Init#named}). */
        public L kernelInitializer(String name) {
            kernelInit = Init.named(name);
            return self();
        }

        /** Keras' {@code kernel_regularizer}: a penalty on the weights added to the loss, e.g. {@code Regularizer.l2(1e-3)}. */
        public L kernelRegularizer(Regularizer r) {
            kernelReg = r;
            return self();
        }

        /** Keras' {@code bias_regularizer}. */
        public L biasRegularizer(Regularizer r) {
            biasReg = r;
            return self();
        }

        /** Keras' bias_initializer="zeros" and the regularizers, on the built layer's parameters. */
        void finish(Parameter kernel, Parameter bias) {
            if (bias != null) Arrays.fill(bias.data(), 0f);
            if (kernelReg != null) kernel.regularizer(kernelReg);
            if (biasReg != null && bias != null) bias.regularizer(biasReg);
        }
    }

    /** Keras Dense; {@link #useBias}, {@link #kernelInitializer} as in Keras. */
    public static final class Dense extends Weighted<Dense> {
        private final int units;

        private Dense(int units) {
            if (units < 1) throw new IllegalArgumentException("Dense: units must be >= 1, got " + units);
            this.units = units;
        }

        @Override
        protected Module build(List<int[]> shapes) {
            int[] s = single(shapes, "Dense");
            if (s.length != 1)
                throw new IllegalArgumentException("Dense(" + units + ") takes [None, features], got " + Layer.shapesStr(shapes)
                        + "; put Layers.flatten() before it");
            Linear linear = new Linear(s[0], units, useBias, kernelInit);
            finish(linear.weight(), linear.bias());
            return linear;
        }
    }

    /** Keras Conv2D; {@link #strides}, {@link #padding}, {@link #useBias}, {@link #kernelInitializer} as in Keras. */
    public static final class Conv2D extends Weighted<Conv2D> {
        private final int filters, kh, kw;
        private int sh = 1, sw = 1;
        private Padding padding = Padding.VALID;

        private Conv2D(int filters, int kh, int kw) {
            if (filters < 1 || kh < 1 || kw < 1)
                throw new IllegalArgumentException("Conv2D: filters and kernel size must be >= 1, got filters=" + filters
                        + ", kernel=" + kh + "x" + kw);
            this.filters = filters;
            this.kh = kh;
            this.kw = kw;
        }

        public Conv2D strides(int s) {
            return strides(s, s);
        }

        public Conv2D strides(int h, int w) {
            if (h < 1 || w < 1) throw new IllegalArgumentException("Conv2D: strides must be >= 1, got " + h + "x" + w);
            sh = h;
            sw = w;
            return this;
        }

        /** "same" (TensorFlow's rule), "valid", or a number of zero pixels on each side. */
        public Conv2D padding(String p) {
            padding = Padding.parse(p);
            return this;
        }

        @Override
        protected Module build(List<int[]> shapes) {
            int[] s = single(shapes, "Conv2D");
            if (s.length != 3)
                throw new IllegalArgumentException("Conv2D(" + filters + ") takes [None, C, H, W], got " + Layer.shapesStr(shapes));
            Conv2d conv = Conv2d.builder(s[0], filters, kh).kernel(kh, kw).stride(sh, sw).padding(padding)
                    .bias(useBias).init(kernelInit).build();
            finish(conv.weight(), conv.bias());
            return conv;
        }
    }
}
