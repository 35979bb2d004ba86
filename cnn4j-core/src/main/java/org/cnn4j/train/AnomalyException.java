package org.cnn4j.train;

/**
 * Anomaly detection ({@link Trainer#detectAnomaly(boolean)}) found a NaN or infinite value: in a
 * module's output during the forward pass, in a parameter's gradient after the backward pass, or in a
 * parameter after the optimizer step. The message names the module path (as in the state dict), the
 * module, the parameter where one is concerned, the epoch and batch, and what to try.
 */
public final class AnomalyException extends RuntimeException {
    /** Where the value was found. */
    public enum Phase { FORWARD, BACKWARD, STEP }

    private final Phase phase;
    private final String modulePath;
    private final String parameter;

    public AnomalyException(Phase phase, String modulePath, String parameter, String message) {
        super(message);
        this.phase = phase;
        this.modulePath = modulePath;
        this.parameter = parameter;
    }

    public Phase phase() {
        return phase;
    }

    /** The dotted module path ({@code layer1.0}); empty for the model itself. */
    public String modulePath() {
        return modulePath;
    }

    /** The parameter's state-dict name for BACKWARD and STEP, null for FORWARD. */
    public String parameter() {
        return parameter;
    }
}
