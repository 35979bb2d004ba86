package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

import java.util.Locale;

/**
 * Schedules from a one-line spec (the CLI's {@code --scheduler}):
 * <pre>
 * none
 * step:SIZE[:GAMMA]            StepLR, gamma 0.1 by default
 * multistep:M1,M2,...[:GAMMA]  MultiStepLR, gamma 0.1 by default
 * exp:GAMMA                    ExponentialLR
 * cosine[:ETA_MIN]             CosineAnnealingLR with T_max = the number of epochs
 * warmup-cosine:EPOCHS[:MIN_LR] WarmupCosineLR, per batch: EPOCHS of linear warm-up, cosine to the end
 * onecycle:MAX_LR              OneCycleLR, per batch, PyTorch's defaults, total = epochs x batches
 * plateau:PATIENCE[:FACTOR]    ReduceLROnPlateau on val_loss (mode min), factor 0.1 by default
 * </pre>
 */
public final class Schedulers {
    private Schedulers() {}

    public static final String SYNTAX = "none | step:SIZE[:GAMMA] | multistep:M1,M2,...[:GAMMA] | exp:GAMMA | cosine[:ETA_MIN]"
            + " | warmup-cosine:EPOCHS[:MIN_LR] | onecycle:MAX_LR | plateau:PATIENCE[:FACTOR]";

    /**
     * Builds the schedule {@code spec} describes for {@code optimizer}, training {@code epochs} epochs of
     * {@code stepsPerEpoch} batches; null for {@code none}. Errors name the spec and the syntax.
     */
    public static LRScheduler parse(String spec, Optimizer optimizer, int epochs, int stepsPerEpoch) {
        if (spec == null) return null;
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String kind = parts[0];
        try {
            return switch (kind) {
                case "none" -> {
                    args(spec, parts, 0, 0);
                    yield null;
                }
                case "step" -> {
                    args(spec, parts, 1, 2);
                    yield new StepLR(optimizer, Integer.parseInt(parts[1]), parts.length > 2 ? Double.parseDouble(parts[2]) : 0.1);
                }
                case "multistep" -> {
                    args(spec, parts, 1, 2);
                    String[] ms = parts[1].split(",");
                    int[] milestones = new int[ms.length];
                    for (int i = 0; i < ms.length; i++) milestones[i] = Integer.parseInt(ms[i].trim());
                    yield new MultiStepLR(optimizer, milestones, parts.length > 2 ? Double.parseDouble(parts[2]) : 0.1);
                }
                case "exp" -> {
                    args(spec, parts, 1, 1);
                    yield new ExponentialLR(optimizer, Double.parseDouble(parts[1]));
                }
                case "cosine" -> {
                    args(spec, parts, 0, 1);
                    yield new CosineAnnealingLR(optimizer, epochs, parts.length > 1 ? Double.parseDouble(parts[1]) : 0);
                }
                case "warmup-cosine" -> {
                    args(spec, parts, 1, 2);
                    int warmupEpochs = Integer.parseInt(parts[1]);
                    if (warmupEpochs < 0 || warmupEpochs > epochs)
                        throw new IllegalArgumentException("warm-up epochs must be in [0, " + epochs + "] (the number of epochs)");
                    yield new WarmupCosineLR(optimizer, warmupEpochs * stepsPerEpoch, epochs * stepsPerEpoch,
                            parts.length > 2 ? Double.parseDouble(parts[2]) : 0);
                }
                case "onecycle" -> {
                    args(spec, parts, 1, 1);
                    yield new OneCycleLR(optimizer, Double.parseDouble(parts[1]), epochs * stepsPerEpoch);
                }
                case "plateau" -> {
                    args(spec, parts, 1, 2);
                    yield new ReduceLROnPlateau(optimizer, ReduceLROnPlateau.Mode.MIN,
                            parts.length > 2 ? Double.parseDouble(parts[2]) : 0.1, Integer.parseInt(parts[1]), 1e-4,
                            ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8);
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + kind + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid scheduler '" + spec + "': " + e.getMessage() + "; expected " + SYNTAX, e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid scheduler")) throw e;
            throw new IllegalArgumentException("invalid scheduler '" + spec + "': " + e.getMessage() + "; expected " + SYNTAX, e);
        }
    }

    private static void args(String spec, String[] parts, int min, int max) {
        int n = parts.length - 1;
        if (n < min || n > max)
            throw new IllegalArgumentException("invalid scheduler '" + spec + "': '" + parts[0] + "' takes "
                    + (min == max ? min : min + " to " + max) + " argument" + (max == 1 ? "" : "s") + " after ':'; expected " + SYNTAX);
    }
}
