package org.cnn4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Small drawing helpers shared by the picture classes: a white canvas, text, colour maps, tiles. */
final class Draw {
    private Draw() {}

    static {
        Headless.ensure();
    }

    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x66, 0x66, 0x66);
    static final Color WRONG = new Color(0xd6, 0x27, 0x28);
    static final Color RIGHT = new Color(0x2c, 0x7b, 0x2c);
    static final Color FRAME = new Color(0xcc, 0xcc, 0xcc);

    static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /** A white RGB canvas with anti-aliased text. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage bi = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bi.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, bi.getWidth(), bi.getHeight());
        g.dispose();
        return bi;
    }

    static Graphics2D graphics(BufferedImage bi) {
        Graphics2D g = bi.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return g;
    }

    /** Draws {@code text} centred on {@code cx} with its baseline at {@code y}, shortened with "..." to fit {@code maxWidth}. */
    static void centred(Graphics2D g, String text, int cx, int y, int maxWidth) {
        String t = fit(g, text, maxWidth);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(t, cx - fm.stringWidth(t) / 2, y);
    }

    static String fit(Graphics2D g, String text, int maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= maxWidth) return text;
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t + "...") > maxWidth) t = t.substring(0, t.length() - 1);
        return t + "...";
    }

    /** Gray level {@code v} in [0, 1] as an RGB int. */
    static int gray(float v) {
        int c = ImageFiles.to255(v);
        return c << 16 | c << 8 | c;
    }

    /**
     * A diverging blue-white-red colour for {@code v} in [-1, 1]: negative weights blue, zero white,
     * positive red (matplotlib's "bwr").
     */
    static int diverging(float v) {
        float t = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v));
        int r, g, b;
        if (t >= 0) {
            r = 255;
            g = b = Math.round(255 * (1 - t));
        } else {
            b = 255;
            r = g = Math.round(255 * (1 + t));
        }
        return r << 16 | g << 8 | b;
    }

    /** A picture of {@code rgb} ({@code w x h} pixels) scaled up {@code scale} times, nearest neighbour. */
    static BufferedImage scaled(int[] rgb, int w, int h, int scale) {
        BufferedImage bi = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) java.util.Arrays.fill(row, x * scale, (x + 1) * scale, rgb[y * w + x]);
            for (int s = 0; s < scale; s++) bi.setRGB(0, y * scale + s, w * scale, 1, row, 0, w * scale);
        }
        return bi;
    }

    /** An integer scale that brings {@code size} pixels to at least {@code target} (at least 1). */
    static int scaleFor(int size, int target) {
        return Math.max(1, (target + size - 1) / size);
    }
}
