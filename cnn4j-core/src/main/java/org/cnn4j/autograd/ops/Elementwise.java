package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ActivationKernels;
import org.cnn4j.kernels.ElementwiseKernels;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * Elementwise arithmetic with NumPy/PyTorch broadcasting, and unary functions. Each op's backward is
 * written right after its forward. Broadcast inputs receive gradients summed over the broadcast axes.
 */
public final class Elementwise {
    private Elementwise() {}

    private enum BinaryKind { ADD, SUB, MUL, DIV }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryKind.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryKind.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryKind.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryKind.DIV, a, b);
    }

    /**
     * forward: y = a (op) b with broadcasting. backward:
     * ADD da += dy, db += dy; SUB da += dy, db -= dy; MUL da += dy*b, db += dy*a;
     * DIV da += dy/b, db -= dy*a/b^2 (each reduced over the axes that were broadcast).
     */
    private static Tensor binary(BinaryKind kind, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(a.shape(), b.shape());
        int n = Shape.size(outShape);
        int[] ia = broadcastIndex(a.shape(), outShape), ib = broadcastIndex(b.shape(), outShape);
        if (ia == null && ib == null) return sameShape(kind, a, b, outShape);
        float[] x = a.data(), z = b.data(), y = BufferPool.floats(n);
        for (int i = 0; i < n; i++) {
            float p = x[ia == null ? i : ia[i]], q = z[ib == null ? i : ib[i]];
            y[i] = switch (kind) {
                case ADD -> p + q;
                case SUB -> p - q;
                case MUL -> p * q;
                case DIV -> p / q;
            };
        }
        Tensor out = new Tensor(y, outShape);
        if (Node.needsGrad(a, b)) out.attach(new Node(a, b) {
            @Override
            protected void backward(float[] dy) {
                float[] da = gradOf(a), db = gradOf(b);
                for (int i = 0; i < n; i++) {
                    int pa = ia == null ? i : ia[i], pb = ib == null ? i : ib[i];
                    float g = dy[i];
                    switch (kind) {
                        case ADD -> {
                            if (da != null) da[pa] += g;
                            if (db != null) db[pb] += g;
                        }
                        case SUB -> {
                            if (da != null) da[pa] += g;
                            if (db != null) db[pb] -= g;
                        }
                        case MUL -> {
                            if (da != null) da[pa] += g * z[pb];
                            if (db != null) db[pb] += g * x[pa];
                        }
                        case DIV -> {
                            if (da != null) da[pa] += g / z[pb];
                            if (db != null) db[pb] -= g * x[pa] / (z[pb] * z[pb]);
                        }
                    }
                }
            }

            @Override
            public String name() {
                return kind.name().charAt(0) + kind.name().substring(1).toLowerCase();
            }
        });
        return out;
    }

    /**
     * {@link #binary} for two inputs of one shape (a residual connection's join): parallel kernels, and gradients
     * written straight into fresh buffers ({@link Node#addGradient}) rather than added into zero-filled ones. Same
     * values as the broadcasting loops (ResNet-18's l1 join, backward: 0.35 -> 0.15 ms).
     */
    private static Tensor sameShape(BinaryKind kind, Tensor a, Tensor b, int[] shape) {
        float[] x = a.data(), z = b.data(), y = BufferPool.floats(x.length);
        int n = y.length;
        ElementwiseKernels.binary(switch (kind) {
            case ADD -> ElementwiseKernels.Op.ADD;
            case SUB -> ElementwiseKernels.Op.SUB;
            case MUL -> ElementwiseKernels.Op.MUL;
            case DIV -> ElementwiseKernels.Op.DIV;
        }, x, z, y, n);
        Tensor out = new Tensor(y, shape);
        if (Node.needsGrad(a, b)) out.attach(new Node(a, b) {
            @Override
            protected void backward(float[] dy) {
                if (a.requiresGrad()) switch (kind) {
                    // an intermediate input takes dy's buffer over, as View.reshape does; b then copies from it
                    case ADD, SUB -> {
                        if (!a.hasGrad() && a.gradFn() != null) a.adoptGrad(dy);
                        else addGradient(a, da -> ElementwiseKernels.copy(dy, da, n));
                    }
                    case MUL -> addGradient(a, da -> ElementwiseKernels.binary(ElementwiseKernels.Op.MUL, dy, z, da, n));
                    case DIV -> addGradient(a, da -> ElementwiseKernels.binary(ElementwiseKernels.Op.DIV, dy, z, da, n));
                }
                if (b.requiresGrad()) switch (kind) {
                    case ADD -> addGradient(b, db -> ElementwiseKernels.copy(dy, db, n));
                    case SUB -> addGradient(b, db -> ElementwiseKernels.negate(dy, db, n));
                    case MUL -> addGradient(b, db -> ElementwiseKernels.binary(ElementwiseKernels.Op.MUL, dy, x, db, n));
                    case DIV -> addGradient(b, db -> ElementwiseKernels.divisorGradient(dy, x, z, db, n));
                }
            }

            @Override
            public String name() {
                return kind.name().charAt(0) + kind.name().substring(1).toLowerCase();
            }
        });
        return out;
    }

    /** For each output element, the flat index into an input of shape {@code in}; null when no broadcasting. */
    private static int[] broadcastIndex(int[] in, int[] out) {
        if (java.util.Arrays.equals(in, out)) return null;
        int n = Shape.size(out), rank = out.length, shift = rank - in.length;
        int[] inStrides = Shape.strides(in);
        int[] effective = new int[rank]; // stride into the input per output dim, 0 where broadcast
        for (int d = 0; d < rank; d++) {
            int id = d - shift;
            effective[d] = id < 0 || in[id] == 1 ? 0 : inStrides[id];
        }
        int[] index = BufferPool.ints(n);
        int[] counter = new int[rank];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            index[i] = pos;
            for (int d = rank - 1; d >= 0; d--) { // odometer increment
                counter[d]++;
                pos += effective[d];
                if (counter[d] < out[d]) break;
                pos -= effective[d] * counter[d];
                counter[d] = 0;
            }
        }
        return index;
    }

    /** forward: y = x + c. backward: dx += dy. */
    public static Tensor addScalar(Tensor x, float c) {
        float[] a = x.data(), y = BufferPool.floats(a.length);
        for (int i = 0; i < a.length; i++) y[i] = a[i] + c;
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) dx[i] += dy[i];
            }

            @Override
            public String name() {
                return "AddScalar";
            }
        });
        return out;
    }

    /** forward: y = x * c. backward: dx += dy * c. */
    public static Tensor mulScalar(Tensor x, float c) {
        float[] a = x.data(), y = BufferPool.floats(a.length);
        for (int i = 0; i < a.length; i++) y[i] = a[i] * c;
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) dx[i] += dy[i] * c;
            }

            @Override
            public String name() {
                return "MulScalar";
            }
        });
        return out;
    }

    /** forward: y = exp(x). backward: dx += dy * y. */
    public static Tensor exp(Tensor x) {
        float[] a = x.data(), y = BufferPool.floats(a.length);
        for (int i = 0; i < a.length; i++) y[i] = (float) Math.exp(a[i]);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) dx[i] += dy[i] * y[i];
            }

            @Override
            public String name() {
                return "Exp";
            }
        });
        return out;
    }

    /** forward: y = ln(x). backward: dx += dy / x. */
    public static Tensor log(Tensor x) {
        float[] a = x.data(), y = BufferPool.floats(a.length);
        for (int i = 0; i < a.length; i++) y[i] = (float) Math.log(a[i]);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++) dx[i] += dy[i] / a[i];
            }

            @Override
            public String name() {
                return "Log";
            }
        });
        return out;
    }

    /** forward: y = max(x, 0). backward: dx += dy where y > 0 (PyTorch's choice: 0 at x == 0). */
    public static Tensor relu(Tensor x) {
        float[] y = BufferPool.floats(x.numel());
        ActivationKernels.relu(x.data(), y, y.length);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                boolean accumulate = x.hasGrad();
                float[] dx = accumulate ? x.gradBuffer() : x.gradBufferForOverwrite();
                ActivationKernels.reluBackward(y, dy, dx, dy.length, accumulate);
            }

            @Override
            public String name() {
                return "ReLU";
            }
        });
        return out;
    }
}
