package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model file as {@code cnn4j train} writes it (safetensors with PyTorch names and metadata: model name,
 * class count and names) loaded into its zoo architecture, as {@code evaluate} loads it.
 */
record SavedModel(String name, Module net, int numClasses, List<String> classNames) {
    /**
     * @param model the architecture, or null for the one recorded in the file
     */
    static SavedModel load(Path modelFile, String model, PrintWriter err) throws IOException {
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
            if (!Zoo.names().contains(recorded))
                throw new FileProblem(modelFile + " records the model '" + recorded + "', which this cnn4j does not know; pass --model");
            name = recorded;
        } else if (recorded != null && !recorded.equals(name)) {
            err.println("cnn4j: note: " + modelFile + " records the model '" + recorded + "', loading it as " + name);
        }
        int numClasses = Zoo.entry(name).defaultClasses();
        String recordedClasses = loaded.metadata().get("num_classes");
        if (recordedClasses != null) {
            try {
                numClasses = Integer.parseInt(recordedClasses.trim());
            } catch (NumberFormatException e) {
                throw new FileProblem(modelFile + ": metadata num_classes '" + recordedClasses + "' is not a number");
            }
        }
        List<String> names = new ArrayList<>();
        String namesJson = loaded.metadata().get("class_names");
        if (namesJson != null) {
            try {
                if (Json.parse(namesJson) instanceof List<?> l) for (Object o : l) names.add(String.valueOf(o));
            } catch (Json.ParseException e) {
                names.clear();
            }
        }
        if (names.size() != numClasses) {
            names.clear();
            for (int i = 0; i < numClasses; i++) names.add("class " + i);
        }
        Module net = Zoo.create(name, numClasses);
        try {
            net.loadStateDict(loaded.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new FileProblem(modelFile + " does not hold " + name + " weights: " + e.getMessage(), e);
        }
        net.eval();
        return new SavedModel(name, net, numClasses, List.copyOf(names));
    }
}
