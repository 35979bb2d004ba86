package org.cnn4j.io;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------ helpers

    /** A safetensors file from a header string and raw buffer, exactly as the spec lays it out. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private Path put(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private SafeTensorsFormatException bad(String name, byte[] bytes) throws IOException {
        Path p = put(name, bytes);
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(p));
        assertEquals(p, e.file());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + e.offset()), e.getMessage());
        return e;
    }

    private static void assertMessage(SafeTensorsFormatException e, String... fragments) {
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
    }

    // ------------------------------------------------------------ writing and reading

    @Test
    void roundTripKeepsValuesOrderAndMetadata() throws IOException {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("layer.0.weight", new Tensor(new float[] {1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, -0f, 3e-8f}, 2, 3));
        in.put("layer.0.bias", new Tensor(new float[] {0.1f, 0.2f}, 2));
        in.put("scalar", Tensor.scalar(42f));
        in.put("empty", new Tensor(new float[0], 0, 4));
        float[] big = new float[100_003]; // spans several write/read chunks
        for (int i = 0; i < big.length; i++) big[i] = (float) Math.sin(i);
        in.put("a.big", new Tensor(big, 100_003));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, in, Map.of("format", "pt", "note", "é \"quoted\""));

        SafeTensors.Loaded out = SafeTensors.read(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()), "insertion order kept");
        for (String k : in.keySet()) {
            assertArrayEquals(in.get(k).shape(), out.tensors().get(k).shape(), k);
            assertArrayEquals(in.get(k).data(), out.tensors().get(k).data(), k);
        }
        assertEquals(Map.of("format", "pt", "note", "é \"quoted\""), out.metadata());

        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{"), header);
        assertTrue(header.contains("\"layer.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertTrue(header.contains("\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[32,36]}"), header);
        assertEquals(header.stripTrailing().length() + (n - header.stripTrailing().getBytes(StandardCharsets.UTF_8).length),
                header.length(), "padding is spaces");
        assertEquals(8 + n + 4L * (6 + 2 + 1 + 100_003), bytes.length);
        // Spot-check the raw little-endian buffer.
        assertEquals(-2.5f, ByteBuffer.wrap(bytes, (int) (8 + n + 4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void writesWithoutMetadataAndRejectsReservedName() throws IOException {
        Path f = dir.resolve("n.safetensors");
        SafeTensors.write(f, Map.of("w", Tensor.ones(3)), null);
        SafeTensors.Loaded l = SafeTensors.read(f);
        assertEquals(Map.of(), l.metadata());
        assertArrayEquals(new float[] {1, 1, 1}, l.tensors().get("w").data());
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("__metadata__"));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x"), Map.of("__metadata__", Tensor.ones(1)), null));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void readsHandBuiltFileOfEveryDtype() throws IOException {
        // Built from the spec by hand: any tensor order in the buffer, no padding, names out of order.
        ByteBuffer d = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(600L);                                                  // I64 [0, 8)
        d.putDouble(-1.25);                                               // F64 [8, 16)
        d.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-2f)); // F16 [16, 20)
        d.putShort((short) (Float.floatToIntBits(3.0f) >>> 16));          // BF16 [20, 22)
        d.putShort((short) -5);                                           // I16 [22, 24)
        d.putInt(-70000);                                                 // I32 [24, 28)
        d.put((byte) -3).put((byte) 200).put((byte) 1).put((byte) 0);     // I8, U8, BOOL x2 [28, 32)
        d.putInt(0xFFFFFFFF);                                             // U32 [32, 36)
        d.putShort((short) 0xFFFF);                                       // U16 [36, 38)
        d.putShort((short) 0);                                            // pad via U8 x2 [38, 40)
        d.putLong(-1L);                                                   // U64 [40, 48)
        d.putFloat(7.5f).putFloat(-0.125f).putFloat(1e30f).putFloat(2f);  // F32 [48, 64)
        String header = "{\"z\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[48,64]},"
                + "\"nbt\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"f64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"f16\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[20,22]},"
                + "\"i16\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[22,24]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[24,28]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[28,29]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[29,30]},"
                + "\"bool\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[30,32]},"
                + "\"u32\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[32,36]},"
                + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[36,38]},"
                + "\"pad\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[38,40]},"
                + "\"u64\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[40,48]},"
                + "\"__metadata__\":{\"k\":\"v\"}}";
        Path p = put("hand.safetensors", file(header, d.array()));
        SafeTensors.Loaded l = SafeTensors.read(p);
        Map<String, Tensor> t = l.tensors();
        assertEquals(List.of("z", "nbt", "f64", "f16", "bf16", "i16", "i32", "i8", "u8", "bool", "u32", "u16", "pad", "u64"),
                List.copyOf(t.keySet()));
        assertArrayEquals(new float[] {7.5f, -0.125f, 1e30f, 2f}, t.get("z").data());
        assertArrayEquals(new int[] {2, 2}, t.get("z").shape());
        assertArrayEquals(new int[0], t.get("nbt").shape());
        assertEquals(600f, t.get("nbt").data()[0]);
        assertEquals(-1.25f, t.get("f64").data()[0]);
        assertArrayEquals(new float[] {0.5f, -2f}, t.get("f16").data());
        assertEquals(3f, t.get("bf16").data()[0]);
        assertEquals(-5f, t.get("i16").data()[0]);
        assertEquals(-70000f, t.get("i32").data()[0]);
        assertEquals(-3f, t.get("i8").data()[0]);
        assertEquals(200f, t.get("u8").data()[0]);
        assertArrayEquals(new float[] {1f, 0f}, t.get("bool").data());
        assertEquals(4294967295f, t.get("u32").data()[0]);
        assertEquals(65535f, t.get("u16").data()[0]);
        assertEquals(1.8446744e19f, t.get("u64").data()[0]);
        assertEquals(Map.of("k", "v"), l.metadata());

        SafeTensors.Header h = SafeTensors.readHeader(p);
        assertEquals(8 + header.length(), h.dataStart());
        assertEquals("I64", h.tensors().get(1).dtype());
    }

    @Test
    void readsFileWrittenByPythonSafetensors() throws IOException {
        // Written by safetensors 0.8.0's save_file from torch 1.13 tensors: see tools/fixtures/make_safetensors_interop_fixture.py.
        Path p = dir.resolve("torch.safetensors");
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("torch_fixture.safetensors")) {
            assertNotNull(in, "fixture missing");
            Files.copy(in, p);
        }
        SafeTensors.Loaded l = SafeTensors.read(p);
        Map<String, Tensor> t = l.tensors();
        assertEquals(Map.of("format", "pt", "note", "cnn4j fixture"), l.metadata());
        assertEquals(13, t.size());
        // The Python writer orders by dtype alignment then name; we keep the header's order.
        assertEquals("bn.num_batches_tracked", t.keySet().iterator().next());
        float[] w = new float[18];
        for (int i = 0; i < 18; i++) w[i] = i / 8f - 1f;
        assertArrayEquals(new int[] {2, 1, 3, 3}, t.get("conv.weight").shape());
        assertArrayEquals(w, t.get("conv.weight").data());
        assertArrayEquals(new float[] {0.5f, -0.25f}, t.get("conv.bias").data());
        assertArrayEquals(new float[] {0.1f, 0.2f}, t.get("bn.running_mean").data());
        assertArrayEquals(new int[0], t.get("bn.num_batches_tracked").shape());
        assertArrayEquals(new float[] {600f}, t.get("bn.num_batches_tracked").data());
        assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f}, t.get("f64").data());
        assertArrayEquals(new float[] {0.5f, -3f, 65504f}, t.get("f16").data());
        // torch rounds 3e38 to the nearest bfloat16, 0x7f62 (3.0040553e38): exact bits expected.
        assertArrayEquals(new float[] {1f, -0.375f, Float.intBitsToFloat(0x7f620000)}, t.get("bf16").data());
        assertArrayEquals(new float[] {-7f, 123456f}, t.get("i32").data());
        assertArrayEquals(new float[] {-300f, 300f}, t.get("i16").data());
        assertArrayEquals(new float[] {-128f, 127f}, t.get("i8").data());
        assertArrayEquals(new float[] {0f, 255f}, t.get("u8").data());
        assertArrayEquals(new float[] {1f, 0f, 1f}, t.get("bool").data());
        assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());

        // And what we write from those tensors reads back the same.
        Path again = dir.resolve("again.safetensors");
        SafeTensors.write(again, t, l.metadata());
        SafeTensors.Loaded l2 = SafeTensors.read(again);
        for (String k : t.keySet()) assertArrayEquals(t.get(k).data(), l2.tensors().get(k).data(), k);
    }

    // ------------------------------------------------------------ corrupt files

    private static final String GOOD = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void truncatedHeaderLength() throws IOException {
        SafeTensorsFormatException e = bad("t.safetensors", new byte[] {1, 0, 0});
        assertEquals(0, e.offset());
        assertMessage(e, "truncated", "3 bytes");
        assertNull(e.tensor());
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        byte[] b = file(GOOD, le(1, 2));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        SafeTensorsFormatException e = bad("h.safetensors", b);
        assertEquals(0, e.offset());
        assertMessage(e, "header length 1000 exceeds");
        // A "negative" (huge unsigned) length too.
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertMessage(bad("h2.safetensors", b), "header length 18446744073709551615 exceeds");
        // A file truncated inside the header.
        byte[] full = file(GOOD, le(1, 2));
        assertMessage(bad("h3.safetensors", java.util.Arrays.copyOf(full, 20)), "exceeds");
    }

    @Test
    void headerLargerThanLimitIsRejectedWithoutReadingIt() throws IOException {
        Path p = dir.resolve("huge.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(SafeTensors.MAX_HEADER_BYTES + 1000); // sparse: costs no disk
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensors.MAX_HEADER_BYTES + 1).array());
        }
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(p));
        assertEquals(0, e.offset());
        assertMessage(e, p.toString(), "exceeds the limit of 100000000");
    }

    @Test
    void badJsonNamesTheByteOffset() throws IOException {
        // "é" is two bytes in UTF-8, so the byte offset differs from the char offset.
        String header = "{\"é\":{\"dtype\":\"F32\",\"shape\":[2] \"data_offsets\":[0,8]}}";
        SafeTensorsFormatException e = bad("j.safetensors", file(header, le(1, 2)));
        int charPos = header.indexOf(" \"data_offsets\"") + 1;
        assertEquals(8 + charPos + 1, e.offset(), e.getMessage());
        assertMessage(e, "not valid JSON", "expected '}'");

        assertMessage(bad("j2.safetensors", file("[1,2]   ", new byte[0])), "does not start with '{'");
        byte[] invalidUtf8 = file("{\"a\":1}", new byte[0]);
        invalidUtf8[10] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        SafeTensorsFormatException u = bad("j3.safetensors", invalidUtf8);
        assertEquals(8, u.offset());
        assertMessage(u, "UTF-8");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        SafeTensorsFormatException e = bad("o.safetensors",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", le(1, 2)));
        assertEquals("w", e.tensor());
        assertMessage(e, "tensor \"w\"", "run past the end", "(8 bytes)");
        assertEquals(8 + 55 + 4, e.offset());

        SafeTensorsFormatException r = bad("o2.safetensors",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", le(1, 2)));
        assertMessage(r, "tensor \"w\"", "invalid data_offsets [8, 4]");
        assertMessage(bad("o3.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", le(1, 2))),
                "\"data_offsets\" is not an array of two integers");
    }

    @Test
    void overlapGapAndUncoveredBytes() throws IOException {
        SafeTensorsFormatException overlap = bad("ov.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", le(1, 2)));
        assertEquals("b", overlap.tensor());
        assertMessage(overlap, "overlaps");
        SafeTensorsFormatException gap = bad("gap.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", le(1, 2, 3)));
        assertEquals("b", gap.tensor());
        assertMessage(gap, "gap");
        SafeTensorsFormatException extra = bad("extra.safetensors", file(GOOD, le(1, 2, 3)));
        assertMessage(extra, "cover 8 bytes", "has 12 bytes");
        assertEquals(8 + GOOD.length() + 8, extra.offset());
    }

    @Test
    void shapeSizeMismatch() throws IOException {
        SafeTensorsFormatException e = bad("s.safetensors",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(1, 2)));
        assertEquals("w", e.tensor());
        assertMessage(e, "needs 12 bytes", "span 8");
        assertMessage(bad("s2.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", le(1, 2))),
                "dimension 0 is not an integer");
        assertMessage(bad("s3.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", le(1, 2))),
                "dimension 0 is not an integer");
        assertMessage(bad("s4.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", le(1, 2))),
                "more elements than a Java array");
        assertMessage(bad("s5.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", le(1, 2))),
                "dimension 0");
    }

    @Test
    void unknownAndUnsupportedDtype() throws IOException {
        SafeTensorsFormatException e = bad("d.safetensors",
                file("{\"w\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", le(1, 2)));
        assertEquals("w", e.tensor());
        assertEquals(8, e.offset());
        assertMessage(e, "unknown dtype \"F33\"");
        assertMessage(bad("d2.safetensors", file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", le(1, 2))),
                "unsupported dtype \"F8_E4M3\"");
        assertMessage(bad("d3.safetensors", file("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", le(1, 2))),
                "missing or non-string \"dtype\"");
    }

    @Test
    void badMetadataAndEntries() throws IOException {
        assertMessage(bad("m.safetensors", file("{\"__metadata__\":{\"a\":1}}", new byte[0])), "\"a\" is not a string");
        assertMessage(bad("m2.safetensors", file("{\"__metadata__\":[]}", new byte[0])), "not a JSON object");
        assertMessage(bad("m3.safetensors", file("{\"w\":3}", new byte[0])), "tensor \"w\"", "not a JSON object");
        // An empty file set is valid.
        Path ok = put("empty.safetensors", file("{}      ", new byte[0]));
        assertTrue(SafeTensors.read(ok).tensors().isEmpty());
    }
}
