package org.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir
    Path dir;

    private Path put(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    private DatasetFormatException badImages(Path p, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(p));
        check(e, p, fragments);
        return e;
    }

    private static void check(DatasetFormatException e, Path p, String... fragments) {
        assertEquals(p, e.file());
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] raw = IdxFixtures.images(5, 3, 4);
        for (Path p : new Path[] {put("a", raw), put("a.gz", IdxFixtures.gzip(raw)), put("gz-without-suffix", IdxFixtures.gzip(raw))}) {
            Idx.IdxImages im = Idx.readImages(p);
            assertEquals(5, im.count());
            assertEquals(3, im.rows());
            assertEquals(4, im.cols());
            assertEquals(60, im.pixels().length);
            assertEquals((byte) IdxFixtures.pixel(4, 11), im.pixels()[4 * 12 + 11]);
            int[] dims = new int[3];
            byte[] px = Idx.readImages(p, dims);
            assertArrayEquals(new int[] {5, 3, 4}, dims);
            assertArrayEquals(im.pixels(), px);
        }
        byte[] labels = Idx.readLabels(put("l.gz", IdxFixtures.gzip(IdxFixtures.labels(13))));
        assertEquals(13, labels.length);
        assertEquals(2, labels[12]);
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] b = IdxFixtures.images(2, 2, 2);
        b[0] = 'P';
        b[1] = 'K';
        DatasetFormatException e = badImages(put("zip", b), "wrong magic number", "expected 00 00 08 03", "found 50 4b 08 03");
        assertEquals(0, e.offset());
        // A labels file where images are expected: the rank tells.
        Path labels = put("labels", IdxFixtures.labels(3));
        DatasetFormatException r = badImages(labels, "wrong IDX rank: expected 3", "found 1", "a labels file?");
        assertEquals(3, r.offset());
        DatasetFormatException l = assertThrows(DatasetFormatException.class, () -> Idx.readLabels(put("images", IdxFixtures.images(1, 1, 1))));
        check(l, dir.resolve("images"), "expected 1", "found 3", "an images file?");
        // A float IDX file.
        byte[] f = IdxFixtures.images(1, 1, 1);
        f[2] = 0x0D;
        DatasetFormatException d = badImages(put("float", f), "wrong IDX dtype", "expected 0x08 (unsigned byte)", "found 0x0d (float)");
        assertEquals(2, d.offset());
        // Empty and tiny files.
        assertEquals(0, badImages(put("empty", new byte[0]), "truncated", "found only 0 bytes").offset());
        badImages(put("short-header", Arrays.copyOf(IdxFixtures.images(1, 2, 2), 10)), "truncated header", "found only 10 bytes");
    }

    @Test
    void truncatedRawFileNamesFileAndOffset() throws IOException {
        byte[] full = IdxFixtures.images(10, 28, 28);
        Path p = put("train-images-idx3-ubyte", Arrays.copyOf(full, full.length - 100));
        DatasetFormatException e = badImages(p, "truncated", "need 7840 bytes of data after the 16-byte header",
                "has only 7740", "[10, 28, 28]");
        assertEquals(full.length - 100, e.offset());
        assertTrue(e.getMessage().contains("at byte offset " + (full.length - 100)), e.getMessage());
    }

    @Test
    void truncatedGzipFileNamesFileAndOffset() throws IOException {
        byte[] full = IdxFixtures.images(10, 28, 28);
        // A valid gzip of a truncated IDX file.
        Path p = put("short.gz", IdxFixtures.gzip(Arrays.copyOf(full, 1000)));
        DatasetFormatException e = badImages(p, "truncated", "found only 984", "uncompressed");
        assertEquals(1000, e.offset());
        // A gzip file cut in the middle of its deflate stream.
        byte[] gz = IdxFixtures.gzip(full);
        Path cut = put("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        DatasetFormatException c = badImages(cut, "gzip stream");
        assertTrue(c.offset() > 0, "offset of the uncompressed bytes read: " + c.offset());
        // A gzip whose CRC trailer was damaged.
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 0x55;
        badImages(put("crc.gz", crc), "gzip stream");
    }

    @Test
    void dimensionOverflowIsRejectedBeforeAllocating() throws IOException {
        // A 16-byte file claiming 2^31-1 images of 28x28: must not try to allocate 1.6 TB.
        ByteBuffer b = ByteBuffer.allocate(16).putInt(0x803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28);
        DatasetFormatException e = badImages(put("huge", b.array()), "dimension overflow");
        assertEquals(4, e.offset(), "the count alone is too many bytes");
        ByteBuffer c = ByteBuffer.allocate(16).putInt(0x803).putInt(100_000_000).putInt(28).putInt(28);
        DatasetFormatException e2 = badImages(put("huge2", c.array()), "dimensions [100000000, 28]", "dimension overflow");
        assertEquals(8, e2.offset(), "the product overflows at the rows dimension");
        // Within Java's limits but far beyond what the file holds.
        ByteBuffer m = ByteBuffer.allocate(16).putInt(0x803).putInt(1_000_000).putInt(28).putInt(28);
        badImages(put("lying", m.array()), "truncated", "need 784000000 bytes", "has only 0");
        badImages(put("lying.gz", IdxFixtures.gzip(m.array())), "more than a gzip file of", "can hold");
        // A dimension with the sign bit set.
        ByteBuffer neg = ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(-1).putInt(1);
        DatasetFormatException n = badImages(put("neg", neg.array()), "dimension 1 is 4294967295, above 2^31-1");
        assertEquals(8, n.offset());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] full = IdxFixtures.images(2, 2, 2);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        DatasetFormatException e = badImages(put("long", longer), "unexpected bytes after the 8 data bytes");
        assertEquals(full.length, e.offset());
    }
}
