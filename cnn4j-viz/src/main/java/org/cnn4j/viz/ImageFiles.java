package org.cnn4j.viz;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Image files to and from {@link Image} (CHW floats in [0, 1]) with the JDK's {@code javax.imageio}: PNG,
 * JPEG, BMP and GIF in; PNG, JPEG and BMP out, by file extension. Writes are atomic.
 */
public final class ImageFiles {
    private ImageFiles() {}

    static {
        Headless.ensure();
    }

    /**
     * Reads an image: gray images (8- or 16-bit) give 1 channel, everything else 3 (RGB, alpha dropped),
     * with values {@code sample / max} in [0, 1].
     */
    public static Image read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (Files.isDirectory(file)) throw new IOException(file + " is a directory, not an image file");
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        // bounded by the file's size and with decoder failures as DatasetFormatException (exit code 3 in the CLI)
        return fromBufferedImage(org.cnn4j.data.ImageDecoder.readImage(file));
    }

    /** The pixels of {@code bi} as an {@link Image} in [0, 1]. */
    public static Image fromBufferedImage(BufferedImage bi) {
        int w = bi.getWidth(), h = bi.getHeight();
        boolean gray = bi.getColorModel().getNumColorComponents() == 1 && bi.getColorModel().getColorSpace().getType()
                == java.awt.color.ColorSpace.TYPE_GRAY;
        if (gray) {
            Raster r = bi.getRaster();
            double max = (1L << bi.getColorModel().getComponentSize(0)) - 1;
            float[] d = new float[h * w];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[y * w + x] = (float) (r.getSample(x, y, 0) / max);
            return new Image(1, h, w, d);
        }
        float[] d = new float[3 * h * w];
        int plane = h * w;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            bi.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                d[y * w + x] = ((p >> 16) & 0xff) / 255f;
                d[plane + y * w + x] = ((p >> 8) & 0xff) / 255f;
                d[2 * plane + y * w + x] = (p & 0xff) / 255f;
            }
        }
        return new Image(3, h, w, d);
    }

    /** An 8-bit gray (1 channel) or RGB (3 channels) picture; values are clamped to [0, 1] and rounded to 0..255. */
    public static BufferedImage toBufferedImage(Image img) {
        int c = img.channels(), h = img.height(), w = img.width(), plane = h * w;
        float[] d = img.data();
        if (c == 1) {
            BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = new byte[plane];
            for (int i = 0; i < plane; i++) px[i] = (byte) to255(d[i]);
            bi.getRaster().setDataElements(0, 0, w, h, px);
            return bi;
        }
        if (c != 3) throw new IllegalArgumentException("an image to draw needs 1 or 3 channels, got " + c);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[plane];
        for (int i = 0; i < plane; i++) px[i] = to255(d[i]) << 16 | to255(d[plane + i]) << 8 | to255(d[2 * plane + i]);
        bi.setRGB(0, 0, w, h, px, 0, w);
        return bi;
    }

    /** {@code round(v * 255)} clamped to 0..255 (NaN gives 0). */
    public static int to255(float v) {
        if (!(v > 0)) return 0;
        if (v >= 1) return 255;
        return Math.round(v * 255f);
    }

    /** Format for a file name: png (default), jpg/jpeg, bmp. */
    public static String formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "jpg";
        if (n.endsWith(".bmp")) return "bmp";
        return "png";
    }

    /** Writes {@code bi} atomically in the format of the file's extension (PNG when unknown). */
    public static Path write(Path file, BufferedImage bi) throws IOException {
        String format = formatOf(file);
        BufferedImage out = bi;
        if (!format.equals("png") && bi.getColorModel().hasAlpha()) { // JPEG and BMP have no alpha
            out = new BufferedImage(bi.getWidth(), bi.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, bi.getWidth(), bi.getHeight());
            g.drawImage(bi, 0, 0, null);
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        BufferedImage finalOut = out;
        AtomicFiles.write(file, os -> {
            if (!ImageIO.write(finalOut, format, os)) throw new IOException("no " + format + " writer for " + file);
        });
        return file;
    }

    /** Writes an {@link Image} with values in [0, 1]. */
    public static Path write(Path file, Image img) throws IOException {
        return write(file, toBufferedImage(img));
    }

    /** PNG bytes of a picture. */
    public static byte[] pngBytes(BufferedImage bi) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(bi, "png", bytes);
        return bytes.toByteArray();
    }

    /** {@code data:image/png;base64,...} for a file, with the MIME type from its extension. */
    public static String dataUri(Path file) throws IOException {
        String mime = switch (formatOf(file)) {
            case "jpg" -> "image/jpeg";
            case "bmp" -> "image/bmp";
            default -> "image/png";
        };
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    /** Resizes with bilinear interpolation (for model inputs), or nearest neighbour when {@code smooth} is false. */
    public static BufferedImage resize(BufferedImage src, int width, int height, boolean smooth) {
        BufferedImage dst = new BufferedImage(width, height, src.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, smooth ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        return dst;
    }
}
