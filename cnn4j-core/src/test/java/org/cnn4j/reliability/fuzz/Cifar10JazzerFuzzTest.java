package org.cnn4j.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Coverage-guided fuzzing of {@link ParserTarget#CIFAR10} with Jazzer; see {@link JazzerFuzzing}. */
class Cifar10JazzerFuzzTest {
    private static final FuzzHarness HARNESS = new FuzzHarness(ParserTarget.CIFAR10).warmUp(Corpus.seeds(ParserTarget.CIFAR10));

    static Stream<Arguments> corpus() {
        return JazzerFuzzing.corpus(ParserTarget.CIFAR10);
    }

    @MethodSource("corpus")
    @FuzzTest(maxDuration = JazzerFuzzing.MAX_DURATION)
    void fuzz(byte[] data) {
        HARNESS.check(data);
    }

    @AfterAll
    static void close() {
        HARNESS.close();
    }
}
