package org.cnn4j.examples;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.viz.ImageFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Contact sheets for the filter examples: tiles with a title each, scaled down to keep the PNG small. */
final class ImageTools {
    private ImageTools() {}

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    record Tile(String title, Image image) {}

    /** The tiles in a grid of {@code cols} columns, each scaled to {@code tileWidth} pixels wide. */
    static BufferedImage sheet(List<Tile> tiles, int cols, int tileWidth) {
        int tileHeight = 0;
        for (Tile t : tiles) tileHeight = Math.max(tileHeight, Math.round((float) t.image().height() * tileWidth / t.image().width()));
        int titleH = 18, rows = (tiles.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * (tileWidth + 6) + 6, rows * (tileHeight + titleH + 6) + 6, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int x = 6 + (i % cols) * (tileWidth + 6), y = 6 + (i / cols) * (tileHeight + titleH + 6);
            g.setColor(Color.BLACK);
            g.drawString(t.title(), x, y + 13);
            int h = Math.round((float) t.image().height() * tileWidth / t.image().width());
            BufferedImage bi = ImageFiles.resize(ImageFiles.toBufferedImage(t.image()), tileWidth, h, true);
            g.drawImage(bi, x, y + titleH, null);
        }
        g.dispose();
        return out;
    }
}
