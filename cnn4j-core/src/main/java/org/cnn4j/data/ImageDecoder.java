package org.cnn4j.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads) into 8-bit CHW pixels,
 * gray or RGB, as PIL's {@code Image.convert("L")} / {@code convert("RGB")} would: alpha is dropped, a
 * colour image becomes gray by ITU-R 601-2 luma ({@code L = R * 299/1000 + G * 587/1000 + B * 114/1000},
 * PIL's rounding), a gray image becomes RGB by repeating it. Gray images are read from their raster, not
 * through {@code getRGB}, which would apply a colour-space conversion and change the values.
 *
 * <p>Files are untrusted: before decoding, the image's size from its header must be positive and at most
 * {@link #maxPixelsFor(long)} pixels, so a corrupt header or a decompression bomb is a
 * {@link DatasetFormatException} and not an {@link OutOfMemoryError}; a decoder's runtime exception on a
 * malformed file becomes one too.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Most pixels an image may have, whatever its file size: PIL's decompression-bomb error limit (2 x its MAX_IMAGE_PIXELS). */
    public static final long MAX_PIXELS = 178_956_970L;

    /**
     * Most pixels a file of {@code fileBytes} bytes can hold: deflate (PNG) expands at most 1032 times, and a
     * 1-bit image packs 8 pixels a byte, so {@code fileBytes * 8 * 1032} (plus 4096 for tiny files), at most
     * {@link #MAX_PIXELS}. GIF's LZW, BMP's RLE and JPEG stay below that ratio.
     */
    public static long maxPixelsFor(long fileBytes) {
        return Math.min(MAX_PIXELS, fileBytes * 8 * 1032 + 4096);
    }

    /**
     * Decodes the first image of {@code file} with the {@code javax.imageio} reader for its format, after
     * checking the size in its header against {@link #maxPixelsFor(long)}.
     *
     * @throws DatasetFormatException naming the file when it is not an image javax.imageio can decode, is
     *                                corrupt, or claims more pixels than it can hold
     * @throws java.nio.file.NoSuchFileException, java.nio.file.AccessDeniedException as the file system reports them
     */
    public static BufferedImage readImage(Path file) throws IOException {
        long size = Files.size(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new DatasetFormatException(file, -1, "cannot be opened as an image stream");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new DatasetFormatException(file, -1, "not an image javax.imageio can read (PNG, JPEG, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
                if (w <= 0 || h <= 0)
                    throw new DatasetFormatException(file, -1, "the " + format + " header gives the size " + w + "x" + h + ", not a positive size");
                long pixels = (long) w * h;
                if (pixels > maxPixelsFor(size))
                    throw new DatasetFormatException(file, -1, "the " + format + " header claims " + w + "x" + h + " = " + pixels
                            + " pixels, more than a file of " + size + " bytes can hold (at most " + maxPixelsFor(size)
                            + "): a corrupt header or a decompression bomb");
                BufferedImage img = reader.read(0);
                if (img == null) throw new DatasetFormatException(file, -1, "the " + format + " reader returned no image");
                return img;
            } finally {
                reader.dispose();
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) throw e;
            throw new DatasetFormatException(file, -1, "cannot decode the image: " + e.getMessage(), e);
        } catch (RuntimeException e) { // decoders throw these on some malformed inputs
            throw new DatasetFormatException(file, -1, "cannot decode the image: " + e, e);
        }
    }

    /** One decoded image: {@code channels x height x width} unsigned bytes, channel-major. */
    public record Pixels(int channels, int height, int width, byte[] data) {}

    /**
     * Reads {@code file} as {@code channels} (1 gray, 3 RGB) channels.
     *
     * @throws DatasetFormatException naming the file when it is not an image javax.imageio can decode, or
     *                                is corrupt
     */
    public static Pixels read(Path file, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3. Received: " + channels);
        BufferedImage img = readImage(file);
        try {
            return convert(img, channels);
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, -1, "cannot convert the decoded image: " + e, e);
        }
    }

    /** Converts a decoded image to {@code channels} (1 or 3) channels of 8-bit values. */
    public static Pixels convert(BufferedImage img, int channels) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        byte[] out = new byte[channels * plane];
        ColorModel cm = img.getColorModel();
        boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
        if (gray) {
            Raster r = img.getRaster();
            int bits = cm.getComponentSize(0);
            long max = (1L << bits) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits == 8 ? row[x] : (int) ((row[x] * 255L + max / 2) / max);
                    for (int c = 0; c < channels; c++) out[c * plane + y * w + x] = (byte) v;
                }
            }
            return new Pixels(channels, h, w, out);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = argb[i], r = (p >>> 16) & 0xFF, g = (p >>> 8) & 0xFF, b = p & 0xFF;
            if (channels == 1) out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16);
            else {
                out[i] = (byte) r;
                out[plane + i] = (byte) g;
                out[2 * plane + i] = (byte) b;
            }
        }
        return new Pixels(channels, h, w, out);
    }

    /** Bilinear resize of 8-bit pixels ({@link ImageResize#bilinear}), rounded to the nearest value. */
    public static Pixels resize(Pixels p, int outH, int outW) {
        if (p.height() == outH && p.width() == outW) return p;
        float[] f = new float[p.data().length];
        for (int i = 0; i < f.length; i++) f[i] = p.data()[i] & 0xFF;
        float[] r = ImageResize.bilinear(f, p.channels(), p.height(), p.width(), outH, outW);
        byte[] out = new byte[r.length];
        for (int i = 0; i < r.length; i++) out[i] = (byte) Math.min(255, Math.max(0, Math.round(r[i])));
        return new Pixels(p.channels(), outH, outW, out);
    }
}
