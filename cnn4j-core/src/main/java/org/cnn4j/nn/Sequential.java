package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/** Runs its children in order; children are named "0", "1", ... as in PyTorch. */
public final class Sequential extends Module {
    private int count;

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential add(Module layer) {
        registerModule(Integer.toString(count++), layer);
        return this;
    }

    public Module get(int index) {
        Module m = children().get(Integer.toString(index));
        if (m == null) throw new IndexOutOfBoundsException("Sequential has " + count + " layers, no index " + index);
        return m;
    }

    public int size() {
        return count;
    }

    /** Runs the layers in order; a BatchNorm directly followed by a ReLU runs as one fused op. */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        Module[] layers = children().values().toArray(new Module[0]);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] instanceof BatchNorm bn && i + 1 < layers.length && layers[i + 1] instanceof ReLU relu) {
                x = bn.callWithRelu(relu, x);
                i++;
            } else {
                x = layers[i].call(x);
            }
        }
        return x;
    }

    @Override
    public String describe() {
        return "Sequential";
    }
}
