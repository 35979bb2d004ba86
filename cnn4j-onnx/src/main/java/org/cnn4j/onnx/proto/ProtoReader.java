package org.cnn4j.onnx.proto;

import org.cnn4j.onnx.OnnxFormatException;

import java.nio.charset.StandardCharsets;

/**
 * A bounded reader of the protobuf wire format over one byte array (the whole file). Every length
 * prefix is checked against the bytes that remain in the enclosing message before anything is
 * allocated, so a corrupt or hostile file can never make the reader allocate more than the file's own
 * size. Errors name the source, the message path being read and the byte offset.
 */
public final class ProtoReader {
    public static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final byte[] buf;
    private final String source, context;
    private int pos;
    private final int limit;
    private int lastTagOffset;

    public ProtoReader(byte[] buf, String source) {
        this(buf, 0, buf.length, source, "ModelProto");
    }

    private ProtoReader(byte[] buf, int start, int limit, String source, String context) {
        this.buf = buf;
        this.pos = start;
        this.limit = limit;
        this.source = source;
        this.context = context;
    }

    public boolean hasMore() {
        return pos < limit;
    }

    public int offset() {
        return pos;
    }

    /** The next field's tag ({@code field << 3 | wireType}). */
    public int readTag() {
        lastTagOffset = pos;
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0)
            throw error("invalid field tag " + tag, lastTagOffset);
        int wt = (int) (tag & 7);
        if (wt != VARINT && wt != FIXED64 && wt != LEN && wt != FIXED32)
            throw error("unsupported wire type " + wt + " for field " + (tag >>> 3), lastTagOffset);
        return (int) tag;
    }

    public long readVarint() {
        long result = 0;
        int start = pos;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) throw error("truncated varint", start);
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw error("malformed varint (more than 10 bytes)", start);
    }

    public int readInt32() {
        return (int) readVarint();
    }

    public float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    public int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    public long readFixed64() {
        long lo = readFixed32() & 0xffffffffL, hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** The length of a length-delimited field, checked against what remains of the enclosing message. */
    private int readLength() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > limit - pos)
            throw error("length " + len + " exceeds the " + (limit - pos) + " bytes left in " + context, at);
        return (int) len;
    }

    public byte[] readBytes() {
        int len = readLength();
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    public String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A reader over an embedded message; this reader moves past it. */
    public ProtoReader readMessage(String name) {
        int len = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len, source, context + "." + name);
        pos += len;
        return sub;
    }

    /** Packed (LEN) or single (VARINT) repeated int64 values, appended to {@code out}. */
    public void readInt64s(int wireType, LongList out) {
        if (wireType == VARINT) {
            out.add(readVarint());
            return;
        }
        ProtoReader packed = readMessage("packed");
        while (packed.hasMore()) out.add(packed.readVarint());
    }

    /** Packed (LEN) or single (FIXED32) repeated floats, appended to {@code out}. */
    public void readFloats(int wireType, FloatList out) {
        if (wireType == FIXED32) {
            out.add(readFloat());
            return;
        }
        ProtoReader packed = readMessage("packed");
        if ((packed.limit - packed.pos) % 4 != 0) throw error("packed float field of " + (packed.limit - packed.pos) + " bytes", packed.pos);
        out.ensure((packed.limit - packed.pos) / 4);
        while (packed.hasMore()) out.add(packed.readFloat());
    }

    public void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> need(8, 8);
            case FIXED32 -> need(4, 4);
            case LEN -> {
                int len = readLength();
                pos += len;
            }
            default -> throw error("unsupported wire type " + wireType, pos);
        }
    }

    /** Fails unless the tag has the expected wire type. */
    public void expect(int tag, int wireType, String field) {
        if ((tag & 7) != wireType)
            throw error("field " + field + " has wire type " + (tag & 7) + ", expected " + wireType, lastTagOffset);
    }

    private void need(int n) {
        if (limit - pos < n) throw error("truncated: " + n + " bytes needed, " + (limit - pos) + " left", pos);
    }

    private void need(int n, int advance) {
        need(n);
        pos += advance;
    }

    public OnnxFormatException error(String what) {
        return error(what, lastTagOffset);
    }

    public OnnxFormatException error(String what, int at) {
        return new OnnxFormatException(source + ": " + context + ": " + what + " (byte offset " + at + ")");
    }

    /** A growable long array (no boxing). */
    public static final class LongList {
        private long[] a = new long[8];
        private int n;

        public void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        public int size() {
            return n;
        }

        public long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    /** A growable float array (no boxing). */
    public static final class FloatList {
        private float[] a = new float[8];
        private int n;

        void ensure(int more) {
            if (n + more > a.length) a = java.util.Arrays.copyOf(a, Math.max(n + more, a.length * 2));
        }

        public void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        public int size() {
            return n;
        }

        public float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
