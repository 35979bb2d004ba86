package org.cnn4j.train;

/**
 * What one epoch produced. Test figures are NaN when no test loader was given.
 *
 * @param epoch               1-based
 * @param trainLoss           mean training loss over the epoch's batches (weighted by batch size)
 * @param trainAccuracy       fraction of training samples classified correctly during the epoch
 * @param testLoss            mean loss on the test set after the epoch (evaluation mode)
 * @param testAccuracy        accuracy on the test set after the epoch
 * @param trainImagesPerSecond training throughput (forward, backward and update; evaluation excluded)
 * @param trainSeconds        wall time of the training part of the epoch
 */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double trainImagesPerSecond, double trainSeconds) {}
