package org.cnn4j.cli;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.IdxDatasetLoader;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Fashion-MNIST as the commands load it, with the loader's notes (downloads) on stderr. */
final class FashionData {
    final Path dir;
    private final IdxDatasetLoader loader;

    private FashionData(IdxDatasetLoader loader, Path dir) {
        this.loader = loader;
        this.dir = dir;
    }

    static FashionData open(Path dataDir, PrintWriter err) throws IOException {
        IdxDatasetLoader loader = IdxDatasetLoader.builder(FashionMnist.SPEC).dataDir(dataDir)
                .log(note -> {
                    err.println("cnn4j: " + note);
                    err.flush();
                }).build();
        Path dir = loader.locate();
        if (dataDir != null && !dir.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
            err.println("cnn4j: note: " + dataDir + " does not hold the four Fashion-MNIST files; using " + dir);
            err.flush();
        }
        return new FashionData(loader, dir);
    }

    Dataset train() throws IOException {
        return loader.train();
    }

    Dataset test() throws IOException {
        return loader.test();
    }

    /** The first {@code limit} samples, or all when {@code limit} is null; a limit above the size is a usage error. */
    static Dataset first(CommandSpec spec, Dataset ds, Integer limit, String option, String what) {
        if (limit == null || limit == ds.size()) return ds;
        if (limit > ds.size())
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + limit
                    + " exceeds the " + Format.count(ds.size()) + " " + what + " images");
        return ds.subset(0, limit);
    }
}
