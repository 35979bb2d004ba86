package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that is not what it should be (wrong magic number, truncated, inconsistent with its
 * partner file...). The message names the file and, where it applies, the byte offset of the problem;
 * for gzip files the offset counts uncompressed bytes.
 */
public class DatasetFormatException extends IOException {
    private final Path file;
    private final long offset;

    /** A problem at byte {@code offset} of {@code file}; use {@code offset = -1} where no offset applies. */
    public DatasetFormatException(Path file, long offset, String message) {
        this(file, offset, message, null);
    }

    public DatasetFormatException(Path file, long offset, String message, Throwable cause) {
        super(file + ": " + message + (offset >= 0 ? " (at byte offset " + offset + ")" : ""), cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Byte offset of the problem (of the uncompressed data for gzip files), or -1. */
    public long offset() {
        return offset;
    }
}
