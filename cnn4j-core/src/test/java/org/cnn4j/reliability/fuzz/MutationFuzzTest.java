package org.cnn4j.reliability.fuzz;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded fuzz run of every {@code ./mvnw verify}: for each parser, first every committed input
 * (seeds must parse; crash-* inputs that once broke it must now pass the property), then seeded
 * mutations ({@link Mutator}) for {@link #BUDGET_MS} ms or {@link #MAX_RUNS} inputs, whichever comes
 * first, each checked by {@link FuzzHarness}: documented exceptions only, no hang, allocation bounded by
 * the input's size. Deterministic: the same mutations every run, so a failure reproduces; a new failing
 * input belongs in {@code src/test/resources/fuzz/<target>/crash-<name>} with the fix.
 * Coverage-guided fuzzing of the same targets runs with Jazzer ({@code *JazzerFuzzTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutationFuzzTest {
    static final long BUDGET_MS = Long.getLong("cnn4j.fuzz.ms", 2500);
    static final int MAX_RUNS = Integer.getInteger("cnn4j.fuzz.runs", 20_000);

    @ParameterizedTest
    @EnumSource(ParserTarget.class)
    void committedInputsAndMutations(ParserTarget target) {
        Map<String, byte[]> corpus = Corpus.of(target);
        Map<String, Integer> outcomes = new TreeMap<>();
        try (FuzzHarness h = new FuzzHarness(target).warmUp(Corpus.seeds(target))) {
            corpus.forEach((name, data) -> {
                Throwable t = h.check(data);
                if (name.startsWith("seed")) assertTrue(t == null, target + ": seed " + name + " must parse, but: " + t);
            });
            Mutator m = new Mutator(target.ordinal() * 7919L + 1, Corpus.seeds(target));
            long start = System.nanoTime();
            int runs = 0;
            while (runs < MAX_RUNS && (System.nanoTime() - start) / 1_000_000 < BUDGET_MS) {
                Throwable t = h.check(m.next());
                outcomes.merge(t == null ? "parsed" : t.getClass().getSimpleName(), 1, Integer::sum);
                runs++;
            }
            System.out.printf("fuzz %-11s %6d mutations in %5d ms: %s%n", target.dir, runs, (System.nanoTime() - start) / 1_000_000, outcomes);
            assertTrue(runs >= 200, "too few runs to mean anything: " + runs);
        }
    }
}
