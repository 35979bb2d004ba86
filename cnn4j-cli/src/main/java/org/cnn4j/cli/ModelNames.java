package org.cnn4j.cli;

import org.cnn4j.models.Zoo;

import java.util.Iterator;

/** The zoo's model names, for picocli's completion candidates and the help text ({@code ${COMPLETION-CANDIDATES}}). */
final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Zoo.names().iterator();
    }
}
