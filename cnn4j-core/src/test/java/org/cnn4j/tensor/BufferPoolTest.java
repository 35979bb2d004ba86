package org.cnn4j.tensor;

import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class BufferPoolTest {
    @Test
    void arraysAreRecycledOnlyAfterTheirScopeCloses() {
        float[] first;
        try (var s = BufferPool.scope()) {
            first = BufferPool.floats(1234);
            assertNotSame(first, BufferPool.floats(1234), "two live arrays are distinct");
        }
        try (var s = BufferPool.scope()) {
            float[] again = BufferPool.floats(1234);
            assertSame(first, again, "the previous scope's array comes back");
            float[] z = BufferPool.zeros(1234);
            for (float v : z) if (v != 0f) throw new AssertionError("zeros() must clear a recycled array");
        }
        assertNotSame(BufferPool.floats(1234), BufferPool.floats(1234), "outside a scope it is plain allocation");
    }

    /** Training steps inside scopes (recycled buffers) end bit-identical to steps with fresh arrays. */
    @Test
    void recyclingDoesNotChangeTraining() {
        BufferPool.poison = true; // recycled arrays start as NaN: any op that assumed zeros would show
        List<Parameter> pooled;
        try {
            pooled = train(true);
        } finally {
            BufferPool.poison = false;
        }
        List<Parameter> fresh = train(false);
        for (int i = 0; i < pooled.size(); i++) assertArrayEquals(fresh.get(i).data(), pooled.get(i).data(), "parameter " + i);
    }

    private static List<Parameter> train(boolean scoped) {
        Rng.manualSeed(11);
        Module model = new FashionCNN();
        Adam opt = new Adam(model.parameters(), 1e-3f);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        SplittableRandom rng = new SplittableRandom(5);
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.uniform(rng, 0, 1, 8, 1, 28, 28);
            int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
            BufferPool.Scope scope = scoped ? BufferPool.scope() : null;
            Tensor l = ce.apply(model.call(x), y);
            opt.zeroGrad();
            l.backward();
            opt.step();
            if (scope != null) scope.close();
        }
        return model.parameters();
    }
}
