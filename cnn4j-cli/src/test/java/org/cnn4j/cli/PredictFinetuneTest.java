package org.cnn4j.cli;

import org.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PredictFinetuneTest {
    @TempDir
    Path tmp;

    @Test
    void trainThenFinetuneThenPredict() throws Exception {
        MainTest.assumeFashionMnist();
        Path pre = tmp.resolve("pre"), ft = tmp.resolve("ft");
        MainTest.Run r = MainTest.run("train", "--model", "fashion-dnn", "--limit", "300", "--test-limit", "100", "--epochs", "1",
                "--no-pictures", "--quiet", "--out", pre.toString(), "--data-dir", MainTest.FASHION.toString());
        assertEquals(0, r.code(), r.err());
        r = MainTest.run("finetune", "--from", pre.resolve("model.safetensors").toString(), "--model", "fashion-dnn",
                "--replace-head", "10", "--limit", "200", "--test-limit", "100", "--epochs", "1", "--no-pictures",
                "--checkpoint-every", "0", "--out", ft.toString(), "--data-dir", MainTest.FASHION.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("head 'fc3' replaced by Linear 128->10; 1,290 of 235,146 parameters trainable"), r.err());
        Checkpoint.Loaded c = Checkpoint.load(Checkpoint.latest(ft.resolve("checkpoints")).orElseThrow());
        assertEquals(1, c.progress().epochsDone());
        assertTrue(c.frozenModules().contains("fc1"), c.frozenModules().toString());
        assertEquals(235_146, c.buildModel().parameterCount(), "rebuilt from architecture.json with the replaced head");

        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, (x * 6) << 8);
        Path png = tmp.resolve("img.png");
        ImageIO.write(img, "png", png.toFile());
        r = MainTest.run("predict", "--model-file", ft.resolve("model.safetensors").toString(), "--top", "3", png.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        double sum = 0, prev = 101;
        for (int i = 1; i < 4; i++) {
            double p = Double.parseDouble(lines[i].trim().split("%")[0]);
            assertTrue(p <= prev, r.out());
            prev = p;
            sum += p;
            assertTrue(org.cnn4j.data.FashionMnist.CLASS_NAMES.contains(lines[i].substring(lines[i].indexOf('%') + 1).trim()), r.out());
        }
        assertTrue(sum > 0 && sum <= 100.01, r.out());
        r = MainTest.run("predict", "--model-file", ft.toString(), png.toString()); // a run directory: its newest checkpoint
        assertEquals(0, r.code(), r.err());
        r = MainTest.run("predict", "--model-file", ft.resolve("model.safetensors").toString(), tmp.resolve("missing.png").toString());
        assertEquals(Main.EXIT_FILE, r.code());
        assertTrue(Files.exists(ft.resolve("history.csv")));
    }
}
