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

    /**
     * Runs the layers in order; a BatchNorm directly followed by a ReLU runs as one fused op, and with a max pool
     * right after them as one op too where {@link BatchNorm#callWithReluAndPool} allows; a Conv2d right before a
     * 2x2 stride-2 pool's three joins them where {@link BatchNorm#callConvWithReluAndPool} allows.
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        Module[] layers = children().values().toArray(new Module[0]);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] instanceof Conv2d conv && i + 3 < layers.length && layers[i + 1] instanceof BatchNorm bn
                    && layers[i + 2] instanceof ReLU relu && layers[i + 3] instanceof PoolNd pool && pool.isMaxPool2x2()) {
                x = bn.callConvWithReluAndPool(conv, relu, pool, x);
                i += 3;
            } else if (layers[i] instanceof BatchNorm bn && i + 1 < layers.length && layers[i + 1] instanceof ReLU relu) {
                if (i + 2 < layers.length && layers[i + 2] instanceof PoolNd pool && pool.isMaxPool2d()) {
                    x = bn.callWithReluAndPool(relu, pool, x);
                    i += 2;
                } else {
                    x = bn.callWithRelu(relu, x);
                    i++;
                }
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
