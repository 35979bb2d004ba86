package org.cnn4j.reliability.fuzz;

import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * How the {@code *JazzerFuzzTest} classes run. Each is a Jazzer {@code @FuzzTest} of one
 * {@link ParserTarget} with the property of {@link FuzzHarness}, fed the committed corpus
 * ({@code src/test/resources/fuzz/<target>/}) as seeds:
 * <ul>
 *   <li>in the ordinary test run (regression mode) Jazzer runs only the corpus;</li>
 *   <li>{@code ./mvnw verify} also runs the surefire execution {@code jazzer-fuzz} with {@code JAZZER_FUZZ=1}: one
 *       JVM per class (Jazzer fuzzes one test per JVM), each fuzzing for {@link #MAX_DURATION} with coverage
 *       guidance. Skip it with {@code -Dcnn4j.skipJazzer}. A finding fails the build; Jazzer writes the input as
 *       {@code crash-<sha1>} in cnn4j-core/ (move it to {@code src/test/resources/fuzz/<target>/} with the fix).</li>
 * </ul>
 * For a longer run of one target: {@code JAZZER_FUZZ=1 ./mvnw -pl cnn4j-core test -Dtest=JsonJazzerFuzzTest
 * -Djazzer.max_duration=10m}.
 */
final class JazzerFuzzing {
    /** Per target in CI: a few seconds each. */
    static final String MAX_DURATION = "4s";

    private JazzerFuzzing() {}

    static Stream<Arguments> corpus(ParserTarget target) {
        return Corpus.of(target).values().stream().map(b -> Arguments.of((Object) b));
    }
}
