package org.cnn4j.data.transforms;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's augmentation spec language: what it builds and how it reports mistakes. */
class AugmentSpecTest {
    @Test
    void theIssuesSpecBuildsFlipAffineCutout() {
        Transform t = AugmentSpec.parse("hflip,rotate=10,zoom=0.1,cutout=8");
        Compose c = assertInstanceOf(Compose.class, t);
        List<Transform> steps = c.transforms();
        assertEquals(3, steps.size(), steps.toString());
        assertInstanceOf(RandomHorizontalFlip.class, steps.get(0));
        KerasAffine affine = assertInstanceOf(KerasAffine.class, steps.get(1));
        assertTrue(affine.toString().contains("rotation=10.0") && affine.toString().contains("zoom=[0.9, 1.1]"), affine.toString());
        assertInstanceOf(Cutout.class, steps.get(2));
        Image out = t.apply(TestImages.uniform(1, 28, 28, 1), new SplittableRandom(3));
        assertEquals(28, out.height());
        int zeros = 0;
        for (float v : out.data()) if (v == 0f) zeros++;
        assertTrue(zeros >= 16, "the cutout hole is there: " + zeros);
    }

    @Test
    void everyKeyParses() {
        String all = "hflip=0.3,vflip,rotate=15,shift=0.1,shear=5,zoom=0.2,fill=reflect,crop=2,resized-crop=0.5,perspective=0.3,brightness=0.2,"
                + "contrast=0.3,saturation=0.2,hue=0.05,gamma=0.2,rgbshift=0.05,grayscale=0.1,blur=1.5,median=3,boxblur=3,sharpen=2,"
                + "noise=0.02,cutout=6,erase=0.5,equalize=0.2,invert=0.1,solarize=0.8,posterize=4,rescale=1,normalize=0.5:0.25";
        Compose c = assertInstanceOf(Compose.class, AugmentSpec.parse(all));
        // 30 keys (all but wshift and hshift), of which the 5 geometric ones fold into one affine step
        assertEquals(AugmentSpec.KEYS.size() - 2 - 5 + 1, c.transforms().size(), c.transforms().toString());
        Image out = c.apply(TestImages.uniform(3, 20, 24, 2), new SplittableRandom(1));
        assertEquals(3, out.channels());
        assertEquals(20, out.height());
        assertEquals(24, out.width());
        // keys are case-insensitive and tolerate spaces
        assertInstanceOf(Compose.class, AugmentSpec.parse(" HFlip , Rotate = 5 "));
        assertInstanceOf(RandomHorizontalFlip.class, AugmentSpec.parse("hflip"));
        assertInstanceOf(KerasAffine.class, AugmentSpec.parse("wshift=2,hshift=0.1"));
    }

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse(spec)).getMessage();
    }

    @Test
    void errorsNameTheTokenItsPositionAndTheValidKeys() {
        String unknown = error("hflip,rotat=10,cutout=8");
        assertTrue(unknown.contains("token 2 'rotat=10' (column 7)"), unknown);
        assertTrue(unknown.contains("unknown key 'rotat'") && unknown.contains("did you mean 'rotate'"), unknown);
        assertTrue(unknown.contains("valid keys: hflip, vflip, rotate"), unknown);

        String notNumber = error("hflip,rotate=ten");
        assertTrue(notNumber.contains("token 2 'rotate=ten' (column 7)") && notNumber.contains("'ten' is not a number"), notNumber);

        String missing = error("cutout");
        assertTrue(missing.contains("token 1") && missing.contains("'cutout' needs a value"), missing);

        String range = error("hflip=1.5");
        assertTrue(range.contains("token 1 'hflip=1.5'") && range.contains("probability") && range.contains("1.5"), range);

        String zoom = error("rotate=5,zoom=1.5");
        assertTrue(zoom.contains("token 2 'zoom=1.5' (column 10)") && zoom.contains("[0, 1)"), zoom);

        String twice = error("hflip,cutout=4,hflip");
        assertTrue(twice.contains("token 3") && twice.contains("appears twice"), twice);

        String empty = error("hflip,,cutout=4");
        assertTrue(empty.contains("token 2 (column 7) is empty"), empty);

        String fill = error("rotate=5,fill=mirror");
        assertTrue(fill.contains("token 2 'fill=mirror'") && fill.contains("constant, nearest, reflect, wrap"), fill);

        String kernel = error("median=4");
        assertTrue(kernel.contains("token 1 'median=4'") && kernel.contains("odd"), kernel);

        String integer = error("cutout=2.5");
        assertTrue(integer.contains("not an integer"), integer);

        assertTrue(error("").contains("empty"));
        assertTrue(error("normalize=0.5").contains("MEAN:STD"));
        assertTrue(error("shift=0.1,wshift=0.2").contains("either shift or wshift/hshift"));
    }
}
