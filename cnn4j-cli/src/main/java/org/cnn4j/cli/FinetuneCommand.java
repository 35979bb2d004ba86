package org.cnn4j.cli;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cnn4j finetune}: {@code train} starting from pretrained weights, with a new classifier head and a
 * frozen backbone. Everything else (data, optimizer, schedule, checkpoints, run directory, --resume) is
 * {@link TrainCommand}'s.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Transfer learning: load pretrained weights (a model.safetensors from train, a PyTorch state_dict saved as "
                + "safetensors, or a checkpoint), replace the classifier head, freeze the layers up to --freeze-until, and train "
                + "on --dataset like 'train'.")
final class FinetuneCommand extends TrainCommand {
    @Option(names = "--from", paramLabel = "WEIGHTS", required = true,
            description = "Pretrained weights: a safetensors state dict with the --model's names (PyTorch's), or a checkpoint directory.")
    Path from;

    @Option(names = "--replace-head", paramLabel = "N",
            description = "Replace the last Linear layer (the head) by a new one with N outputs (must equal the dataset's classes). "
                    + "Default: replace it when its size differs from the dataset's classes, else keep the pretrained head.")
    Integer replaceHead;

    @Option(names = "--freeze-until", paramLabel = "LAYER",
            description = "Freeze every layer up to and including LAYER (a dotted module path, e.g. layer3 or features.10) and train "
                    + "the rest; 'none' trains everything (default: freeze everything but the head).")
    String freezeUntil;

    private String headPath;
    private Linear newHead;

    @Override
    Module createModel(ModelSpec modelSpec, PrintWriter err) throws IOException {
        if (replaceHead != null) {
            Options.positive(spec, "--replace-head", replaceHead);
            if (replaceHead != modelSpec.numClasses())
                throw new ParameterException(spec.commandLine(), "--replace-head " + replaceHead + " but the dataset has "
                        + modelSpec.numClasses() + " classes");
        }
        Map<String, Tensor> weights;
        if (Files.isDirectory(from)) weights = Checkpoint.load(TrainingCheckpoints.locate(from)).weights();
        else if (Files.isRegularFile(from)) weights = SafeTensors.read(from).tensors();
        else throw new java.nio.file.NoSuchFileException(from.toString(), null, "pretrained weights not found");
        // The head: the last Linear of the architecture; its rows in the file are the source model's classes.
        Module probe = Zoo.create(model, modelSpec);
        headPath = null;
        for (var e : probe.namedModules().entrySet()) if (e.getValue() instanceof Linear) headPath = e.getKey();
        if (headPath == null) throw new IllegalArgumentException(model + " has no Linear layer to use as the head");
        Tensor headWeight = weights.get(headPath + ".weight");
        if (headWeight == null || headWeight.rank() != 2)
            throw new FileProblem(from + " has no 2-D '" + headPath + ".weight' (the head of " + model + "); is it a " + model + " state dict?");
        int sourceClasses = headWeight.shape()[0];
        Module net = sourceClasses == modelSpec.numClasses() ? probe : Zoo.create(model, modelSpec.withNumClasses(sourceClasses));
        try {
            net.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new FileProblem(from + " does not hold " + model + " weights for " + modelSpec.withNumClasses(sourceClasses) + ": " + e.getMessage(), e);
        }
        Linear head = (Linear) net.module(headPath);
        boolean replace = replaceHead != null || sourceClasses != modelSpec.numClasses();
        if (replace) {
            newHead = new Linear(head.inFeatures(), modelSpec.numClasses());
            net.replace(headPath, newHead);
        }
        if (freezeUntil == null) {
            net.freeze();
            net.module(headPath).unfreeze();
        } else if (!freezeUntil.equalsIgnoreCase("none")) {
            try {
                net.freezeUntil(freezeUntil);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--freeze-until: " + e.getMessage());
            }
        }
        if (resumed == null && !quiet && !json)
            err.printf(Locale.ROOT, "cnn4j: fine-tuning %s from %s: %s; %s of %s parameters trainable%n", model, from,
                    replace ? "head '" + headPath + "' replaced by Linear " + head.inFeatures() + "->" + modelSpec.numClasses()
                            : "pretrained head kept", Format.count(net.trainableParameterCount()), Format.count(net.parameterCount()));
        return net;
    }

    @Override
    Map<String, Module> replacedModules(Module net) {
        return newHead == null ? Map.of() : Map.of(headPath, newHead);
    }
}
