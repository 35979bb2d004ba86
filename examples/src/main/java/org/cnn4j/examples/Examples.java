package org.cnn4j.examples;

import org.cnn4j.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalogue of examples ({@code examples/run.sh list}) and what every example's {@code main} does:
 * parse the options, run, print the report as Markdown and save it as {@code report.md} in {@code --out}.
 */
public final class Examples {
    private Examples() {}

    /** An example's body: options in, report out; progress lines go to {@code log}. */
    @FunctionalInterface
    public interface Body {
        Report run(ExampleOptions o, PrintStream log) throws IOException;
    }

    /** Example class simple names, with what each reproduces. */
    public static Map<String, String> catalogue() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Ex01DnnVsCnn", "1. FashionDNN vs FashionCNN on Fashion-MNIST (seed 000)");
        m.put("Ex02EdgeDetection", "2. seed 002's convolve() with the edge kernel and seed 004's kernel table on camera.png");
        m.put("Ex03LineFilters", "3. seed 001's 7x7 vertical/horizontal line filters, SAME padding, on china.jpg and flower.jpg");
        m.put("Ex04CifarCnn", "4. seed 002's CIFAR CNN: the torchsummary table, then training (CIFAR-10 or a labelled stand-in)");
        m.put("Ex05KerasCnn", "5. seed 003's Keras CNN (1,101,526 params) with the functional API, trained");
        m.put("Ex06WeightInit", "6. default / glorot_normal / he_normal initialisers, with and without BatchNorm (seed 003)");
        m.put("Ex07BatchSize", "7. test accuracy vs batch size with and without BatchNorm (seed 003)");
        m.put("Ex08Shuffle", "8. per-epoch shuffling on / off (seed 003)");
        m.put("Ex09GlobalAveragePooling", "9. global average pooling vs flatten + dense: parameters and accuracy (seed 003)");
        m.put("Ex10L2Regularization", "10. l2 on the dense layers: the train/test gap (seed 003)");
        m.put("Ex11Augmentation", "11. ImageDataGenerator(horizontal_flip, rescale).flow(shuffle=True) vs no augmentation (seed 003)");
        m.put("Ex12TransferLearning", "12. ResNet-18 transfer learning: fc replaced by 512->2, the rest frozen (1,026 trainable), then layer4 fine-tuned (seed 002)");
        m.put("Ex13Explain", "13. the worked arithmetic of seeds 000/002/004 (what `cnn4j explain` prints)");
        m.put("Ex14MnistEncoder", "14. seed 004's five-block encoder trained on Fashion-MNIST");
        return m;
    }

    public static void main(String[] args) {
        System.out.println("cnn4j examples (run one with examples/run.sh NAME [--help]):");
        catalogue().forEach((k, v) -> System.out.printf("  %-26s %s%n", k, v));
    }

    /** Runs an example from its {@code main}: exit status 2 on a usage error, 1 on a failure. */
    public static void launch(String name, Map<String, String> defaults, Body body, String[] args) {
        ExampleOptions o;
        try {
            o = ExampleOptions.parse(name, defaults, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.helpRequested()) {
            System.out.print(o.usage());
            return;
        }
        try {
            Report r = body.run(o, System.out);
            String md = r.markdown();
            System.out.println();
            System.out.print(md);
            if (o.out() != null) {
                Files.createDirectories(o.out());
                Path f = o.out().resolve("report.md");
                AtomicFiles.writeString(f, md);
                System.out.println("Wrote " + f);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println(name + ": " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }
}
