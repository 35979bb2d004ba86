package org.cnn4j.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed inputs of a target: {@code src/test/resources/fuzz/<target>/}, valid seeds
 * ({@code seed-*}, from tools/fuzz/make_seeds.py) and inputs that once broke a parser ({@code crash-*},
 * kept as regression tests).
 */
final class Corpus {
    private Corpus() {}

    /** File name to content, sorted by name. */
    static Map<String, byte[]> of(ParserTarget target) {
        URL url = Corpus.class.getResource("/fuzz/" + target.dir);
        if (url == null) throw new IllegalStateException("no corpus /fuzz/" + target.dir + " on the test class path");
        Map<String, byte[]> out = new TreeMap<>();
        try (var files = Files.list(Path.of(url.toURI()))) {
            for (Path p : (Iterable<Path>) files::iterator) if (Files.isRegularFile(p)) out.put(p.getFileName().toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (out.keySet().stream().noneMatch(n -> n.startsWith("seed"))) throw new IllegalStateException("no seed in /fuzz/" + target.dir);
        return out;
    }

    static List<byte[]> seeds(ParserTarget target) {
        List<byte[]> out = new ArrayList<>();
        of(target).forEach((name, data) -> {
            if (name.startsWith("seed")) out.add(data);
        });
        return out;
    }
}
