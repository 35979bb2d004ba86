package org.cnn4j.optim;

import org.cnn4j.autograd.ops.LinearOp;
import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Regularizer;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keras-style L1/L2 regularizers: the loss term's value, its effect on training, the Trainer's report. */
class RegularizationTest {
    private static double sumSq(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return s;
    }

    private static double sumAbs(float[] a) {
        double s = 0;
        for (float v : a) s += Math.abs(v);
        return s;
    }

    @Test
    void regularizationLossIsTheKerasPenalty() {
        Rng.manualSeed(1);
        Linear a = new Linear(5, 3), b = new Linear(3, 2);
        Sequential model = new Sequential(a, b);
        assertFalse(model.hasRegularizers());
        Tensor none = model.regularizationLoss();
        assertEquals(0f, none.item());
        assertNull(none.gradFn());
        a.weight().regularizer(Regularizer.l2(0.01));
        a.bias().regularizer(Regularizer.l1(0.02));
        b.weight().regularizer(Regularizer.l1L2(0.03, 0.04));
        double expected = 0.01 * sumSq(a.weight().data()) + 0.02 * sumAbs(a.bias().data())
                + 0.03 * sumAbs(b.weight().data()) + 0.04 * sumSq(b.weight().data());
        Tensor reg = model.regularizationLoss();
        assertEquals(expected, reg.item(), 1e-6 * expected);
        reg.backward();
        // d/dw of 0.01 * sum w^2 is 0.02 w; of 0.02 * sum|b| is 0.02 sign(b)
        assertEquals(0.02f * a.weight().data()[3], a.weight().grad().data()[3], 1e-7f);
        assertEquals(0.02f * Math.signum(a.bias().data()[1]), a.bias().grad().data()[1], 1e-7f);
        assertNull(b.bias().gradIfPresent(), "no regularizer, no gradient");
    }

    @Test
    void l2PenaltyEqualsSgdWeightDecayOfTwiceItsFactor() {
        SplittableRandom r = new SplittableRandom(3);
        float[] w0 = new float[12], b0 = new float[4], x = new float[18], t = new float[24];
        for (float[] arr : new float[][] {w0, b0, x, t}) for (int i = 0; i < arr.length; i++) arr[i] = (float) (r.nextDouble() - 0.5);
        Tensor xs = Tensor.of(x, 6, 3), ts = Tensor.of(t, 6, 4);
        Parameter wa = new Parameter(w0.clone(), 4, 3), ba = new Parameter(b0.clone(), 4);
        Parameter wb = new Parameter(w0.clone(), 4, 3), bb = new Parameter(b0.clone(), 4);
        wa.regularizer(Regularizer.l2(0.05));
        SGD regularized = new SGD(List.of(wa, ba), 0.1f);
        SGD decayed = new SGD(List.of(wb), 0.1f, 0f, 0f, 0.1f, false);
        decayed.addParamGroup(ParamGroup.of(List.of(bb)).withWeightDecay(0));
        for (int s = 0; s < 5; s++) {
            Tensor la = LinearOp.apply(xs, wa, ba).sub(ts).square().mean();
            la = la.add(org.cnn4j.autograd.ops.RegularizationOp.l1l2(new Tensor[] {wa}, new float[] {0f}, new float[] {0.05f}));
            regularized.zeroGrad();
            la.backward();
            regularized.step();
            Tensor lb = LinearOp.apply(xs, wb, bb).sub(ts).square().mean();
            decayed.zeroGrad();
            lb.backward();
            decayed.step();
        }
        assertArrayEquals(wb.data(), wa.data(), 1e-6f);
        assertArrayEquals(bb.data(), ba.data(), 1e-6f);
        assertTrue(Math.abs(wa.data()[0] - w0[0]) > 1e-3, "weights moved");
    }

    @Test
    void trainerOptimisesAndReportsLossPlusPenalty() {
        Rng.manualSeed(2);
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[8 * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        ArrayDataset ds = ArrayDataset.of(x, new int[] {4}, y, 3);
        Linear fc = new Linear(4, 3);
        Sequential model = new Sequential(fc);
        assertEquals(2, Regularizer.applyTo(model, Regularizer.l2(0.5), Regularizer.l1(0.25)));
        double expected = new CrossEntropyLoss().apply(model.call(Tensor.of(x, 8, 4)), y).item()
                + 0.5 * sumSq(fc.weight().data()) + 0.25 * sumAbs(fc.bias().data());
        double kernel0 = sumSq(fc.weight().data());
        List<Double> losses = new ArrayList<>();
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.2f)).addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, double loss, double runningLoss, double runningAccuracy,
                                   double imagesPerSecond) {
                losses.add(loss);
            }
        });
        trainer.fit(DataLoader.builder(ds).batchSize(8).build(), null, 20);
        assertEquals(expected, losses.get(0), 1e-5 * expected, "first reported loss = cross-entropy + penalty");
        // a strong L2 penalty shrinks the kernel towards zero
        assertTrue(sumSq(fc.weight().data()) < 0.5 * kernel0, "kernel shrank: " + kernel0 + " -> " + sumSq(fc.weight().data()));
        assertTrue(losses.getLast() < losses.get(0));
    }

    @Test
    void applyToSkipsBatchNormScalesAndByNameParses() {
        Sequential model = new Sequential(new Linear(4, 3), new BatchNorm1d(3));
        assertEquals(2, Regularizer.applyTo(model, Regularizer.l2(0.1), Regularizer.l2(0.1)));
        assertNull(model.namedParameters().get("1.weight").regularizer());
        assertEquals(Regularizer.l2(1e-4), Regularizer.byName("l2(1e-4)"));
        assertEquals(Regularizer.l1(0.01), Regularizer.byName("l1"));
        assertEquals(Regularizer.l1L2(0.1, 0.2), Regularizer.byName("l1_l2(l2=0.2, l1=0.1)"));
        assertEquals(Regularizer.l1L2(0.1, 0.01), Regularizer.byName("L1L2(0.1)"));
        var e = assertThrows(IllegalArgumentException.class, () -> Regularizer.byName("l3(0.1)"));
        assertTrue(e.getMessage().contains("l1_l2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Regularizer.l2(-1));
        assertTrue(e.getMessage().contains("l2=-1.0"), e.getMessage());
    }
}
