package org.cnn4j.onnx.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes the protobuf wire format into a growable byte array; embedded messages are written by a nested writer. */
public final class ProtoWriter {
    private byte[] buf = new byte[256];
    private int n;

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, n);
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) n + more);
            if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("ONNX message larger than 2 GB");
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    private void raw(int b) {
        ensure(1);
        buf[n++] = (byte) b;
    }

    public void varint(long v) {
        while ((v & ~0x7fL) != 0) {
            raw((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        raw((int) v);
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    public void int64(int field, long v) {
        tag(field, ProtoReader.VARINT);
        varint(v);
    }

    public void float32(int field, float v) {
        tag(field, ProtoReader.FIXED32);
        fixed32(Float.floatToRawIntBits(v));
    }

    private void fixed32(int v) {
        ensure(4);
        buf[n++] = (byte) v;
        buf[n++] = (byte) (v >>> 8);
        buf[n++] = (byte) (v >>> 16);
        buf[n++] = (byte) (v >>> 24);
    }

    public void bytes(int field, byte[] b) {
        tag(field, ProtoReader.LEN);
        varint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    public void string(int field, String s) {
        bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public void message(int field, ProtoWriter m) {
        tag(field, ProtoReader.LEN);
        varint(m.n);
        ensure(m.n);
        System.arraycopy(m.buf, 0, buf, n, m.n);
        n += m.n;
    }

    public void packedInt64(int field, long[] values) {
        ProtoWriter p = new ProtoWriter();
        for (long v : values) p.varint(v);
        message(field, p);
    }

    public void packedFloat(int field, float[] values) {
        ProtoWriter p = new ProtoWriter();
        p.ensure(values.length * 4);
        for (float v : values) p.fixed32(Float.floatToRawIntBits(v));
        message(field, p);
    }
}
