package org.cnn4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A small, bounded reader of tar archives (POSIX ustar, with GNU long names and PAX {@code path} and
 * {@code size} records), enough to unpack dataset tarballs without a dependency. It reads an
 * uncompressed tar stream (wrap a {@code .tar.gz} in a {@link java.util.zip.GZIPInputStream}) entry by
 * entry:
 *
 * <pre>{@code
 * try (TarReader tar = new TarReader(in, "x.tar.gz", TarReader.Limits.DEFAULT)) {
 *     for (TarReader.Entry e; (e = tar.next()) != null; )
 *         if (e.isFile() && e.name().endsWith(".bin")) Files.copy(tar.content(), dir.resolve(...));
 * }
 * }</pre>
 *
 * <p>Archives are untrusted: every header's checksum is verified, sizes are parsed strictly (octal or
 * GNU base-256), and an archive is rejected, with a {@link TarFormatException} naming it and the byte
 * offset, when it is truncated, when an entry is larger than {@link Limits#maxEntryBytes}, when it has more
 * than {@link Limits#maxEntries} entries or more than {@link Limits#maxTotalBytes} of content, or when a
 * long-name record exceeds {@link Limits#maxNameBytes}. Entry names are returned as stored; callers must
 * not use them as paths without checking ({@link Entry#isSafeRelativePath()}).
 */
public final class TarReader implements AutoCloseable {
    private static final int BLOCK = 512;

    /** The reader's bounds. */
    public record Limits(long maxEntryBytes, long maxTotalBytes, int maxEntries, int maxNameBytes) {
        /** 4 GiB per entry, 64 GiB in all, 100,000 entries, 64 KiB names. */
        public static final Limits DEFAULT = new Limits(4L << 30, 64L << 30, 100_000, 1 << 16);

        public Limits {
            if (maxEntryBytes < 0 || maxTotalBytes < 0 || maxEntries < 1 || maxNameBytes < 1)
                throw new IllegalArgumentException("tar limits must be positive. Received: " + maxEntryBytes + ", " + maxTotalBytes
                        + ", " + maxEntries + ", " + maxNameBytes);
        }
    }

    /**
     * One member of the archive.
     *
     * @param name         the path as stored (PAX or GNU long name when present)
     * @param size         content bytes
     * @param type         the ustar type flag: {@code '0'} (or NUL) file, {@code '5'} directory, {@code '2'} symlink, ...
     * @param headerOffset byte offset of the entry's header in the tar stream
     */
    public record Entry(String name, long size, char type, long headerOffset) {
        public boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        public boolean isDirectory() {
            return type == '5';
        }

        /** The last path component ({@code "a/b/c.bin"} gives {@code "c.bin"}), ignoring a trailing slash. */
        public String baseName() {
            String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            return n.substring(n.lastIndexOf('/') + 1);
        }

        /** Whether the name is relative and has no {@code ..} component (so it cannot escape a target directory). */
        public boolean isSafeRelativePath() {
            if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) return false;
            for (String part : name.split("/")) if (part.equals("..")) return false;
            return true;
        }
    }

    private final InputStream in;
    private final String archive;
    private final Limits limits;
    private final byte[] header = new byte[BLOCK];
    private long position;      // bytes consumed from the stream
    private long remaining;     // content bytes of the current entry not yet read
    private long padding;       // padding after the current entry's content
    private long total;
    private int entries;
    private boolean finished;
    private Entry current;

    /** Reads {@code in} (an uncompressed tar stream); {@code archive} names it in messages. */
    public TarReader(InputStream in, String archive, Limits limits) {
        this.in = Objects.requireNonNull(in, "in");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The next entry, or null at the end of the archive. Skips what is left of the current entry. */
    public Entry next() throws IOException {
        if (finished) return null;
        skip(remaining + padding);
        remaining = padding = 0;
        String longName = null;
        Long paxSize = null;
        while (true) {
            long at = position;
            if (!readBlock(header, true)) {
                finished = true; // EOF at a block boundary: tolerated as an end without the zero blocks
                return current = null;
            }
            if (isZero(header)) {
                finished = true; // the end marker (a second zero block may follow; we need not read it)
                return current = null;
            }
            verifyChecksum(at);
            char type = (char) (header[156] & 0xFF);
            long size = parseSize(at);
            if (paxSize != null && type != 'x' && type != 'g' && type != 'L') size = paxSize;
            if (++entries > limits.maxEntries())
                throw new TarFormatException(archive, at, "more than " + limits.maxEntries() + " entries");
            if (size > limits.maxEntryBytes())
                throw new TarFormatException(archive, at, "entry of " + size + " bytes exceeds the limit of " + limits.maxEntryBytes());
            total += size;
            if (total > limits.maxTotalBytes())
                throw new TarFormatException(archive, at, "the archive's content exceeds the limit of " + limits.maxTotalBytes() + " bytes");
            if (type == 'L' || type == 'x' || type == 'g') {
                if (size > limits.maxNameBytes())
                    throw new TarFormatException(archive, at, (type == 'L' ? "long-name" : "PAX") + " record of " + size
                            + " bytes exceeds the limit of " + limits.maxNameBytes());
                byte[] data = new byte[(int) size];
                readFully(data, 0, data.length, at);
                skip(pad(size));
                if (type == 'L') longName = cString(data, 0, data.length);
                else if (type == 'x') {
                    String[] pax = parsePax(data, at);
                    if (pax[0] != null) longName = pax[0];
                    if (pax[1] != null) paxSize = Long.parseLong(pax[1]);
                }
                continue;
            }
            String name = longName != null ? longName : ustarName();
            remaining = size;
            padding = pad(size);
            if (!(type == '0' || type == '\0' || type == '7')) { // links, directories, devices carry no data we read
                padding += remaining;
                remaining = 0;
            }
            return current = new Entry(name, size, type, at);
        }
    }

    /**
     * The content of the current entry: a stream that ends after {@link Entry#size()} bytes and reports
     * truncation as a {@link TarFormatException}. Closing it does not close the archive.
     */
    public InputStream content() {
        if (current == null) throw new IllegalStateException("no current entry: call next() first");
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0)
                    throw new TarFormatException(archive, position, "truncated: entry " + current.name() + " ends " + remaining
                            + " bytes early");
                position += n;
                remaining -= n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private boolean readBlock(byte[] b, boolean eofOk) throws IOException {
        int got = 0;
        while (got < BLOCK) {
            int n = in.read(b, got, BLOCK - got);
            if (n < 0) {
                if (got == 0 && eofOk) return false;
                throw new TarFormatException(archive, position + got, "truncated: a header block has only " + got + " of 512 bytes");
            }
            got += n;
        }
        position += BLOCK;
        return true;
    }

    private void readFully(byte[] b, int off, int len, long headerAt) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(b, off + got, len - got);
            if (n < 0) throw new TarFormatException(archive, position, "truncated: the record of the header at " + headerAt
                    + " ends " + (len - got) + " bytes early");
            got += n;
            position += n;
        }
    }

    private void skip(long n) throws IOException {
        byte[] buf = null;
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (buf == null) buf = new byte[8192];
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) throw new TarFormatException(archive, position, "truncated: " + n + " bytes of entry data missing");
                s = r;
            }
            n -= s;
            position += s;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private void verifyChecksum(long at) throws TarFormatException {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += v & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        long stored = parseOctal(148, 8, at, "checksum");
        if (stored != unsigned && stored != signed)
            throw new TarFormatException(archive, at, "header checksum mismatch: stored " + stored + ", computed " + unsigned
                    + " (not a tar archive, or corrupt)");
    }

    private long parseSize(long at) throws TarFormatException {
        if ((header[124] & 0x80) != 0) { // GNU base-256
            if ((header[124] & 0x40) != 0) throw new TarFormatException(archive, at + 124, "negative entry size");
            long v = header[124] & 0x3F;
            for (int i = 125; i < 136; i++) {
                if ((v >>> 55) != 0) throw new TarFormatException(archive, at + 124, "entry size overflows 63 bits");
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        return parseOctal(124, 12, at, "size");
    }

    private long parseOctal(int off, int len, long at, String field) throws TarFormatException {
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        boolean any = false;
        for (; i < end; i++) {
            int c = header[i];
            if (c == 0 || c == ' ') break;
            if (c < '0' || c > '7')
                throw new TarFormatException(archive, at + i, "the " + field + " field is not octal: byte 0x"
                        + Integer.toHexString(c & 0xFF));
            if ((v >>> 60) != 0) throw new TarFormatException(archive, at + off, "the " + field + " field overflows");
            v = (v << 3) | (c - '0');
            any = true;
        }
        if (!any && field.equals("checksum")) throw new TarFormatException(archive, at + off, "empty checksum field");
        return v;
    }

    private String ustarName() {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        if (ustar && header[345] != 0) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** PAX extended header records {@code "<len> key=value\n"}; returns {path, size} (null where absent). */
    private String[] parsePax(byte[] data, long at) throws TarFormatException {
        String[] out = new String[2];
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new TarFormatException(archive, at, "malformed PAX record length at record byte " + i);
            }
            // a record is "<len> " + text + "\n", len counting all of it: at least the digits, the space and the newline
            if (len < sp - i + 2 || i + len > data.length)
                throw new TarFormatException(archive, at, "PAX record at record byte " + i + " claims " + len + " bytes");
            if (data[i + len - 1] != '\n')
                throw new TarFormatException(archive, at, "PAX record at record byte " + i + " does not end with a newline");
            String rec = new String(data, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                String key = rec.substring(0, eq), value = rec.substring(eq + 1);
                if (key.equals("path")) out[0] = value;
                else if (key.equals("size")) {
                    if (!value.matches("[0-9]{1,18}")) throw new TarFormatException(archive, at, "PAX size is not a number: " + value);
                    out[1] = value;
                }
            }
            i += len;
        }
        return out;
    }

}
