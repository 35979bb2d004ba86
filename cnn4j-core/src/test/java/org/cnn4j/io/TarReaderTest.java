package org.cnn4j.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TarReaderTest {
    static Map<String, String> readAll(byte[] tar, TarReader.Limits limits) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar", limits)) {
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                String content = e.isFile() ? new String(r.content().readAllBytes(), StandardCharsets.UTF_8) : "<" + e.type() + ">";
                out.put(e.name(), content);
            }
        }
        return out;
    }

    @Test
    void readsFilesAndSkipsUnreadContent() throws IOException {
        byte[] big = new byte[1300];
        Arrays.fill(big, (byte) 'z');
        byte[] tar = TarFixtures.tar(TarFixtures.files("dir/a.txt", "alpha", "dir/big.bin", big, "dir/c.txt", "gamma"));
        Map<String, String> all = readAll(tar, TarReader.Limits.DEFAULT);
        assertEquals(List.of("dir/a.txt", "dir/big.bin", "dir/c.txt"), new ArrayList<>(all.keySet()));
        assertEquals("alpha", all.get("dir/a.txt"));
        assertEquals(1300, all.get("dir/big.bin").length());
        assertEquals("gamma", all.get("dir/c.txt"));

        // Reading only part of an entry (or none) still finds the next header.
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar", TarReader.Limits.DEFAULT)) {
            TarReader.Entry a = r.next();
            assertEquals(0, a.headerOffset());
            assertEquals(5, a.size());
            assertEquals('a', r.content().read());
            TarReader.Entry b = r.next();
            assertEquals(1024, b.headerOffset());
            assertEquals("big.bin", b.baseName());
            TarReader.Entry c = r.next();
            assertEquals(1024 + 512 + 1536, c.headerOffset());
            assertEquals("gamma", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
            assertNull(r.next());
            assertNull(r.next());
        }
    }

    @Test
    void readsGnuLongNamesAndPaxPathsWrittenByGnuTar() throws IOException {
        for (String f : List.of("/tar/gnu.tar", "/tar/pax.tar")) {
            byte[] tar;
            try (InputStream in = getClass().getResourceAsStream(f)) {
                tar = in.readAllBytes();
            }
            Map<String, String> all = readAll(tar, TarReader.Limits.DEFAULT);
            String d = "d".repeat(60), e = "e".repeat(150);
            assertEquals("hello\n", all.get("top/a.txt"), f + ": " + all.keySet());
            assertEquals("x".repeat(700), all.get("top/" + d + "/" + "n".repeat(80) + ".bin"), f);
            assertEquals("deep", all.get("top/" + e + "/" + e + "/deep.txt"), f + ": " + all.keySet());
            assertEquals("<2>", all.get("top/link"), f);
            assertEquals("<5>", all.get("top/"), f);
        }
    }

    @Test
    void corruptHeaderNamesTheOffset() {
        byte[] tar = TarFixtures.tar(TarFixtures.files("a", "1", "b", "2"));
        tar[1024 + 10] ^= 1; // second header, inside the name
        TarFormatException e = assertThrows(TarFormatException.class, () -> readAll(tar, TarReader.Limits.DEFAULT));
        assertEquals(1024, e.offset());
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("t.tar"), e.getMessage());

        byte[] notTar = "this is not a tar archive at all".repeat(20).getBytes(StandardCharsets.US_ASCII);
        assertThrows(TarFormatException.class, () -> readAll(notTar, TarReader.Limits.DEFAULT));
    }

    /** PAX records too short for their own length field and newline (a fuzzer's find) are format errors. */
    @Test
    void malformedPaxRecordsAreFormatErrors() {
        for (String record : new String[] {"2 ", "3 x", "9 path=ab"}) {
            byte[] body = record.getBytes(StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(TarFixtures.header("PaxHeaders/a", body.length, 'x'));
            out.writeBytes(Arrays.copyOf(body, 512));
            out.writeBytes(TarFixtures.tar(TarFixtures.files("a", "1")));
            TarFormatException e = assertThrows(TarFormatException.class,
                    () -> readAll(out.toByteArray(), TarReader.Limits.DEFAULT), record);
            assertEquals(0, e.offset(), record);
            assertTrue(e.getMessage().contains("PAX record"), e.getMessage());
        }
    }

    @Test
    void truncationIsReported() {
        byte[] tar = TarFixtures.tar(TarFixtures.files("a.bin", new byte[2000]));
        byte[] cut = Arrays.copyOf(tar, 512 + 1000);
        TarFormatException e = assertThrows(TarFormatException.class, () -> readAll(cut, TarReader.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(512 + 1000, e.offset());
        byte[] halfHeader = Arrays.copyOf(tar, 300);
        TarFormatException h = assertThrows(TarFormatException.class, () -> readAll(halfHeader, TarReader.Limits.DEFAULT));
        assertEquals(300, h.offset());
    }

    @Test
    void limitsAreEnforcedBeforeReading() {
        byte[] tar = TarFixtures.tar(TarFixtures.files("a", new byte[100], "b", new byte[600], "c", new byte[10]));
        TarFormatException size = assertThrows(TarFormatException.class,
                () -> readAll(tar, new TarReader.Limits(500, 1 << 20, 10, 100)));
        assertEquals(1024, size.offset()); // the header of "b"
        assertTrue(size.getMessage().contains("600 bytes exceeds the limit of 500"), size.getMessage());
        assertThrows(TarFormatException.class, () -> readAll(tar, new TarReader.Limits(1000, 650, 10, 100)));
        TarFormatException count = assertThrows(TarFormatException.class, () -> readAll(tar, new TarReader.Limits(1000, 1 << 20, 2, 100)));
        assertTrue(count.getMessage().contains("more than 2 entries"), count.getMessage());

        // A huge size claim is rejected without allocating or reading.
        byte[] h = TarFixtures.header("huge", 07777777777L, '0');
        assertThrows(TarFormatException.class, () -> readAll(h, new TarReader.Limits(1 << 20, 1 << 20, 10, 100)));
        assertThrows(IllegalArgumentException.class, () -> new TarReader.Limits(1, 1, 0, 1));
    }

    @Test
    void pathSafety() {
        assertTrue(new TarReader.Entry("a/b.bin", 0, '0', 0).isSafeRelativePath());
        assertFalse(new TarReader.Entry("../etc/passwd", 0, '0', 0).isSafeRelativePath());
        assertFalse(new TarReader.Entry("a/../../b", 0, '0', 0).isSafeRelativePath());
        assertFalse(new TarReader.Entry("/abs", 0, '0', 0).isSafeRelativePath());
        assertEquals("c", new TarReader.Entry("a/b/c/", 0, '5', 0).baseName());
    }
}
