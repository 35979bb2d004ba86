package org.cnn4j.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Coverage-guided fuzzing of {@link ParserTarget#JSON} with Jazzer; see {@link JazzerFuzzing}. */
class JsonJazzerFuzzTest {
    private static final FuzzHarness HARNESS = new FuzzHarness(ParserTarget.JSON).warmUp(Corpus.seeds(ParserTarget.JSON));

    static Stream<Arguments> corpus() {
        return JazzerFuzzing.corpus(ParserTarget.JSON);
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
