package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

import java.util.function.IntToDoubleFunction;

/** PyTorch's {@code LambdaLR}: {@code lr = base * lambda(epoch)} for every group. */
public class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction lambda;
    private final Interval interval;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        this(optimizer, lambda, Interval.EPOCH);
    }

    /** {@code interval} tells the Trainer whether to step per epoch or per batch. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda, Interval interval) {
        super(optimizer);
        if (lambda == null) throw new IllegalArgumentException("LambdaLR: lambda is null");
        this.lambda = lambda;
        this.interval = interval;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = baseLrs();
        double f = lambda.applyAsDouble(lastEpoch);
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }

    @Override
    public Interval interval() {
        return interval;
    }
}
