package org.cnn4j.io;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * <pre>
 *   [8 bytes]  N, unsigned little-endian 64-bit: the header length
 *   [N bytes]  UTF-8 JSON: {"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [..],
 *              "data_offsets": [begin, end]}, ...}, padded with spaces
 *   [rest]     the byte buffer; a tensor's bytes are buffer[begin, end), row-major, little-endian
 * </pre>
 *
 * <p>{@link #write} writes F32 tensors in the map's iteration order, {@code __metadata__} first (omitted when
 * empty), compact JSON padded with spaces to a multiple of 8 bytes as the reference writer does, atomically
 * (see {@link AtomicFiles}).
 *
 * <p>{@link #read} treats the file as untrusted: the header length must fit the file and
 * {@link #MAX_HEADER_BYTES}; the header must be valid UTF-8 JSON of the shape above; every tensor's dtype
 * must be known, its dims non-negative and its element count representable, its byte size
 * ({@code numel * dtype size}) equal {@code end - begin}, and the tensors together must tile the buffer
 * exactly (no gap, no overlap, nothing past the end), as the reference reader checks. Any violation is a
 * {@link SafeTensorsFormatException} naming the file, the tensor and the byte offset. Dtypes F64, F32, F16,
 * BF16, I64, I32, I16, I8, U64, U32, U16, U8 and BOOL are converted to float32 (PyTorch stores
 * BatchNorm's {@code num_batches_tracked} as I64); the 8-bit float formats are rejected as unsupported.
 */
public final class SafeTensors {
    /** Largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    private SafeTensors() {}

    /** What {@link #read} returns: tensors in header order, and the metadata (empty when there is none). */
    public record Loaded(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    /** One header entry as stored in the file. Offsets are relative to the start of the byte buffer. */
    public record TensorInfo(String name, String dtype, int[] shape, long begin, long end) {}

    /** The parsed, validated header: entries in header order, metadata, and where the buffer starts. */
    public record Header(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {}

    // ================================================================ writing

    /** Writes {@code tensors} as F32, with optional {@code metadata} (may be null), atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        LinkedHashMap<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("metadata keys and values must be non-null: " + e);
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor names must be non-empty");
            if (name.equals(METADATA_KEY)) throw new IllegalArgumentException("\"" + METADATA_KEY + "\" is reserved, not a tensor name");
            Tensor t = e.getValue();
            long bytes = 4L * t.numel();
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(name, info);
            offset += bytes;
        }
        byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[8 + padded];
        ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, headerBytes, 8, json.length);
        for (int i = 8 + json.length; i < headerBytes.length; i++) headerBytes[i] = ' ';

        AtomicFiles.write(file, out -> {
            out.write(headerBytes);
            byte[] chunk = new byte[CHUNK];
            ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) writeFloats(out, t.data(), chunk, bb);
        });
    }

    private static void writeFloats(OutputStream out, float[] data, byte[] chunk, ByteBuffer bb) throws IOException {
        int perChunk = chunk.length / 4;
        for (int i = 0; i < data.length; i += perChunk) {
            int n = Math.min(perChunk, data.length - i);
            bb.clear();
            bb.asFloatBuffer().put(data, i, n);
            out.write(chunk, 0, n * 4);
        }
    }

    // ================================================================ reading

    /** Reads every tensor of {@code file}, converting to float32. */
    public static Loaded read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorInfo info : h.tensors()) {
                float[] data = new float[Shape.size(info.shape())];
                readData(file, ch, h.dataStart(), info, data, buf);
                tensors.put(info.name(), new Tensor(data, info.shape()));
            }
            return new Loaded(tensors, h.metadata());
        }
    }

    /** Reads and validates only the header of {@code file} (cheap: no tensor data is read). */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8)
            throw new SafeTensorsFormatException(file, null, 0,
                    "truncated: the file has " + size + " bytes, fewer than the 8-byte header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0, null);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8)
            throw new SafeTensorsFormatException(file, null, 0, "header length " + Long.toUnsignedString(n)
                    + " exceeds the " + (size - 8) + " bytes that follow it in the file (file size " + size + ")");
        if (n > MAX_HEADER_BYTES)
            throw new SafeTensorsFormatException(file, null, 0,
                    "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        if (n < 2)
            throw new SafeTensorsFormatException(file, null, 0, "header length " + n + " is too small for a JSON object");
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8, null);
        hb.flip();
        String json;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb.duplicate());
            json = cb.toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(file, null, 8, "header is not valid UTF-8", e);
        }
        if (json.isEmpty() || json.charAt(0) != '{')
            throw new SafeTensorsFormatException(file, null, 8, "header does not start with '{'");
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.ParseException e) {
            long at = 8 + json.substring(0, Math.min(e.offset(), json.length())).getBytes(StandardCharsets.UTF_8).length;
            throw new SafeTensorsFormatException(file, null, at, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> top))
            throw new SafeTensorsFormatException(file, null, 8, "header is not a JSON object");

        long dataStart = 8 + n;
        long bufferSize = size - dataStart;
        Map<String, String> metadata = Map.of();
        List<TensorInfo> infos = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
                continue;
            }
            infos.add(parseInfo(file, name, e.getValue(), bufferSize, dataStart));
        }

        // The tensors must tile the buffer: sorted by offsets, each begins where the previous ended.
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() != expected)
                throw new SafeTensorsFormatException(file, t.name(), dataStart + t.begin(),
                        (t.begin() < expected ? "data overlaps the previous tensor" : "gap in the byte buffer")
                                + ": data_offsets begin at " + t.begin() + ", expected " + expected);
            expected = t.end();
        }
        if (expected != bufferSize)
            throw new SafeTensorsFormatException(file, null, dataStart + expected,
                    "the tensors cover " + expected + " bytes of data but the buffer after the header has "
                            + bufferSize + " bytes");
        return new Header(Collections.unmodifiableList(infos), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, Object value) throws SafeTensorsFormatException {
        if (!(value instanceof Map<?, ?> m))
            throw new SafeTensorsFormatException(file, null, 8, "\"" + METADATA_KEY + "\" is not a JSON object");
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String v))
                throw new SafeTensorsFormatException(file, null, 8,
                        "\"" + METADATA_KEY + "\" value for \"" + e.getKey() + "\" is not a string");
            out.put((String) e.getKey(), v);
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseInfo(Path file, String name, Object value, long bufferSize, long dataStart)
            throws SafeTensorsFormatException {
        if (!(value instanceof Map<?, ?> m))
            throw new SafeTensorsFormatException(file, name, 8, "header entry is not a JSON object");
        if (!(m.get("dtype") instanceof String dtype))
            throw new SafeTensorsFormatException(file, name, 8, "missing or non-string \"dtype\"");
        int elemSize = dtypeSize(dtype);
        if (elemSize == 0)
            throw new SafeTensorsFormatException(file, name, 8, "unsupported dtype \"" + dtype + "\"");
        if (elemSize < 0)
            throw new SafeTensorsFormatException(file, name, 8, "unknown dtype \"" + dtype + "\"");
        if (!(m.get("shape") instanceof List<?> shapeList))
            throw new SafeTensorsFormatException(file, name, 8, "missing or non-array \"shape\"");
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeList.get(i);
            if (!(d instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE)
                throw new SafeTensorsFormatException(file, name, 8,
                        "shape " + shapeList + ": dimension " + i + " is not an integer in [0, 2^31-1]");
            shape[i] = (int) (long) dim;
            numel *= dim;
            if (numel > Integer.MAX_VALUE - 8)
                throw new SafeTensorsFormatException(file, name, 8,
                        "shape " + shapeList + " has more elements than a Java array can hold");
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end))
            throw new SafeTensorsFormatException(file, name, 8, "\"data_offsets\" is not an array of two integers");
        if (begin < 0 || end < begin)
            throw new SafeTensorsFormatException(file, name, dataStart + Math.max(0, begin),
                    "invalid data_offsets [" + begin + ", " + end + "]");
        if (end > bufferSize)
            throw new SafeTensorsFormatException(file, name, dataStart + begin, "data_offsets [" + begin + ", " + end
                    + "] run past the end of the byte buffer (" + bufferSize + " bytes)");
        long bytes = numel * elemSize;
        if (bytes != end - begin)
            throw new SafeTensorsFormatException(file, name, dataStart + begin, "shape " + Shape.str(shape) + " of " + dtype
                    + " needs " + bytes + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** Bytes per element; 0 for a known dtype this reader does not convert, -1 for an unknown one. */
    static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            case "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64" -> 0;
            default -> -1;
        };
    }

    private static void readData(Path file, FileChannel ch, long dataStart, TensorInfo info, float[] dst, ByteBuffer buf)
            throws IOException {
        int elem = dtypeSize(info.dtype());
        int perChunk = buf.capacity() / elem;
        long pos = dataStart + info.begin();
        for (int i = 0; i < dst.length; ) {
            int n = Math.min(perChunk, dst.length - i);
            buf.clear().limit(n * elem);
            readFully(file, ch, buf, pos, info.name());
            buf.flip();
            convert(info.dtype(), buf, dst, i, n);
            pos += (long) n * elem;
            i += n;
        }
    }

    private static void convert(String dtype, ByteBuffer b, float[] dst, int off, int n) {
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(dst, off, n);
            case "F64" -> { for (int i = 0; i < n; i++) dst[off + i] = (float) b.getDouble(); }
            case "F16" -> { for (int i = 0; i < n; i++) dst[off + i] = Float.float16ToFloat(b.getShort()); }
            case "BF16" -> { for (int i = 0; i < n; i++) dst[off + i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16); }
            case "I64" -> { for (int i = 0; i < n; i++) dst[off + i] = (float) b.getLong(); }
            case "I32" -> { for (int i = 0; i < n; i++) dst[off + i] = (float) b.getInt(); }
            case "I16" -> { for (int i = 0; i < n; i++) dst[off + i] = b.getShort(); }
            case "I8" -> { for (int i = 0; i < n; i++) dst[off + i] = b.get(); }
            case "U64" -> { for (int i = 0; i < n; i++) dst[off + i] = unsignedToFloat(b.getLong()); }
            case "U32" -> { for (int i = 0; i < n; i++) dst[off + i] = (float) (b.getInt() & 0xFFFFFFFFL); }
            case "U16" -> { for (int i = 0; i < n; i++) dst[off + i] = b.getShort() & 0xFFFF; }
            case "U8" -> { for (int i = 0; i < n; i++) dst[off + i] = b.get() & 0xFF; }
            case "BOOL" -> { for (int i = 0; i < n; i++) dst[off + i] = b.get() != 0 ? 1f : 0f; }
            default -> throw new IllegalStateException("unreachable: " + dtype);
        }
    }

    private static float unsignedToFloat(long x) {
        if (x >= 0) return (float) x;
        // Halve (keeping the low bit for correct rounding), convert, double.
        return ((float) ((x >>> 1) | (x & 1))) * 2f;
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos, String tensor) throws IOException {
        long start = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0)
                throw new SafeTensorsFormatException(file, tensor, pos, "unexpected end of file (the file shrank while "
                        + "being read?) reading " + (buf.remaining()) + " more bytes from offset " + start);
            pos += r;
        }
    }
}
