package org.cnn4j.cli;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
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
import java.nio.file.Path;
import java.util.Arrays;
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

        SavedModel saved = SavedModel.load(modelFile, model, err);
        String name = saved.name();
        Module net = saved.net();
        String datasetName = dataset != null ? dataset : saved.dataset() != null ? saved.dataset() : DataChoice.DEFAULT;
        DataChoice.check(spec, datasetName);
        DataChoice data = DataChoice.open(datasetName, dataDir, saved.inputShape(), false, err);
        if (data.test == null)
            throw new FileProblem(data.title + " has no test split to evaluate on");
        Dataset test = FashionData.first(spec, data.test, limit, "--limit", "test");
        if (saved.numClasses() != test.numClasses())
            throw new FileProblem(modelFile + " has " + saved.numClasses() + " classes; " + data.title + " has " + test.numClasses());
        if (!Arrays.equals(saved.inputShape(), test.sampleShape()))
            throw new FileProblem(modelFile + " takes inputs " + Arrays.toString(saved.inputShape()) + "; " + data.title + " has "
                    + Arrays.toString(test.sampleShape()));

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
}
