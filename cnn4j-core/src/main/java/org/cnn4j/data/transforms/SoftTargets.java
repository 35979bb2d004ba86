package org.cnn4j.data.transforms;

/** One-hot rows for the mixing batch transforms. */
final class SoftTargets {
    private SoftTargets() {}

    static float[] oneHot(int[] labels, int numClasses, String who) {
        float[] t = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException(who + ": label " + labels[i] + " of sample " + i + " is outside [0, " + numClasses + ")");
            t[i * numClasses + labels[i]] = 1f;
        }
        return t;
    }
}
