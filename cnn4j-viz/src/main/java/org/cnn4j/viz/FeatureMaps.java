package org.cnn4j.viz;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feature maps: what chosen layers output for one image, captured with forward hooks
 * ({@link Module#addForwardHook}) as PyTorch users do with {@code register_forward_hook}, and drawn as a
 * grid of gray tiles per layer, {@code featuremaps.png}.
 *
 * <p>Each channel is stretched min..max on its own (so weak channels stay visible; a constant channel is
 * black), which is how the seeds show a feature map with {@code plt.imshow(..., cmap="gray")}.
 */
public final class FeatureMaps {
    private FeatureMaps() {}

    static {
        Headless.ensure();
    }

    /** One layer's output for the first image of the batch: {@code shape} = {@code [C, H, W]}. */
    public record Capture(String path, String module, int[] shape, float[] data) {
        public int channels() {
            return shape[0];
        }

        public String label() {
            return (path.isEmpty() ? "(model)" : path) + " (" + module + ") -> " + Shape.str(shape);
        }
    }

    /**
     * The conv blocks of a model: its direct children that are, or contain, a {@link Conv2d}, in order
     * (FashionCNN: layer1, layer2; ResNet: conv1, layer1..layer4).
     */
    public static List<String> defaultLayers(Module model) {
        List<String> out = new ArrayList<>();
        for (var e : model.children().entrySet()) {
            boolean conv = false;
            for (Module m : e.getValue().namedModules().values()) conv |= m instanceof Conv2d;
            if (conv) out.add(e.getKey());
        }
        return out;
    }

    /**
     * Runs {@code input} ({@code [1, C, H, W]}) through {@code model} in evaluation mode without gradients and
     * returns the output of every listed module (dotted paths as in the state dict, e.g. {@code layer1} or
     * {@code layer1.0}) in the order they ran. A module called more than once contributes each call.
     * Outputs that are not 4-D (flattened, linear) are skipped. The model's mode is restored.
     *
     * @throws IllegalArgumentException naming the unknown path and the modules there are
     */
    public static List<Capture> capture(Module model, Tensor input, List<String> layers) {
        Map<String, Module> modules = model.namedModules();
        Map<Module, String> wanted = new IdentityHashMap<>();
        for (String p : layers) {
            Module m = modules.get(p);
            if (m == null)
                throw new IllegalArgumentException("layer '" + p + "' is not in " + model.describe() + "; its modules: "
                        + String.join(", ", modules.keySet().stream().filter(k -> !k.isEmpty()).limit(60).toList())
                        + (modules.size() > 61 ? ", ..." : ""));
            wanted.put(m, p);
        }
        List<Capture> captured = new ArrayList<>();
        Map<String, Integer> calls = new java.util.HashMap<>();
        Module.ForwardHook hook = (m, in, out) -> {
            if (out.rank() != 4) return;
            String path = wanted.get(m);
            int k = calls.merge(path, 1, Integer::sum);
            int[] s = out.shape();
            int per = s[1] * s[2] * s[3];
            captured.add(new Capture(k == 1 ? path : path + " (call " + k + ")", m.describe(), new int[] {s[1], s[2], s[3]},
                    java.util.Arrays.copyOf(out.data(), per)));
        };
        boolean wasTraining = model.isTraining();
        for (Module m : wanted.keySet()) m.addForwardHook(hook);
        try (var ignored = Autograd.noGrad()) {
            model.eval();
            model.call(input);
        } finally {
            for (Module m : wanted.keySet()) m.removeForwardHook(hook);
            model.train(wasTraining);
        }
        return captured;
    }

    /**
     * The picture: the input image on top, then per capture a title and up to {@code maxChannels} channel
     * tiles, 16 to a row.
     */
    public static BufferedImage render(Image input, String title, List<Capture> maps, int maxChannels) {
        if (maps.isEmpty()) throw new IllegalArgumentException("no feature maps to draw (no listed layer gave a 4-D output)");
        if (maxChannels < 1) throw new IllegalArgumentException("maxChannels must be positive. Received: " + maxChannels);
        int pad = 8, cols = 16, labelH = 28, header = 40;
        int inScale = Draw.scaleFor(Math.max(input.height(), input.width()), 112);
        if (Math.max(input.height(), input.width()) * inScale > 448) inScale = 1;
        BufferedImage in = SampleGrid.picture(input, inScale);
        List<int[]> layout = new ArrayList<>(); // per capture: tile size, shown channels, rows
        int width = Math.max(in.getWidth() + 2 * pad, 520), height = header + in.getHeight() + pad;
        for (Capture c : maps) {
            int side = Math.max(c.shape()[1], c.shape()[2]);
            int scale = Draw.scaleFor(side, 48);
            int tileW = c.shape()[2] * scale, tileH = c.shape()[1] * scale;
            int shown = Math.min(maxChannels, c.channels());
            int rowCount = (shown + cols - 1) / cols;
            layout.add(new int[] {scale, tileW, tileH, shown, rowCount});
            width = Math.max(width, pad + Math.min(shown, cols) * (tileW + 4) + pad);
            height += labelH + rowCount * (tileH + 4) + pad;
        }
        BufferedImage bi = Draw.canvas(width, height);
        Graphics2D g = Draw.graphics(bi);
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(Font.BOLD, 15));
        g.drawString(Draw.fit(g, title, width - 2 * pad), pad, 22);
        g.drawImage(in, pad, header, null);
        int y = header + in.getHeight() + pad;
        for (int i = 0; i < maps.size(); i++) {
            Capture c = maps.get(i);
            int[] l = layout.get(i);
            int scale = l[0], tileW = l[1], tileH = l[2], shown = l[3];
            g.setColor(Draw.TEXT);
            g.setFont(Draw.font(Font.BOLD, 13));
            String label = c.label() + (shown < c.channels()
                    ? String.format(Locale.ROOT, ", first %d of %d channels", shown, c.channels()) : "");
            g.drawString(Draw.fit(g, label, width - 2 * pad), pad, y + 19);
            y += labelH;
            int h = c.shape()[1], w = c.shape()[2], plane = h * w;
            for (int ch = 0; ch < shown; ch++) {
                float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < plane; p++) {
                    float v = c.data()[ch * plane + p];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                float span = max > min ? max - min : 0;
                int[] px = new int[plane];
                for (int p = 0; p < plane; p++) px[p] = Draw.gray(span == 0 ? 0 : (c.data()[ch * plane + p] - min) / span);
                g.drawImage(Draw.scaled(px, w, h, scale), pad + (ch % cols) * (tileW + 4), y + (ch / cols) * (tileH + 4), null);
            }
            y += l[4] * (tileH + 4) + pad;
        }
        g.dispose();
        return bi;
    }
}
