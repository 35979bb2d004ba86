package org.cnn4j.data.transforms;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Functional} against torchvision 0.14 on float tensors (tools/fixtures/transforms_family.py): each
 * case's output must match with a norm-relative error <= 1e-4 and every element within 1e-5 + 1e-4 |y|.
 */
class TorchvisionParityTest {
    private static Map<String, Tensor> fixture;
    private static final Map<String, Double> errors = new TreeMap<>();

    @BeforeAll
    static void load() throws Exception {
        URL url = TorchvisionParityTest.class.getResource("/fixtures/transforms_torch.safetensors");
        assertNotNull(url, "run tools/fixtures/transforms_family.py");
        fixture = SafeTensors.read(Path.of(url.toURI())).tensors();
    }

    @AfterAll
    static void report() {
        double worst = errors.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        String where = errors.entrySet().stream().filter(e -> e.getValue() == worst).map(Map.Entry::getKey).findFirst().orElse("-");
        System.out.printf("torchvision parity: %d cases, max norm-relative error %.3e (%s)%n", errors.size(), worst, where);
    }

    private static Image image(Tensor t) {
        int[] s = t.shape();
        return new Image(s[0], s[1], s[2], t.data().clone());
    }

    private static void check(String name, UnaryOperator<Image> f) {
        Tensor x = fixture.get(name + ".x"), y = fixture.get(name + ".y");
        if (x == null || y == null) fail("fixture has no case " + name);
        Image out = f.apply(image(x));
        int[] ys = y.shape();
        int[] expectedShape = ys.length == 3 ? ys : new int[] {1, ys[0], ys[1]};
        assertArrayEquals(expectedShape, out.shape(), name + " shape");
        float[] a = out.data(), e = y.data();
        double diff = 0, ref = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - e[i];
            diff += d * d;
            ref += (double) e[i] * e[i];
            if (!(Math.abs(d) <= 1e-5 + 1e-4 * Math.abs(e[i])))
                fail(name + ": element " + i + " is " + a[i] + ", torchvision " + e[i]);
        }
        double rel = ref == 0 ? Math.sqrt(diff) : Math.sqrt(diff / ref);
        errors.put(name, rel);
        assertTrue(rel <= 1e-4, name + ": norm-relative error " + rel);
    }

    @Test
    void resizeAllModes() {
        for (Interpolation mode : Interpolation.values()) {
            String m = mode.name().toLowerCase();
            for (int[] hw : new int[][] {{5, 4}, {13, 17}, {14, 18}, {7, 9}, {3, 20}})
                check("resize_" + m + "_" + hw[0] + "x" + hw[1], img -> Functional.resize(img, hw[0], hw[1], mode));
            check("resize_" + m + "_28to20", img -> Functional.resize(img, 20, 20, mode));
            check("resize_" + m + "_28to32", img -> Functional.resize(img, 32, 32, mode));
        }
        check("resized_crop", img -> Functional.resizedCrop(img, 2, 3, 6, 7, 9, 9, Interpolation.BILINEAR));
    }

    @Test
    void rotationAndAffine() {
        for (Interpolation mode : new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
            String m = mode.name().toLowerCase();
            check("rotate_" + m + "_33", img -> Functional.rotate(img, 33, mode, FillMode.CONSTANT, 0f));
            check("rotate_" + m + "_m71_fill", img -> Functional.rotate(img, -71, mode, FillMode.CONSTANT, 0.5f));
            check("affine_" + m, img -> Functional.affine(img, 20, 2, -1, 1.2, 10, -5, mode, FillMode.CONSTANT, 0f));
            check("affine_" + m + "_zoomout", img -> Functional.affine(img, -12.5, -1.5, 0.75, 0.8, 0, 7, mode, FillMode.CONSTANT, 0.25f));
        }
        int[][] start = {{0, 0}, {11, 0}, {11, 9}, {0, 9}};
        for (Interpolation mode : new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
            String m = mode.name().toLowerCase();
            check("perspective_" + m, img -> Functional.perspective(img, start, new int[][] {{2, 1}, {10, 0}, {9, 8}, {1, 7}}, mode,
                    FillMode.CONSTANT, 0f));
            check("perspective_" + m + "_fill", img -> Functional.perspective(img, start, new int[][] {{2, 1}, {8, 2}, {8, 6}, {0, 6}},
                    mode, FillMode.CONSTANT, 0.5f));
        }
        check("rotate_bilinear_odd_45", img -> Functional.rotate(img, 45, Interpolation.BILINEAR, FillMode.CONSTANT, 0f));
    }

    @Test
    void filters() {
        check("gaussian_blur_5x3", img -> Functional.gaussianBlur(img, 5, 3, 1.3, 0.7));
        check("gaussian_blur_3x3", img -> Functional.gaussianBlur(img, 3, 3, 0.5, 0.5));
        check("sharpness_2", img -> Functional.adjustSharpness(img, 2.0));
        check("sharpness_0_3", img -> Functional.adjustSharpness(img, 0.3));
    }

    @Test
    void colour() {
        check("brightness_1_3", img -> Functional.adjustBrightness(img, 1.3));
        check("contrast_0_6", img -> Functional.adjustContrast(img, 0.6));
        check("contrast_1_8_gray", img -> Functional.adjustContrast(img, 1.8));
        check("saturation_1_7", img -> Functional.adjustSaturation(img, 1.7));
        check("saturation_0_2", img -> Functional.adjustSaturation(img, 0.2));
        check("hue_0_2", img -> Functional.adjustHue(img, 0.2));
        check("hue_m0_35", img -> Functional.adjustHue(img, -0.35));
        check("grayscale_1", img -> Functional.rgbToGrayscale(img, 1));
        check("grayscale_3", img -> Functional.rgbToGrayscale(img, 3));
        check("gamma_0_7", img -> Functional.adjustGamma(img, 0.7, 1));
        check("gamma_2_gain_0_8", img -> Functional.adjustGamma(img, 2.0, 0.8));
        check("solarize_0_6", img -> Functional.solarize(img, 0.6));
        check("invert", Functional::invert);
        check("equalize", Functional::equalize);
        check("posterize_3", img -> Functional.posterize(img, 3));
    }

    @Test
    void cropsPaddingNormalize() {
        check("center_crop_5x4", img -> Functional.centerCrop(img, 5, 4));
        check("center_crop_4x6", img -> Functional.centerCrop(img, 4, 6));
        check("center_crop_10x12", img -> Functional.centerCrop(img, 10, 12));
        check("pad_constant", img -> Functional.pad(img, 2, 1, 3, 2, PaddingMode.CONSTANT, 0.5f));
        check("pad_edge", img -> Functional.pad(img, 2, 1, 3, 2, PaddingMode.EDGE, 0f));
        check("pad_reflect", img -> Functional.pad(img, 2, 1, 3, 2, PaddingMode.REFLECT, 0f));
        check("pad_symmetric", img -> Functional.pad(img, 2, 1, 3, 2, PaddingMode.SYMMETRIC, 0f));
        check("normalize", img -> Functional.normalize(img, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}));
    }
}
