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

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children().values()) x = m.call(x);
        return x;
    }

    @Override
    public String describe() {
        return "Sequential";
    }
}
