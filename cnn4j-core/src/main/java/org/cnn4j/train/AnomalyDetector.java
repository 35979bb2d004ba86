package org.cnn4j.train;

import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the first place where a NaN or infinity appears during training, as PyTorch's
 * {@code torch.autograd.detect_anomaly} helps to: a forward hook on every module checks its output
 * (hooks run innermost first, so the first module to see a non-finite output is the one that produced
 * it, and when its input already held one the message says so: bad data rather than a bad layer);
 * {@link #checkGradients()} checks every parameter's gradient after {@code backward()}, and
 * {@link #checkParameters()} every parameter after the optimizer step. Each check throws an
 * {@link AnomalyException}.
 *
 * <p>Costs one pass over every activation and gradient, and turns off fused paths (BatchNorm + ReLU)
 * that step aside when a hook observes a module; results stay bit-identical. Attach with
 * {@link #attach}, detach with {@link #close()}.
 */
public final class AnomalyDetector implements AutoCloseable {
    private final Module model;
    private final List<Module> hooked = new ArrayList<>();
    private final Module.ForwardHook hook = this::afterForward;
    private String where = "";

    private AnomalyDetector(Module model) {
        this.model = model;
    }

    /** Hooks every module of {@code model} (the model itself included). */
    public static AnomalyDetector attach(Module model) {
        AnomalyDetector d = new AnomalyDetector(model);
        for (Module m : model.namedModules().values()) {
            m.addForwardHook(d.hook);
            d.hooked.add(m);
        }
        return d;
    }

    /** Text added to messages, e.g. {@code "epoch 2, batch 17"}. */
    public void setLocation(String where) {
        this.where = where == null ? "" : where;
    }

    private String at() {
        return where.isEmpty() ? "" : " at " + where;
    }

    private static String name(Module m) {
        String path = m.path();
        return path.isEmpty() ? "the model (" + m.describe() + ")" : "module " + path + " (" + m.describe() + ")";
    }

    private void afterForward(Module module, Tensor input, Tensor output) {
        if (output == null) return;
        int bad = firstNonFinite(output.data());
        if (bad < 0) return;
        float value = output.data()[bad];
        String inputNote;
        if (input != null && firstNonFinite(input.data()) >= 0) {
            int i = firstNonFinite(input.data());
            inputNote = "; its input already held " + input.data()[i] + " (element " + i + " of " + shapeOf(input)
                    + (module == model ? "): check the input data for NaN/Inf" : "): the value came from before this module");
        } else {
            inputNote = "; its input was finite, so this module produced it: try a lower learning rate, gradient clipping "
                    + "(--clip-norm), or check this layer's parameters";
        }
        throw new AnomalyException(AnomalyException.Phase.FORWARD, relativePath(module), null,
                "anomaly" + at() + ": the output of " + name(module) + " holds " + value + " (element " + bad + " of "
                        + shapeOf(output) + ", " + count(output.data()) + " non-finite values)" + inputNote);
    }

    private String relativePath(Module m) {
        String root = model.path(), p = m.path();
        if (root.isEmpty()) return p;
        return p.equals(root) ? "" : p.substring(root.length() + 1);
    }

    /**
     * Checks every parameter's gradient; throws for the first non-finite one in backward order (the
     * parameter registered last among them: back-propagation reaches later layers first, and a
     * non-finite gradient spreads to every earlier layer).
     */
    public void checkGradients() {
        List<Map.Entry<String, Parameter>> params = new ArrayList<>(model.namedParameters().entrySet());
        int badCount = 0;
        Map.Entry<String, Parameter> first = null;
        int firstIndex = -1;
        for (int k = params.size() - 1; k >= 0; k--) {
            float[] g = params.get(k).getValue().gradIfPresent();
            if (g == null) continue;
            int i = firstNonFinite(g);
            if (i < 0) continue;
            badCount++;
            if (first == null) {
                first = params.get(k);
                firstIndex = i;
            }
        }
        if (first == null) return;
        float[] g = first.getValue().gradIfPresent();
        String param = first.getKey();
        throw new AnomalyException(AnomalyException.Phase.BACKWARD, ownerPath(param), param,
                "anomaly" + at() + ": the gradient of parameter " + param + " " + ownerText(param) + "holds " + g[firstIndex]
                        + " (element " + firstIndex + " of " + shapeOf(first.getValue()) + ", " + count(g) + " non-finite values) after backward; "
                        + badCount + " of " + params.size() + " parameters have non-finite gradients. Try a lower learning rate or "
                        + "gradient clipping (--clip-norm)");
    }

    /** Checks every parameter's values (after the optimizer step); throws for the first non-finite one. */
    public void checkParameters() {
        for (var e : model.namedParameters().entrySet()) {
            float[] w = e.getValue().data();
            int i = firstNonFinite(w);
            if (i < 0) continue;
            throw new AnomalyException(AnomalyException.Phase.STEP, ownerPath(e.getKey()), e.getKey(),
                    "anomaly" + at() + ": parameter " + e.getKey() + " " + ownerText(e.getKey()) + "holds " + w[i] + " (element " + i
                            + " of " + shapeOf(e.getValue()) + ") after the optimizer step, although its gradient was finite: "
                            + "the update overflowed; try a lower learning rate");
        }
    }

    private static String ownerPath(String param) {
        int dot = param.lastIndexOf('.');
        return dot < 0 ? "" : param.substring(0, dot);
    }

    private String ownerText(String param) {
        String path = ownerPath(param);
        Module owner = model.namedModules().get(path);
        return owner == null ? "" : "(of " + (path.isEmpty() ? "the model" : path) + ", " + owner.describe() + ") ";
    }

    private static String shapeOf(Tensor t) {
        return org.cnn4j.tensor.Shape.str(t.shape());
    }

    /** Index of the first NaN or infinite element, or -1. */
    static int firstNonFinite(float[] a) {
        for (int i = 0; i < a.length; i++) {
            // x - x is 0 for finite x and NaN for NaN and +-Inf: one test per element
            if (a[i] - a[i] != 0f) return i;
        }
        return -1;
    }

    private static int count(float[] a) {
        int n = 0;
        for (float v : a) if (!Float.isFinite(v)) n++;
        return n;
    }

    /** Removes the hooks. */
    @Override
    public void close() {
        for (Module m : hooked) m.removeForwardHook(hook);
        hooked.clear();
    }
}
