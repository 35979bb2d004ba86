package org.cnn4j.data;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@link ImageResize#bilinear} against torch's F.interpolate(bilinear, align_corners=False); tools/fixtures/make_resize_fixture.py. */
class ImageResizeParityTest {
    @Test
    void matchesTorchInterpolate() throws Exception {
        var loaded = SafeTensors.read(Path.of(getClass().getResource("/fixtures/resize_bilinear_torch.safetensors").toURI()));
        Tensor input = loaded.tensors().get("input");
        assertArrayEquals(new int[]{3, 7, 9}, input.shape());
        String[] sizes = loaded.metadata().get("sizes").split(";");
        assertEquals(7, sizes.length);
        double worst = 0;
        for (String s : sizes) {
            int h = Integer.parseInt(s.split("x")[0]), w = Integer.parseInt(s.split("x")[1]);
            float[] expected = loaded.tensors().get("out_" + s).data();
            float[] got = ImageResize.bilinear(input.data(), 3, 7, 9, h, w);
            assertEquals(expected.length, got.length, s);
            double diff = 0, ref = 0;
            for (int i = 0; i < got.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - expected[i]));
                ref = Math.max(ref, Math.abs(expected[i]));
            }
            double rel = diff / ref;
            worst = Math.max(worst, rel);
            assertTrue(rel <= 1e-4, s + ": max relative error " + rel);
        }
        System.out.printf("resize bilinear vs torch: max relative error %.2e over %d sizes%n", worst, sizes.length);
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> ImageResize.bilinear(new float[4], 1, 2, 2, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> ImageResize.bilinear(new float[5], 1, 2, 2, 1, 1));
        float[] same = {1, 2, 3, 4};
        assertArrayEquals(same, ImageResize.bilinear(same, 1, 2, 2, 2, 2));
    }
}
