package org.cnn4j.viz;

import org.cnn4j.tensor.Tensor;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * {@code filters.png}: the kernels of a convolution weight {@code [out, in, kh, kw]}, one tile per output
 * channel. With 3 input channels a tile is the RGB picture of the kernel, each filter stretched min..max
 * on its own. Otherwise a tile shows the kernel (the mean over input channels when there are several) in
 * a diverging colour map: blue negative, white zero, red positive, one scale {@code +-max|w|} for all
 * tiles so their strengths compare.
 */
public final class FilterGrid {
    private FilterGrid() {}

    static {
        Headless.ensure();
    }

    public static BufferedImage render(Tensor weight, String title) {
        int[] s = weight.shape();
        if (s.length != 4) throw new IllegalArgumentException("a convolution weight [out, in, kh, kw] is needed, got rank " + s.length);
        int out = s[0], in = s[1], kh = s[2], kw = s[3], taps = kh * kw;
        float[] w = weight.data();
        boolean rgb = in == 3;
        float absMax = 0;
        for (float v : w) absMax = Math.max(absMax, Math.abs(v));
        if (absMax == 0) absMax = 1;
        int scale = Draw.scaleFor(Math.max(kh, kw), 48);
        int tile = Math.max(kh, kw) * scale, pad = 8, label = 14;
        int cols = Math.min(out, 16), rows = (out + cols - 1) / cols;
        int header = 52;
        BufferedImage bi = Draw.canvas(Math.max(pad + cols * (tile + pad), 460), header + rows * (tile + label + pad) + pad);
        Graphics2D g = Draw.graphics(bi);
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(Font.BOLD, 15));
        g.drawString(Draw.fit(g, title, bi.getWidth() - 2 * pad), pad, 20);
        g.setFont(Draw.font(Font.PLAIN, 12));
        g.setColor(Draw.MUTED);
        String legend = rgb ? String.format(Locale.ROOT, "%d filters %dx%dx%d as RGB, each stretched min..max", out, in, kh, kw)
                : String.format(Locale.ROOT, "%d filters %dx%d%s; blue < 0 < red, scale +-%.3g", out, kh, kw,
                        in > 1 ? " (mean over " + in + " input channels)" : "", absMax);
        g.drawString(Draw.fit(g, legend, bi.getWidth() - 2 * pad), pad, 40);
        for (int o = 0; o < out; o++) {
            int[] px = new int[taps];
            if (rgb) {
                float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < 3 * taps; i++) {
                    min = Math.min(min, w[o * 3 * taps + i]);
                    max = Math.max(max, w[o * 3 * taps + i]);
                }
                float span = max > min ? max - min : 1;
                for (int t = 0; t < taps; t++) {
                    int r = ImageFiles.to255((w[o * 3 * taps + t] - min) / span);
                    int gg = ImageFiles.to255((w[o * 3 * taps + taps + t] - min) / span);
                    int b = ImageFiles.to255((w[o * 3 * taps + 2 * taps + t] - min) / span);
                    px[t] = r << 16 | gg << 8 | b;
                }
            } else {
                for (int t = 0; t < taps; t++) {
                    float sum = 0;
                    for (int c = 0; c < in; c++) sum += w[(o * in + c) * taps + t];
                    px[t] = Draw.diverging(sum / in / absMax);
                }
            }
            BufferedImage k = Draw.scaled(px, kw, kh, scale);
            int x0 = pad + (o % cols) * (tile + pad), y0 = header + (o / cols) * (tile + label + pad);
            g.setColor(Draw.MUTED);
            g.setFont(Draw.font(Font.PLAIN, 11));
            Draw.centred(g, Integer.toString(o), x0 + tile / 2, y0 + 11, tile);
            g.drawImage(k, x0, y0 + label, null);
            g.setColor(Draw.FRAME);
            g.drawRect(x0, y0 + label, k.getWidth() - 1, k.getHeight() - 1);
        }
        g.dispose();
        return bi;
    }
}
