package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.ActivationKernels;
import org.cnn4j.kernels.ActivationKernels.Fn;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Elementwise activation functions, PyTorch 1.13 semantics (including the derivative chosen at each
 * kink). Forward formulas and their derivatives are side by side below; the loops are in
 * {@link ActivationKernels}. ReLU itself lives in {@link Elementwise#relu} (and fused into batch norm).
 */
public final class ActivationOp {
    private ActivationOp() {}

    /** forward: y = max(x, 0). backward: dx += dy where y > 0. */
    public static Tensor relu(Tensor x) {
        return Elementwise.relu(x);
    }

    /** forward: y = min(max(x, 0), 6). backward: dx += dy where 0 < x < 6 (0 at both kinks, as hardtanh). */
    public static Tensor relu6(Tensor x) {
        return apply(Fn.RELU6, 0f, x, "ReLU6");
    }

    /** forward: y = x > 0 ? x : slope * x. backward: dx += x > 0 ? dy : slope * dy. */
    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return apply(Fn.LEAKY_RELU, negativeSlope, x, "LeakyReLU");
    }

    /** forward: y = x > 0 ? x : alpha (exp(x) - 1). backward: dx += x > 0 ? dy : dy alpha exp(x). */
    public static Tensor elu(Tensor x, float alpha) {
        return apply(Fn.ELU, alpha, x, "ELU");
    }

    /**
     * forward: y = scale (x > 0 ? x : alpha (exp(x) - 1)), scale = 1.0507..., alpha = 1.6733...
     * backward: dx += dy scale (x > 0 ? 1 : alpha exp(x)).
     */
    public static Tensor selu(Tensor x) {
        return apply(Fn.SELU, 0f, x, "SELU");
    }

    /**
     * Exact form: y = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); backward dx += dy (Phi(x) + x phi(x)).
     * Tanh approximation: y = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3); backward
     * dx += dy (0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2)).
     */
    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        return tanhApproximation ? apply(Fn.GELU_TANH, 0f, x, "GELU(tanh)") : apply(Fn.GELU, 0f, x, "GELU");
    }

    /** forward: y = x sigmoid(x). backward: dx += dy s (1 + x (1 - s)), s = sigmoid(x). */
    public static Tensor silu(Tensor x) {
        return apply(Fn.SILU, 0f, x, "SiLU");
    }

    /** forward: y = 1 / (1 + exp(-x)). backward: dx += dy y (1 - y). */
    public static Tensor sigmoid(Tensor x) {
        return apply(Fn.SIGMOID, 0f, x, "Sigmoid");
    }

    /** forward: y = tanh(x). backward: dx += dy (1 - y^2). */
    public static Tensor tanh(Tensor x) {
        return apply(Fn.TANH, 0f, x, "Tanh");
    }

    /**
     * forward: y = x min(max(x + 3, 0), 6) / 6. backward: dx += 0 for x < -3, dy (x / 3 + 0.5) for
     * -3 <= x <= 3, dy for x > 3.
     */
    public static Tensor hardswish(Tensor x) {
        return apply(Fn.HARDSWISH, 0f, x, "Hardswish");
    }

    /** forward: y = min(max(x + 3, 0), 6) / 6. backward: dx += dy / 6 where -3 < x < 3. */
    public static Tensor hardsigmoid(Tensor x) {
        return apply(Fn.HARDSIGMOID, 0f, x, "Hardsigmoid");
    }

    private static Tensor apply(Fn fn, float param, Tensor x, String name) {
        float[] in = x.data(), y = BufferPool.floats(in.length);
        ActivationKernels.forward(fn, param, in, y, in.length);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> ActivationKernels.backward(fn, param, in, y, dy, dx, in.length));
            }

            @Override
            public String name() {
                return name;
            }
        });
        return out;
    }

    /**
     * PReLU: y = x > 0 ? x : w[c] x, with c the index along dimension 1 (weight of C elements) or one
     * weight shared by all elements. backward: dx += x > 0 ? dy : w[c] dy;
     * dw[c] += sum over the elements of channel c of (x > 0 ? 0 : x dy).
     */
    public static Tensor prelu(Tensor x, Tensor weight) {
        int[] s = x.shape();
        int w = weight.numel();
        int c = s.length >= 2 ? s[1] : 1;
        if (w != 1 && (s.length < 2 || s[1] != w))
            throw new IllegalArgumentException("prelu: a weight of " + w + " elements needs input [N, " + w
                    + ", ...], got " + Shape.str(s));
        // [N, C, *] with the weight indexed by C; below rank 2 there is no channel dimension (one group)
        int n = s.length >= 2 ? s[0] : 1;
        int inner = n * c == 0 ? 0 : x.numel() / (n * c);
        final int fn = n, fc = c, fInner = inner;
        float[] y = BufferPool.floats(x.numel());
        ActivationKernels.prelu(x.data(), weight.data(), y, fn, fc, fInner);
        Tensor out = new Tensor(y, s);
        if (Node.needsGrad(x, weight)) out.attach(new Node(x, weight) {
            @Override
            protected void backward(float[] dy) {
                float[] dWeight = gradOf(weight);
                if (x.requiresGrad()) {
                    addGradient(x, dx -> ActivationKernels.preluBackward(x.data(), weight.data(), dy, dx, dWeight, fn, fc, fInner));
                } else {
                    ActivationKernels.preluBackward(x.data(), weight.data(), dy, null, dWeight, fn, fc, fInner);
                }
            }

            @Override
            public String name() {
                return "PReLU";
            }
        });
        return out;
    }
}
