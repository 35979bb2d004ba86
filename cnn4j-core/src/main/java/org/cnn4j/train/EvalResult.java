package org.cnn4j.train;

/**
 * Loss and accuracy of a model over a dataset, with its predictions in dataset order.
 *
 * @param loss        mean loss per sample
 * @param accuracy    fraction correct
 * @param count       samples seen
 * @param predictions arg-max class per sample
 * @param labels      true class per sample
 */
public record EvalResult(double loss, double accuracy, int count, int[] predictions, int[] labels) {}
