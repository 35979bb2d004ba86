package org.cnn4j.onnx;

/** A malformed or unsupported ONNX file: the message names the file and, where known, the field and byte offset. */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
