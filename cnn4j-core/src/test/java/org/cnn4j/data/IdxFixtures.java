package org.cnn4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Small synthetic IDX files for the tests. */
final class IdxFixtures {
    private IdxFixtures() {}

    /** An IDX3 unsigned-byte file of n images of rows x cols; pixel j of image i is (i * 31 + j * 7) mod 256. */
    static byte[] images(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < rows * cols; j++) b.put((byte) pixel(i, j));
        return b.array();
    }

    static int pixel(int i, int j) {
        return (i * 31 + j * 7) & 0xFF;
    }

    /** An IDX1 unsigned-byte file of n labels: label i is i mod 10. */
    static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) b.put((byte) (i % 10));
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(raw);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
