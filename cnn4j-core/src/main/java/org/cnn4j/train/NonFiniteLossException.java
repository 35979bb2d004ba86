package org.cnn4j.train;

/** Training stopped because the loss became NaN or infinite; the message says where and suggests why. */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String message) {
        super(message);
    }
}
