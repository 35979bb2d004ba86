package org.cnn4j.tensor;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.autograd.Node;
import org.cnn4j.autograd.ops.Elementwise;
import org.cnn4j.autograd.ops.MatMul;
import org.cnn4j.autograd.ops.Reduce;
import org.cnn4j.autograd.ops.View;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A float32 tensor: contiguous row-major storage in a {@code float[]} (NCHW for images), a shape, and
 * the autograd state (whether it needs a gradient, its gradient, the op that produced it).
 *
 * <p>Methods that compute something ({@link #add}, {@link #matmul}, {@link #sum()}...) are recorded on
 * the tape when any input requires a gradient; see {@link org.cnn4j.autograd.Autograd}. The raw
 * {@link #data()} array is exposed on purpose: kernels and optimizers work on it directly.
 */
public class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private float[] grad;
    /**
     * Set by {@link #zeroGrad()}: the gradient is logically zero but the buffer still holds the last step's
     * values. Readers clear it on first use; an op whose backward overwrites the whole gradient skips the clear
     * (for Linear's weight that is a 5.5 MB fill per FashionCNN step saved).
     */
    private boolean gradStale;
    private Node gradFn;

    /** Wraps {@code data} (not copied) with {@code shape}; sizes must agree. */
    public Tensor(float[] data, int... shape) {
        if (Shape.size(shape) != data.length)
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.size(shape)
                    + " elements, data has " + data.length);
        this.data = data;
        this.shape = shape.clone();
    }

    // ---------------------------------------------------------------- creation

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.size(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.size(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape);
    }

    /** Uniform in [low, high) from the given seeded generator. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... shape) {
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return new Tensor(d, shape);
    }

    /** Normal(mean, std) from the given seeded generator. */
    public static Tensor normal(RandomGenerator rng, float mean, float std, int... shape) {
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
        return new Tensor(d, shape);
    }

    // ---------------------------------------------------------------- shape and data

    /** The backing array (row-major). Writing to it bypasses autograd. */
    public final float[] data() {
        return data;
    }

    public final int[] shape() {
        return shape.clone();
    }

    public final int rank() {
        return shape.length;
    }

    public final int size(int dim) {
        return shape[Shape.dim(dim, shape.length)];
    }

    public final int numel() {
        return data.length;
    }

    /** The value of a one-element tensor. */
    public final float item() {
        if (data.length != 1) throw new IllegalStateException("item() needs one element, shape is " + Shape.str(shape));
        return data[0];
    }

    public final float get(int... index) {
        return data[offset(index)];
    }

    public final void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int... index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + Shape.str(shape));
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** A copy of the data with no autograd history. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    /** Shares the data, drops the autograd history (like PyTorch's detach). */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    // ---------------------------------------------------------------- differentiable ops

    /** Same data, new shape (one dimension may be -1). Shares storage. */
    public Tensor reshape(int... newShape) {
        return View.reshape(this, newShape);
    }

    /** Alias of {@link #reshape}, as in PyTorch. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /** Flattens dimensions from {@code startDim} to the end: [N, C, H, W].flatten(1) is [N, C*H*W]. */
    public Tensor flatten(int startDim) {
        int s = Shape.dim(startDim, shape.length);
        int[] ns = Arrays.copyOf(shape, s + 1);
        ns[s] = -1;
        return reshape(ns);
    }

    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    public Tensor add(float value) {
        return Elementwise.addScalar(this, value);
    }

    public Tensor mul(float value) {
        return Elementwise.mulScalar(this, value);
    }

    public Tensor neg() {
        return mul(-1f);
    }

    public Tensor exp() {
        return Elementwise.exp(this);
    }

    public Tensor log() {
        return Elementwise.log(this);
    }

    public Tensor relu() {
        return Elementwise.relu(this);
    }

    public Tensor square() {
        return mul(this);
    }

    /** 2-D matrix product [m, k] x [k, n]. */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other);
    }

    /** Transpose of a 2-D tensor (a copy). */
    public Tensor t() {
        return View.transpose2d(this);
    }

    public Tensor sum() {
        return Reduce.sumAll(this);
    }

    public Tensor mean() {
        return Reduce.sumAll(this).mul(1f / numel());
    }

    /** Sum over one dimension (removed unless keepDim). */
    public Tensor sum(int dim, boolean keepDim) {
        return Reduce.sum(this, dim, keepDim);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return Reduce.sum(this, dim, keepDim).mul(1f / shape[Shape.dim(dim, shape.length)]);
    }

    /** Maximum over one dimension (not differentiable; use the max-pool ops for gradients). */
    public Tensor max(int dim) {
        return Reduce.max(this, dim);
    }

    /** Index of the maximum along {@code dim} (first one on ties), as an int array over the other dims. */
    public int[] argmax(int dim) {
        return Reduce.argmax(this, dim);
    }

    /** Rows [start, end) of dimension 0, copied (e.g. a sub-batch). Not differentiable. */
    public Tensor slice(int start, int end) {
        if (shape.length == 0 || start < 0 || end > shape[0] || start > end)
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") of shape " + Shape.str(shape));
        int row = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] ns = shape.clone();
        ns[0] = end - start;
        return new Tensor(Arrays.copyOfRange(data, start * row, end * row), ns);
    }

    // ---------------------------------------------------------------- autograd state

    public final boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient (parameters, or inputs of a gradient check). */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value)
            throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor; use detach()");
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient as a tensor sharing its buffer, or null before any backward. */
    public final Tensor grad() {
        return grad == null ? null : new Tensor(clearIfStale(), shape);
    }

    /**
     * The gradient buffer, allocated (zeros) on first use. For ops and optimizers. Intermediate
     * tensors take it from the {@link BufferPool}; leaves (parameters, inputs) own theirs.
     */
    public final float[] gradBuffer() {
        if (grad == null) grad = gradFn != null ? BufferPool.zeros(data.length) : new float[data.length];
        return clearIfStale();
    }

    /**
     * For ops whose backward overwrites the whole gradient: allocates the buffer without clearing it.
     * Only valid while {@link #hasGrad()} is false (otherwise the op must accumulate into {@link #gradBuffer()}).
     */
    public final float[] gradBufferForOverwrite() {
        if (hasGrad()) throw new IllegalStateException("gradient already holds values; accumulate into gradBuffer()");
        if (grad == null) grad = gradFn != null ? BufferPool.floats(data.length) : new float[data.length];
        gradStale = false;
        return grad;
    }

    /**
     * For ops whose input gradient equals their output gradient element for element (reshape, flatten): makes
     * {@code gradient} this tensor's gradient buffer without a copy. Only for intermediate tensors without a
     * gradient yet; the caller must not touch {@code gradient} afterwards (Autograd releases the output's
     * gradient right after its node ran, so the buffer changes owner).
     */
    public final void adoptGrad(float[] gradient) {
        if (grad != null || gradFn == null) throw new IllegalStateException("adoptGrad needs an intermediate tensor without a gradient");
        if (gradient.length != data.length)
            throw new IllegalArgumentException("gradient has " + gradient.length + " elements, tensor has " + data.length);
        grad = gradient;
    }

    /**
     * True once a gradient has been accumulated since the last {@link #zeroGrad()} (when false, ops may write a
     * fresh gradient with {@link #gradBufferForOverwrite()} instead of adding).
     */
    public final boolean hasGrad() {
        return grad != null && !gradStale;
    }

    /** The gradient buffer, or null when nothing has been accumulated. */
    public final float[] gradIfPresent() {
        return grad == null ? null : clearIfStale();
    }

    /**
     * Zeroes the gradient, keeping the buffer for reuse. The fill is deferred: every reader sees zeros, and
     * a backward that overwrites the whole gradient never pays for it. A tensor taken from {@link #grad()}
     * before this call shares the buffer, so it keeps the old values until the next read or backward (as a
     * held {@code p.grad} does after PyTorch's {@code zero_grad(set_to_none=True)}).
     */
    public final void zeroGrad() {
        if (grad != null) gradStale = true;
    }

    private float[] clearIfStale() {
        if (gradStale) {
            Arrays.fill(grad, 0f);
            gradStale = false;
        }
        return grad;
    }

    /** Drops the gradient buffer of a non-leaf after it has been propagated. */
    public final void releaseGrad() {
        if (gradFn != null) {
            grad = null;
            gradStale = false;
        }
    }

    /** The op that produced this tensor, or null for a leaf. */
    public final Node gradFn() {
        return gradFn;
    }

    /** Called by ops: records {@code node} as this result's producer. */
    public final Tensor attach(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
        return this;
    }

    /** Back-propagates from this scalar (e.g. a loss). */
    public void backward() {
        Autograd.backward(this, null);
    }

    /** Back-propagates from a non-scalar with the given output gradient. */
    public void backward(float[] gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append(' ');
        int n = Math.min(data.length, 10);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(data[i]);
        }
        if (data.length > n) sb.append(", ...");
        sb.append(']');
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.name());
        else if (requiresGrad) sb.append(" requires_grad");
        return sb.toString();
    }
}
