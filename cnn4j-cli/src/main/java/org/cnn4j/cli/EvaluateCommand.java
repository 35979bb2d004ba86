package org.cnn4j.cli;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.train.EvalResult;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnn4j evaluate}: test accuracy and loss of a saved model on the Fashion-MNIST test images. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Report the test accuracy and loss of a saved model (model.safetensors) on the test set it was trained for (recorded in the file; --dataset to choose another).")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "The saved weights, e.g. runs/<name>/model.safetensors (PyTorch state_dict names).")
    Path modelFile;

    @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
            description = "Architecture of the weights: ${COMPLETION-CANDIDATES} (default: the name recorded in the file by cnn4j train).")
    String model;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Dataset to evaluate on, as for train (default: the one recorded in the file by cnn4j train, else fashion-mnist).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the dataset's files (default: as for train).")
    Path dataDir;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
            description = "Images per evaluation batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N",
            description = "Evaluate on the first N test images only (default: all 10,000).")
    Integer limit;

    @Option(names = "--no-progress", negatable = false,
            description = "Show no progress while evaluating (default: a progress bar on a terminal, a line every 10%% otherwise).")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--batch-size", batchSize);
        if (limit != null) Options.positive(spec, "--limit", limit);
        if (model != null) Options.checkModel(spec, model);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        if (!Files.isRegularFile(modelFile)) {
            if (Files.isDirectory(modelFile))
                throw new FileProblem(modelFile + " is a directory; pass the model file, e.g. " + modelFile.resolve("model.safetensors"));
            throw new NoSuchFileException(modelFile.toString(), null, "model file not found");
        }
        SafeTensors.Loaded loaded = SafeTensors.read(modelFile);
        String recorded = loaded.metadata().get("model");
        String name = model;
        if (name == null) {
            if (recorded == null)
                throw new FileProblem(modelFile + " does not record its model; pass --model (" + String.join(", ", Zoo.names()) + ")");
            if (!Zoo.contains(recorded))
                throw new FileProblem(modelFile + " records the model '" + recorded + "', which this cnn4j does not know; pass --model");
            name = recorded;
        } else if (recorded != null && !recorded.equals(name)) {
            err.println("cnn4j: note: " + modelFile + " records the model '" + recorded + "', evaluating it as " + name);
        }

        String datasetName = dataset != null ? dataset : loaded.metadata().getOrDefault("dataset", DataChoice.DEFAULT);
        DataChoice.check(spec, datasetName);
        DataChoice data = DataChoice.open(datasetName, dataDir, recordedInputShape(loaded), false, err);
        if (data.test == null)
            throw new FileProblem(data.title + " has no test split to evaluate on");
        Dataset test = FashionData.first(spec, data.test, limit, "--limit", "test");
        int numClasses = test.numClasses();
        String recordedClasses = loaded.metadata().get("num_classes");
        if (recordedClasses != null) {
            try {
                numClasses = Integer.parseInt(recordedClasses.trim());
            } catch (NumberFormatException e) {
                throw new FileProblem(modelFile + ": metadata num_classes '" + recordedClasses + "' is not a number");
            }
            if (numClasses != test.numClasses())
                throw new FileProblem(modelFile + " has " + numClasses + " classes; " + data.title + " has " + test.numClasses());
        }
        int[] shape = test.sampleShape();
        Module net = Zoo.create(name, new ModelSpec(shape[0], shape[1], shape[2], numClasses));
        try {
            net.loadStateDict(loaded.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new FileProblem(modelFile + " does not hold " + name + " weights: " + e.getMessage(), e);
        }

        org.cnn4j.train.MemoryGuard.check(net, test.sampleShape(), batchSize, false, null); // before, not during, evaluation
        DataLoader loader = DataLoader.builder(test).batchSize(batchSize).shuffle(false).build();
        long start = System.nanoTime();
        EvalResult r;
        try (ProgressMeter meter = new ProgressMeter(out, TrainingConsole.detect(!noProgress), "Evaluating", test.size(), "images")) {
            Module.ForwardHook progress = (m, in, o) -> meter.stepBy(o.size(0)); // the root's hook sees every batch
            net.addForwardHook(progress);
            try {
                r = Trainer.evaluate(net, loader);
            } finally {
                net.removeForwardHook(progress);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%s from %s%n", name, modelFile);
        out.printf(Locale.ROOT, "test accuracy %.4f  loss %s  (%s of %s images correct, %.1f s)%n", r.accuracy(), Format.loss(r.loss()),
                Format.count(Math.round(r.accuracy() * r.count())), Format.count(r.count()), seconds);
        out.flush();
        return Main.EXIT_OK;
    }

    /** The input shape cnn4j train recorded (metadata input_shape, e.g. [1,28,28]), so folder images are converted alike; null if absent. */
    private int[] recordedInputShape(SafeTensors.Loaded loaded) {
        String recorded = loaded.metadata().get("input_shape");
        if (recorded == null) return null;
        try {
            return ((java.util.List<?>) org.cnn4j.io.Json.parse(recorded)).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        } catch (RuntimeException e) {
            throw new FileProblem(modelFile + ": metadata input_shape '" + recorded + "' is not a list of numbers");
        }
    }
}
