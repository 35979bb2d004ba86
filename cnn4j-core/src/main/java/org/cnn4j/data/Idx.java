package org.cnn4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST: a 4-byte magic {@code 00 00 <dtype> <rank>}, then
 * {@code rank} big-endian 32-bit dimensions, then the data, row-major. Only dtype {@code 0x08} (unsigned
 * byte) is read, which is what (Fashion-)MNIST uses. Files may be gzip-compressed (detected by the magic
 * {@code 1f 8b}, whatever the file name) or raw.
 *
 * <p>Files are treated as untrusted: every problem is a {@link DatasetFormatException} naming the file,
 * the byte offset, what was expected and what was found (wrong magic, dtype or rank; a dimension above
 * 2^31-1; truncated data; trailing bytes). The header's size claim is checked against what the file could
 * hold before anything is allocated: for a raw file its size, for a gzip file deflate's maximal ratio.
 */
public final class Idx {
    /** Deflate cannot compress better than about 1032:1, so a gzip file of S bytes holds < S * 1032 bytes. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Idx() {}

    /** Images of an IDX3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {}

    /** Reads an IDX3 unsigned-byte file (images). */
    public static IdxImages readImages(Path file) throws IOException {
        Raw r = read(file, 3);
        return new IdxImages(r.dims[0], r.dims[1], r.dims[2], r.data);
    }

    /** Reads an IDX3 unsigned-byte file, storing {@code {count, rows, cols}} in {@code dimsOut}. */
    public static byte[] readImages(Path file, int[] dimsOut) throws IOException {
        IdxImages im = readImages(file);
        dimsOut[0] = im.count();
        dimsOut[1] = im.rows();
        dimsOut[2] = im.cols();
        return im.pixels();
    }

    /** Reads an IDX1 unsigned-byte file (labels); each byte is one label, read as {@code b & 0xFF}. */
    public static byte[] readLabels(Path file) throws IOException {
        return read(file, 1).data;
    }

    private record Raw(int[] dims, byte[] data) {}

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        return sb.toString();
    }

    private static String dtypeName(int code) {
        return switch (code) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX dtype";
        };
    }

    private static Raw read(Path file, int rank) throws IOException {
        long fileSize = Files.size(file);
        String what = rank == 3 ? "images (count, rows, cols)" : rank == 1 ? "labels (count)" : "rank " + rank;
        try (InputStream raw = Files.newInputStream(file);
             BufferedInputStream bin = new BufferedInputStream(raw, 1 << 16)) {
            bin.mark(2);
            int b0 = bin.read(), b1 = bin.read();
            bin.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            String where = gz ? " of the uncompressed data" : "";
            InputStream in;
            try {
                in = gz ? new GZIPInputStream(bin, 1 << 16) : bin;
            } catch (ZipException | EOFException e) {
                throw new DatasetFormatException(file, 0, "corrupt gzip header: " + e.getMessage(), e);
            }
            byte[] head = new byte[4 + 4 * rank];
            int got = readFully(file, in, head, 0, head.length, 0, where);
            String expectedMagic = String.format("00 00 08 %02x", rank);
            if (got < 4)
                throw new DatasetFormatException(file, got, "truncated: expected the 4-byte IDX magic " + expectedMagic
                        + ", found only " + got + " bytes" + (gz ? " in the gzip stream" : ""));
            if (head[0] != 0 || head[1] != 0)
                throw new DatasetFormatException(file, 0, "wrong magic number: expected " + expectedMagic + " (IDX, unsigned byte, "
                        + what + "), found " + hex(head, 4) + "; not an IDX file" + (gz ? "" : " (nor gzip)"));
            if (head[2] != 0x08)
                throw new DatasetFormatException(file, 2, String.format("wrong IDX dtype: expected 0x08 (unsigned byte), found 0x%02x (%s)",
                        head[2] & 0xFF, dtypeName(head[2] & 0xFF)));
            if (head[3] != rank)
                throw new DatasetFormatException(file, 3, "wrong IDX rank: expected " + rank + " (" + what + "), found "
                        + (head[3] & 0xFF) + (rank == 3 && head[3] == 1 ? " (a labels file?)" : rank == 1 && head[3] == 3 ? " (an images file?)" : ""));
            int headerLen = head.length;
            if (got < headerLen)
                throw new DatasetFormatException(file, got, "truncated header: expected " + rank + " 4-byte dimensions ("
                        + headerLen + " header bytes), found only " + got + " bytes" + where);
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                long d = ((head[4 + 4 * i] & 0xFFL) << 24) | ((head[5 + 4 * i] & 0xFFL) << 16)
                        | ((head[6 + 4 * i] & 0xFFL) << 8) | (head[7 + 4 * i] & 0xFFL);
                if (d > Integer.MAX_VALUE)
                    throw new DatasetFormatException(file, 4 + 4 * i, "dimension " + i + " is " + d + ", above 2^31-1");
                dims[i] = (int) d;
                total *= d; // <= (2^31-9) * (2^31-1) < 2^63: no overflow before the check
                if (total > MAX_ARRAY)
                    throw new DatasetFormatException(file, 4 + 4 * i, "dimensions " + java.util.Arrays.toString(java.util.Arrays.copyOf(dims, i + 1))
                            + " describe more than 2^31 bytes of data (dimension overflow)");
            }
            long available = gz ? fileSize * MAX_DEFLATE_RATIO : fileSize - headerLen;
            if (total > available) {
                if (gz)
                    throw new DatasetFormatException(file, 4, "dimensions " + java.util.Arrays.toString(dims) + " describe " + total
                            + " bytes of data, more than a gzip file of " + fileSize + " bytes can hold (dimension overflow or truncated file)");
                throw new DatasetFormatException(file, fileSize, "truncated: dimensions " + java.util.Arrays.toString(dims)
                        + " need " + total + " bytes of data after the " + headerLen + "-byte header, but the file has only "
                        + available + " (file size " + fileSize + ")");
            }
            byte[] data = new byte[(int) total];
            int n = readFully(file, in, data, 0, data.length, headerLen, where);
            if (n < total)
                throw new DatasetFormatException(file, headerLen + n, "truncated: dimensions " + java.util.Arrays.toString(dims)
                        + " need " + total + " bytes of data after the " + headerLen + "-byte header, found only " + n + where);
            int extra;
            try {
                extra = in.read();
            } catch (ZipException | EOFException e) {
                throw new DatasetFormatException(file, headerLen + total, "corrupt gzip stream after the data: " + e.getMessage(), e);
            }
            if (extra >= 0)
                throw new DatasetFormatException(file, headerLen + total, "unexpected bytes after the " + total
                        + " data bytes that dimensions " + java.util.Arrays.toString(dims) + " describe");
            return new Raw(dims, data);
        }
    }

    /** Reads up to {@code len} bytes; returns how many were read (less only at end of stream). */
    private static int readFully(Path file, InputStream in, byte[] b, int off, int len, long base, String where) throws IOException {
        int n = 0;
        while (n < len) {
            int r;
            try {
                r = in.read(b, off + n, len - n);
            } catch (ZipException | EOFException e) {
                throw new DatasetFormatException(file, base + n, "corrupt or truncated gzip stream: " + e.getMessage()
                        + " (after " + (base + n) + " bytes" + where + ")", e);
            }
            if (r < 0) break;
            n += r;
        }
        return n;
    }
}
