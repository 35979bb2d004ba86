package org.cnn4j.viz;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.vision.ImageFilters;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code samples.png}: a grid of images, each titled with its true label and the prediction; a
 * misclassified image gets a red title and a red frame, a correct one a green title. Images are drawn as
 * they are stored (values in [0, 1]), enlarged by a whole factor, nearest neighbour.
 */
public final class SampleGrid {
    private SampleGrid() {}

    static {
        Headless.ensure();
    }

    /** One tile: the image (1 or 3 channels, [0, 1]), its true label, the predicted label. */
    public record Sample(Image image, String truth, String predicted) {
        public boolean correct() {
            return truth.equals(predicted);
        }
    }

    /**
     * @param columns tiles per row (rows follow from the sample count)
     * @param title   a line above the grid, or null
     */
    public static BufferedImage render(List<Sample> samples, int columns, String title) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples to draw");
        if (columns < 1) throw new IllegalArgumentException("columns must be positive. Received: " + columns);
        int maxH = 0, maxW = 0;
        for (Sample s : samples) {
            maxH = Math.max(maxH, s.image().height());
            maxW = Math.max(maxW, s.image().width());
        }
        int scale = Draw.scaleFor(Math.max(maxH, maxW), 96);
        int tileW = Math.max(maxW * scale, 120), tileH = maxH * scale;
        int cols = Math.min(columns, samples.size()), rows = (samples.size() + cols - 1) / cols;
        int pad = 10, titleH = 36, header = title == null ? 0 : 34;
        BufferedImage bi = Draw.canvas(pad + cols * (tileW + pad), header + pad + rows * (titleH + tileH + pad));
        Graphics2D g = Draw.graphics(bi);
        if (title != null) {
            g.setFont(Draw.font(Font.BOLD, 16));
            g.setColor(Draw.TEXT);
            Draw.centred(g, title, bi.getWidth() / 2, 24, bi.getWidth() - 2 * pad);
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int x0 = pad + (i % cols) * (tileW + pad), y0 = header + pad + (i / cols) * (titleH + tileH + pad);
            g.setColor(s.correct() ? Draw.RIGHT : Draw.WRONG);
            g.setFont(Draw.font(Font.PLAIN, 12));
            Draw.centred(g, "true: " + s.truth(), x0 + tileW / 2, y0 + 14, tileW);
            g.setFont(Draw.font(s.correct() ? Font.PLAIN : Font.BOLD, 12));
            Draw.centred(g, (s.correct() ? "pred: " : "\u2717 pred: ") + s.predicted(), x0 + tileW / 2, y0 + 30, tileW);
            BufferedImage img = picture(s.image(), scale);
            int ix = x0 + (tileW - img.getWidth()) / 2, iy = y0 + titleH;
            g.drawImage(img, ix, iy, null);
            if (!s.correct()) {
                g.setColor(Draw.WRONG);
                g.setStroke(new BasicStroke(3f));
                g.drawRect(ix - 2, iy - 2, img.getWidth() + 3, img.getHeight() + 3);
            }
        }
        g.dispose();
        return bi;
    }

    /** An image in [0, 1] (values outside are clipped) enlarged {@code scale} times. */
    static BufferedImage picture(Image img, int scale) {
        Image shown = img.channels() == 1 || img.channels() == 3 ? img : ImageFilters.toGray(img);
        int h = shown.height(), w = shown.width(), plane = h * w;
        int[] rgb = new int[plane];
        float[] d = shown.data();
        for (int i = 0; i < plane; i++) {
            rgb[i] = shown.channels() == 1 ? Draw.gray(d[i])
                    : ImageFiles.to255(d[i]) << 16 | ImageFiles.to255(d[plane + i]) << 8 | ImageFiles.to255(d[2 * plane + i]);
        }
        return Draw.scaled(rgb, w, h, scale);
    }
}
