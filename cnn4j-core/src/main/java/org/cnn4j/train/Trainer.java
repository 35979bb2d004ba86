package org.cnn4j.train;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.optim.schedule.ReduceLROnPlateau;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The classification training loop the seeds write by hand (seed 000, code 5-8): for each batch,
 * forward, cross-entropy, zero_grad, backward, step; after each epoch, evaluation on the test set.
 * Reports through {@link TrainingListener}s and returns the per-epoch history.
 *
 * <p>Regularisation: when parameters carry a {@link org.cnn4j.nn.Regularizer}, the step's loss is the
 * cross-entropy plus {@link Module#regularizationLoss()} (differentiated with it, as Keras does), and
 * the reported training loss includes the penalty; evaluation reports the plain cross-entropy.
 *
 * <p>An optional {@link LRScheduler} ({@link #scheduler(LRScheduler)}) is stepped after every optimizer
 * step when its interval is {@code STEP}, otherwise after every epoch's evaluation; a
 * {@link ReduceLROnPlateau} gets the metric it monitors from the epoch's result.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private LRScheduler scheduler;
    private TrainingProgress resumeFrom; // null: from the start
    private int checkpointEvery; // 0: only at epoch ends (when a sink is set)
    private java.util.function.Consumer<TrainingProgress> checkpointSink;
    private long globalStep;
    private final List<EpochResult> history = new ArrayList<>();
    private boolean detectAnomaly;
    private double clipNorm = Double.NaN, clipNormType = 2.0, clipValue = Double.NaN;
    private boolean memoryGuard = true;

    public Trainer(Module model, Optimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Sets (or with null removes) the learning-rate schedule; it must drive this trainer's optimizer. */
    public Trainer scheduler(LRScheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    public LRScheduler scheduler() {
        return scheduler;
    }

    /**
     * Makes the next {@link #fit} continue from {@code progress} (a {@link Checkpoint}'s) rather than start
     * afresh: it skips the finished epochs and the batches already done of the current one (the loader
     * gives the same shuffle order and random draws from there), and returns the full history. The
     * model, optimizer, scheduler and {@link org.cnn4j.tensor.Rng} state must be restored by the caller
     * ({@link Checkpoint#restore} does it all).
     */
    public Trainer resume(TrainingProgress progress) {
        this.resumeFrom = progress;
        return this;
    }

    /**
     * Anomaly detection (default off): checks every module's output, every parameter gradient after
     * backward and every parameter after the step for NaN/Inf and stops with an {@link AnomalyException}
     * naming the first module or parameter concerned (see {@link AnomalyDetector}). Slower; use it to
     * find where a NaN loss comes from.
     */
    public Trainer detectAnomaly(boolean on) {
        this.detectAnomaly = on;
        return this;
    }

    /**
     * Calls {@code sink} with the run's progress after every {@code everyBatches} optimizer steps (0: never
     * within an epoch) and at the end of every epoch (after evaluation, the scheduler and the listeners),
     * so it can write a {@link Checkpoint}.
     */
    public Trainer checkpoints(int everyBatches, java.util.function.Consumer<TrainingProgress> sink) {
        if (everyBatches < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0 batches. Received: " + everyBatches);
        this.checkpointEvery = everyBatches;
        this.checkpointSink = sink;
        return this;
    }

    /**
     * Clips the gradients' total {@code normType}-norm to {@code maxNorm} after every backward
     * ({@link org.cnn4j.optim.GradClip#clipGradNorm}); NaN turns it off (the default).
     */
    public Trainer clipGradNorm(double maxNorm, double normType) {
        if (!Double.isNaN(maxNorm) && (!(maxNorm > 0) || Double.isInfinite(maxNorm)))
            throw new IllegalArgumentException("clipGradNorm maxNorm must be a finite number > 0 (or NaN for off). Received: " + maxNorm);
        if (!(normType > 0))
            throw new IllegalArgumentException("clipGradNorm normType must be > 0 (e.g. 2, 1 or Infinity). Received: " + normType);
        this.clipNorm = maxNorm;
        this.clipNormType = normType;
        return this;
    }

    /** {@link #clipGradNorm(double, double)} with the 2-norm. */
    public Trainer clipGradNorm(double maxNorm) {
        return clipGradNorm(maxNorm, 2.0);
    }

    /**
     * Clamps every gradient element to {@code [-value, value]} after every backward
     * ({@link org.cnn4j.optim.GradClip#clipGradValue}), before any norm clipping; NaN turns it off (the default).
     */
    public Trainer clipGradValue(double value) {
        if (!Double.isNaN(value) && (!(value > 0) || Double.isInfinite(value)))
            throw new IllegalArgumentException("clipGradValue value must be a finite number > 0 (or NaN for off). Received: " + value);
        this.clipValue = value;
        return this;
    }

    /**
     * Whether {@link #fit} and {@link #evaluate(DataLoader)} first estimate a batch's memory and fail with a
     * {@link MemoryGuard.InsufficientMemoryException} giving the estimate and the largest batch that fits,
     * instead of running out of heap mid-epoch (default on; see {@link MemoryGuard}).
     */
    public Trainer memoryGuard(boolean on) {
        this.memoryGuard = on;
        return this;
    }

    /** Trains for {@code epochs} epochs; {@code test} may be null (no evaluation). */
    public List<EpochResult> fit(DataLoader train, DataLoader test, int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("Trainer.fit: epochs must be positive. Received: epochs=" + epochs);
        if (memoryGuard) {
            MemoryGuard.check(model, train.dataset().sampleShape(), train.batchSize(), true, optimizer);
            if (test != null) MemoryGuard.check(model, test.dataset().sampleShape(), test.batchSize(), false, null);
        }
        TrainingProgress from = resumeFrom != null ? resumeFrom : TrainingProgress.start();
        resumeFrom = null;
        history.clear();
        history.addAll(from.history());
        globalStep = from.globalStep();
        for (int epoch = from.epochsDone() + 1; epoch <= epochs; epoch++) {
            EpochResult r = trainEpoch(train, test, epoch, epochs, epoch == from.epochsDone() + 1 ? from : null);
            history.add(r);
            if (scheduler != null && scheduler.interval() == LRScheduler.Interval.EPOCH) {
                if (scheduler.needsMetric()) scheduler.step(monitored(r, ((ReduceLROnPlateau) scheduler).monitor()));
                else scheduler.step();
            }
            for (TrainingListener l : listeners) l.onEpochEnd(r);
            if (checkpointSink != null) checkpointSink.accept(new TrainingProgress(epoch, 0, globalStep, 0, 0, 0, 0, history));
        }
        return new ArrayList<>(history);
    }

    private EpochResult trainEpoch(DataLoader train, DataLoader test, int epoch, int epochs, TrainingProgress partial) {
        int batches = train.numBatches();
        for (TrainingListener l : listeners) l.onEpochStart(epoch, epochs, batches);
        model.train(true);
        train.setEpoch(epoch - 1);
        int b = partial == null ? 0 : partial.batchesDone();
        double lossSum = partial == null ? 0 : partial.lossSum();
        long correct = partial == null ? 0 : partial.correct(), seen = partial == null ? 0 : partial.seen();
        long start = System.nanoTime() - (partial == null ? 0 : (long) (partial.seconds() * 1e9));
        boolean regularized = model.hasRegularizers();
        boolean stepSchedule = scheduler != null && scheduler.interval() == LRScheduler.Interval.STEP;
        AnomalyDetector anomaly = detectAnomaly ? AnomalyDetector.attach(model) : null;
        try (DataLoader.Epoch epochBatches = train.iterator(b); anomaly) { // closing stops the loader's workers if the loop fails
            while (epochBatches.hasNext()) {
                Batch batch = epochBatches.next();
                b++;
                float value;
                int batchCorrect;
                if (anomaly != null) anomaly.setLocation("epoch " + epoch + ", batch " + b + " of " + batches);
                try (var step = BufferPool.scope()) { // intermediate arrays are recycled by the next step
                    Tensor logits = model.call(batch.inputs());
                    Tensor l = loss.apply(logits, batch); // soft targets when a batch transform (MixUp) made them
                    if (regularized) l = l.add(model.regularizationLoss());
                    value = l.item();
                    if (!Float.isFinite(value))
                        throw new NonFiniteLossException("loss is " + value + " at epoch " + epoch + ", batch " + b + " of " + batches
                                + " (after " + seen + " samples); try a lower learning rate (now " + optimizer.learningRate()
                                + ") or check the input data for NaN/Inf");
                    batchCorrect = countCorrect(logits, batch.labels());
                    optimizer.zeroGrad();
                    l.backward();
                    if (anomaly != null) anomaly.checkGradients();
                    if (!Double.isNaN(clipValue)) org.cnn4j.optim.GradClip.clipGradValue(optimizer.parameters(), clipValue);
                    if (!Double.isNaN(clipNorm)) org.cnn4j.optim.GradClip.clipGradNorm(optimizer.parameters(), clipNorm, clipNormType, false);
                    optimizer.step();
                    if (anomaly != null) anomaly.checkParameters();
                }
                if (stepSchedule) scheduler.step();
                globalStep++;
                int n = batch.size();
                lossSum += (double) value * n;
                correct += batchCorrect;
                seen += n;
                double seconds = (System.nanoTime() - start) / 1e9;
                for (TrainingListener listener : listeners)
                    listener.onBatchEnd(epoch, b, batches, value, lossSum / seen, (double) correct / seen, seen / seconds);
                if (checkpointSink != null && checkpointEvery > 0 && globalStep % checkpointEvery == 0 && b < batches)
                    checkpointSink.accept(new TrainingProgress(epoch - 1, b, globalStep, lossSum, correct, seen, seconds, history));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testLoss = Double.NaN, testAcc = Double.NaN;
        if (test != null) {
            for (TrainingListener l : listeners) l.onEvaluationStart(epoch);
            EvalResult e = evaluate(model, test); // the memory guard checked the test batch in fit
            testLoss = e.loss();
            testAcc = e.accuracy();
        }
        return new EpochResult(epoch, lossSum / Math.max(seen, 1), (double) correct / Math.max(seen, 1), testLoss, testAcc,
                seen / seconds, seconds);
    }

    /** The Keras-named metric a ReduceLROnPlateau monitors; val_* falls back to the training value without a test set. */
    private static double monitored(EpochResult r, String metric) {
        return switch (metric) {
            case "val_loss" -> Double.isNaN(r.testLoss()) ? r.trainLoss() : r.testLoss();
            case "val_accuracy" -> Double.isNaN(r.testAccuracy()) ? r.trainAccuracy() : r.testAccuracy();
            case "accuracy" -> r.trainAccuracy();
            default -> r.trainLoss();
        };
    }

    /** Loss and accuracy in evaluation mode without recording gradients; restores the previous mode. */
    public EvalResult evaluate(DataLoader data) {
        if (memoryGuard) MemoryGuard.check(model, data.dataset().sampleShape(), data.batchSize(), false, null);
        return evaluate(model, data);
    }

    /** Evaluates any classifier (logits [N, C]) on a loader. */
    public static EvalResult evaluate(Module model, DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        int total = data.dataset().size();
        int[] predictions = new int[total], labels = new int[total];
        double lossSum = 0;
        int seen = 0, correct = 0;
        try (var ignored = Autograd.noGrad()) {
            try (DataLoader.Epoch batches = data.iterator()) {
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    int[] pred;
                    try (var step = BufferPool.scope()) {
                        Tensor logits = model.call(batch.inputs());
                        lossSum += (double) ce.apply(logits, batch.labels()).item() * batch.size();
                        pred = logits.argmax(1);
                    }
                    int[] y = batch.labels();
                    for (int i = 0; i < pred.length; i++) {
                        if (seen + i < total) {
                            predictions[seen + i] = pred[i];
                            labels[seen + i] = y[i];
                        }
                        if (pred[i] == y[i]) correct++;
                    }
                    seen += batch.size();
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new EvalResult(lossSum / Math.max(seen, 1), (double) correct / Math.max(seen, 1), seen,
                java.util.Arrays.copyOf(predictions, Math.min(seen, total)), java.util.Arrays.copyOf(labels, Math.min(seen, total)));
    }

    private static int countCorrect(Tensor logits, int[] labels) {
        int[] pred = logits.argmax(1);
        int c = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) c++;
        return c;
    }
}
