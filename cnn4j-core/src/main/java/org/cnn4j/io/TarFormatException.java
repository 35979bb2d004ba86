package org.cnn4j.io;

import java.io.IOException;

/** A tar archive that is malformed or exceeds the reader's limits; names the archive and the byte offset. */
public class TarFormatException extends IOException {
    private final String archive;
    private final long offset;

    public TarFormatException(String archive, long offset, String message) {
        super(archive + ": " + message + (offset >= 0 ? " (at byte offset " + offset + " of the tar stream)" : ""));
        this.archive = archive;
        this.offset = offset;
    }

    public String archive() {
        return archive;
    }

    /** Offset in the (uncompressed) tar stream, or -1. */
    public long offset() {
        return offset;
    }
}
