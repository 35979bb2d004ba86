package org.cnn4j.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, -0.25E-2, true, false, null], \"b\": {\"c\": \"x\\ny\\u00e9\\\"\\\\\\/\"},"
                + " \"big\": 12345678901234567890, \"long\": 9007199254740993} ");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("a", "b", "big", "long"), List.copyOf(m.keySet()), "key order is kept");
        List<?> a = (List<?>) m.get("a");
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, -0.0025, true, false, null), a);
        assertEquals("x\nyé\"\\/", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(1.2345678901234567e19, (Double) m.get("big"), 1e4, "integers beyond long become doubles");
        assertEquals(9007199254740993L, m.get("long"), "longs are exact");
    }

    @Test
    void parsesSurrogatePairEscapes() {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("😀", Json.parse("\"😀\""));
    }

    @Test
    void rejectsInvalidInputWithOffset() {
        record Bad(String text, int offset, String fragment) {}
        List<Bad> cases = List.of(
                new Bad("", 0, "end of input"),
                new Bad("{\"a\":1,}", 7, "string key"),
                new Bad("[1,]", 3, "expected a value"),
                new Bad("[1 2]", 3, "expected ']'"),
                new Bad("01", 1, "leading zero"),
                new Bad("1.", 2, "digit after '.'"),
                new Bad("1e", 2, "exponent"),
                new Bad("+1", 0, "expected a value"),
                new Bad("NaN", 0, "expected a value"),
                new Bad("'a'", 0, "expected a value"),
                new Bad("\"abc", 4, "unterminated"),
                new Bad("\"a\tb\"", 2, "control character"),
                new Bad("\"\\x\"", 2, "invalid escape"),
                new Bad("\"\\u12g4\"", 5, "hex digit"),
                new Bad("tru", 0, "expected 'true'"),
                new Bad("{\"a\":1,\"a\":2}", 7, "duplicate key"),
                new Bad("{} x", 3, "after the JSON value"),
                new Bad("{\"a\" 1}", 5, "expected ':'"));
        for (Bad b : cases) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(b.text()), b.text());
            assertEquals(b.offset(), e.offset(), "offset for " + b.text() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(b.fragment()), b.text() + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("at offset " + b.offset()), e.getMessage());
        }
    }

    @Test
    void depthIsBounded() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper"), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void writesPrettyWithTwoSpaceIndent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "fashion-cnn");
        m.put("epochs", 5);
        m.put("acc", 0.883);
        m.put("lr", 1e-3f);
        m.put("shape", new int[] {1, 28, 28});
        m.put("empty", List.of());
        m.put("nested", Map.of("ok", true));
        m.put("none", null);
        String expected = """
                {
                  "model": "fashion-cnn",
                  "epochs": 5,
                  "acc": 0.883,
                  "lr": 0.001,
                  "shape": [
                    1,
                    28,
                    28
                  ],
                  "empty": [],
                  "nested": {
                    "ok": true
                  },
                  "none": null
                }""";
        assertEquals(expected, Json.write(m));
        assertEquals("{\"model\":\"fashion-cnn\",\"epochs\":5,\"acc\":0.883,\"lr\":0.001,\"shape\":[1,28,28],"
                + "\"empty\":[],\"nested\":{\"ok\":true},\"none\":null}", Json.writeCompact(m));
    }

    @Test
    void escapesStringsAndRoundTrips() {
        String nasty = "q\"b\\s/\n\r\t\b\f\u0001\u007f\u2028é😀\uD800x";
        String json = Json.write(nasty);
        assertEquals("\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u007f\\u2028é😀\\ud800x\"", json);
        assertEquals(nasty, Json.parse(json));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k\"ey", List.of(1L, 2.5, "s", false));
        m.put("x", new LinkedHashMap<>(Map.of("y", -3L)));
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(m, Json.parse(Json.writeCompact(m)));
    }

    @Test
    void refusesNonFiniteAndUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
