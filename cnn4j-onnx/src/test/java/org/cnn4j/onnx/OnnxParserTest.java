package org.cnn4j.onnx;

import org.cnn4j.onnx.proto.OnnxProto;
import org.cnn4j.onnx.proto.OnnxProto.Attribute;
import org.cnn4j.onnx.proto.OnnxProto.Node;
import org.cnn4j.onnx.proto.OnnxProto.TensorData;
import org.cnn4j.onnx.proto.OnnxProto.ValueInfo;
import org.cnn4j.onnx.proto.ProtoWriter;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded wire reader: malformed input fails with file, field and offset; nothing is allocated beyond the file. */
class OnnxParserTest {
    private static OnnxProto.Model tiny(String op) {
        OnnxProto.Model m = new OnnxProto.Model();
        m.opsets.put("", 13L);
        m.graph = new OnnxProto.Graph();
        m.graph.inputs.add(new ValueInfo("x", new long[] {1, 4}, null));
        m.graph.outputs.add(new ValueInfo("y", new long[] {1, 4}, null));
        m.graph.nodes.add(new Node("my_node", op, List.of("x"), List.of("y")));
        return m;
    }

    @Test
    void writerAndReaderRoundTrip() {
        OnnxProto.Model m = tiny("LeakyRelu");
        m.graph.nodes.get(0).attr(Attribute.ofFloat("alpha", 0.3f));
        m.graph.initializers.add(TensorData.ofFloats("w", new float[] {1, -2, 3.5f}, 3));
        m.graph.initializers.add(TensorData.ofLongs("s", new long[] {-1, 7}, 2));
        OnnxProto.Model back = OnnxProto.parseModel(OnnxProto.write(m), "mem");
        assertEquals(13L, back.opsets.get(""));
        assertEquals("LeakyRelu", back.graph.nodes.get(0).opType);
        assertEquals(0.3f, back.graph.nodes.get(0).attributes.get("alpha").f);
        assertArrayEquals(new float[] {1, -2, 3.5f}, back.graph.initializers.get(0).floats);
        assertArrayEquals(new long[] {-1, 7}, back.graph.initializers.get(1).longs);
        assertArrayEquals(new long[] {1, 4}, back.graph.inputs.get(0).dims);
        OnnxModel model = OnnxImporter.compile(back, "mem");
        Tensor y = model.call(Tensor.of(new float[] {-1, 0, 1, 2}, 1, 4));
        assertArrayEquals(new float[] {-0.3f, 0, 1, 2}, y.data(), 1e-7f);
    }

    @Test
    void unsupportedOperatorNamesNodeAndOperator() {
        byte[] bytes = OnnxProto.write(tiny("NonMaxSuppression"));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(bytes, "model.onnx"));
        assertTrue(e.getMessage().contains("node 'my_node' (NonMaxSuppression)") && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void unsupportedAttributeNamesNodeAndAttribute() {
        OnnxProto.Model m = tiny("Conv");
        Node n = m.graph.nodes.get(0);
        n.inputs.add("w");
        n.attr(Attribute.ofInts("strides", 1, 1, 1));
        m.graph.initializers.add(TensorData.ofFloats("w", new float[4], 2, 2, 1, 1));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.compile(m, "g.onnx"));
        assertTrue(e.getMessage().contains("node 'my_node' (Conv)") && e.getMessage().contains("only 2D convolutions are supported yet"), e.getMessage());
    }

    @Test
    void truncatedFilesFailWithOffsets() throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.resource("models/lenet5.onnx"));
        for (int cut : new int[] {1, 5, 100, full.length / 3, full.length - 1}) {
            byte[] part = Arrays.copyOf(full, cut);
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(part, "lenet5.onnx"), "cut " + cut);
            assertTrue(e.getMessage().startsWith("lenet5.onnx: "), e.getMessage());
        }
    }

    @Test
    void hugeLengthPrefixIsRejectedBeforeAllocating() {
        ProtoWriter w = new ProtoWriter();
        w.varint(7 << 3 | 2);      // graph, length-delimited
        w.varint(1L << 40);        // claims a terabyte
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxProto.parseModel(w.toByteArray(), "big.onnx"));
        assertTrue(e.getMessage().contains("exceeds the 0 bytes left") && e.getMessage().contains("byte offset 1"), e.getMessage());
    }

    @Test
    void tensorWhoseDimsDisagreeWithItsDataIsRejected() {
        OnnxProto.Model m = tiny("Relu");
        m.graph.initializers.add(TensorData.ofFloats("w", new float[6], 1000, 1000, 1000)); // dims claim 1e9 values
        byte[] bytes = OnnxProto.write(m);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxProto.parseModel(bytes, "lie.onnx"));
        assertTrue(e.getMessage().contains("tensor 'w': raw_data has 24 bytes"), e.getMessage());
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        SplittableRandom r = new SplittableRandom(1);
        byte[] valid = OnnxProto.write(tiny("Relu"));
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = valid.clone();
            for (int k = 0; k < 3; k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            try {
                OnnxImporter.load(b, "fuzz.onnx");
            } catch (OnnxFormatException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz.onnx"), expected.getMessage());
            }
        }
    }
}
