package org.cnn4j.cli;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TrainingListener;

/**
 * Watches the trainer's evaluation after each epoch through a forward hook on the model (the root only, so
 * the fused batch norm + ReLU paths inside stay on): feeds the console's evaluation progress, and keeps the
 * predictions of the last epoch's evaluation, in test-set order, for the confusion matrix and the sample
 * grid, so the pictures show exactly the evaluation the run reports and cost no second pass.
 */
final class EvaluationRecorder implements TrainingListener, Module.ForwardHook {
    private final int testSize, epochs;
    private final TrainingConsole console;
    private boolean active, last;
    private int done;
    private int[] predictions;

    EvaluationRecorder(int testSize, int epochs, TrainingConsole console) {
        this.testSize = testSize;
        this.epochs = epochs;
        this.console = console;
    }

    @Override
    public void onEvaluationStart(int epoch) {
        active = true;
        last = epoch == epochs;
        done = 0;
        if (last) predictions = new int[testSize];
    }

    @Override
    public void afterForward(Module module, Tensor input, Tensor output) {
        if (!active || module.isTraining() || output.rank() != 2) return;
        int n = output.size(0);
        if (last) {
            int[] p = output.argmax(1);
            System.arraycopy(p, 0, predictions, done, Math.min(n, testSize - done));
        }
        done = Math.min(testSize, done + n);
        if (console != null) console.evaluationProgress(done);
    }

    @Override
    public void onEpochEnd(org.cnn4j.train.EpochResult result) {
        active = false;
    }

    /** The last epoch's predictions, or null when its evaluation did not cover the whole test set. */
    int[] lastPredictions() {
        return predictions != null && done == testSize ? predictions.clone() : null;
    }
}
