package org.cnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that breaks the format. The message names the file, the tensor (where one is
 * concerned) and the absolute byte offset in the file where the problem lies.
 */
public class SafeTensorsFormatException extends IOException {
    private final Path file;
    private final String tensor;
    private final long offset;

    public SafeTensorsFormatException(Path file, String tensor, long offset, String message) {
        this(file, tensor, offset, message, null);
    }

    public SafeTensorsFormatException(Path file, String tensor, long offset, String message, Throwable cause) {
        super(file + ": " + (tensor == null ? "" : "tensor \"" + tensor + "\": ") + message
                + " (at byte offset " + offset + ")", cause);
        this.file = file;
        this.tensor = tensor;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The tensor concerned, or null for a problem with the file or header as a whole. */
    public String tensor() {
        return tensor;
    }

    /** Absolute byte offset in the file. */
    public long offset() {
        return offset;
    }
}
