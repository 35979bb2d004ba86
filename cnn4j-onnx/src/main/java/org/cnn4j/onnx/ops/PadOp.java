package org.cnn4j.onnx.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * ONNX Pad over any dimensions: constant, reflect or edge mode. Negative pads crop.
 * forward: y[i] = x[src(i)] where every coordinate maps into x (reflected or clamped at the borders),
 * or the constant where a coordinate falls outside in constant mode.
 * backward: dx[src(i)] += dy[i] for every output element that reads from x.
 */
public final class PadOp {
    private PadOp() {}

    public enum Mode { CONSTANT, REFLECT, EDGE }

    /** @param pads begin pads of every dimension, then end pads (ONNX order) */
    public static Tensor apply(Tensor x, long[] pads, Mode mode, float value) {
        int[] in = x.shape();
        int rank = in.length;
        if (pads.length != 2 * rank)
            throw new IllegalArgumentException("Pad: pads has " + pads.length + " values, input " + Shape.str(in) + " needs 2*rank = " + 2 * rank);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            long size = in[d] + pads[d] + pads[d + rank];
            if (size <= 0) throw new IllegalArgumentException("Pad: dimension " + d + " of " + Shape.str(in) + " would be " + size + " with pads " + java.util.Arrays.toString(pads));
            if (mode == Mode.REFLECT && (pads[d] >= in[d] || pads[d + rank] >= in[d]) && (pads[d] > 0 || pads[d + rank] > 0))
                throw new IllegalArgumentException("Pad: reflect padding " + pads[d] + "/" + pads[d + rank] + " must be smaller than dimension " + d + " (" + in[d] + ")");
            out[d] = (int) size;
        }
        int n = Shape.size(out);
        int[] src = new int[n];
        int[] inStrides = Shape.strides(in);
        int[] idx = new int[rank];
        for (int i = 0; i < n; i++) {
            int pos = 0;
            for (int d = 0; d < rank && pos >= 0; d++) {
                long c = idx[d] - pads[d];
                if (c < 0 || c >= in[d]) {
                    switch (mode) {
                        case CONSTANT -> c = -1;
                        case EDGE -> c = c < 0 ? 0 : in[d] - 1;
                        case REFLECT -> {
                            int m = in[d];
                            if (m == 1) c = 0;
                            else {
                                long period = 2L * (m - 1);
                                c = Math.floorMod(c, period);
                                if (c >= m) c = period - c;
                            }
                        }
                    }
                }
                pos = c < 0 ? -1 : pos + (int) c * inStrides[d];
            }
            src[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) break;
                idx[d] = 0;
            }
        }
        float[] a = x.data(), y = new float[n];
        for (int i = 0; i < n; i++) y[i] = src[i] < 0 ? value : a[src[i]];
        Tensor result = new Tensor(y, out);
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < n; i++) if (src[i] >= 0) dx[src[i]] += dy[i];
            }

            @Override
            public String name() {
                return "Pad";
            }
        });
        return result;
    }
}
