package dev.nodecache.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {
  @Test
  void readsEveryKindOfValueInDocumentOrder() throws Exception {
    Object v =
        Json.parse(
            " {\"b\": [1, -2, 3.5, 1e3, 9223372036854775808], \"a\": {\"t\": true, \"f\": false,"
                + " \"n\": null}, \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"} ");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("t", true);
    inner.put("f", false);
    inner.put("n", null);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put(
        "b",
        List.of(
            1L,
            -2L,
            new BigDecimal("3.5"),
            new BigDecimal("1e3"),
            new BigInteger("9223372036854775808")));
    expected.put("a", inner);
    expected.put("s", "x\"\\/\b\f\n\r\té");
    assertEquals(expected, v);
    assertEquals(List.of("b", "a", "s"), List.copyOf(((Map<?, ?>) v).keySet()));
  }

  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of("", "no value", 1, 1),
        Arguments.of("{\"a\": 1,}", "expected a field name in quotes", 1, 9),
        Arguments.of("{\"a\": 1} x", "unexpected 'x' after the value", 1, 10),
        Arguments.of("{\"a\": 1, \"a\": 2}", "field \"a\" given twice", 1, 10),
        Arguments.of("[1, 2", "unexpected end", 1, 6),
        Arguments.of("{\"a\":\n  tru}", "unexpected 't'", 2, 3),
        Arguments.of("\"ab", "unterminated string", 1, 4),
        Arguments.of("01", "unexpected '1' after the value", 1, 2),
        Arguments.of("[-]", "expected a digit", 1, 3),
        Arguments.of("\"\\x\"", "bad escape \\x", 1, 3),
        Arguments.of("// c\n{}", "unexpected '/'", 1, 1));
  }

  @ParameterizedTest
  @MethodSource("notJson")
  void refusesWhatIsNotJsonSayingWhere(String text, String message, int line, int column) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertEquals(message, e.getMessage());
    assertEquals(line, e.line(), "line");
    assertEquals(column, e.column(), "column");
  }

  @Test
  void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() throws Exception {
    char[] open = new char[Json.MAX_DEPTH + 1];
    Arrays.fill(open, '[');
    char[] close = new char[Json.MAX_DEPTH + 1];
    Arrays.fill(close, ']');
    String ok = new String(open, 0, Json.MAX_DEPTH) + new String(close, 0, Json.MAX_DEPTH);
    Json.parse(ok);
    JsonException e =
        assertThrows(
            JsonException.class, () -> Json.parse("[".repeat(100_000) + "]".repeat(100_000)));
    assertEquals("nested deeper than " + Json.MAX_DEPTH, e.getMessage());
  }

  @Test
  void writesWhatJacksonReadsBackTheSame() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a\"b\\c\n\u0001é");
    m.put("n", 42L);
    m.put("ok", true);
    m.put("none", null);
    m.put("list", List.of("x", 1, List.of()));
    ObjectMapper jackson = new ObjectMapper();
    assertEquals(jackson.readTree(jackson.writeValueAsString(m)), jackson.readTree(Json.write(m)));
    assertEquals(
        "{\"name\":\"a\\\"b\\\\c\\n\\u0001é\",\"n\":42,\"ok\":true,\"none\":null,"
            + "\"list\":[\"x\",1,[]]}",
        Json.write(m));
  }

  @Test
  void agreesWithJacksonOnRandomDocuments() throws Exception {
    ObjectMapper jackson = new ObjectMapper();
    Random r = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      Object doc = randomValue(r, 0);
      String text = jackson.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
      assertEquals(jackson.readTree(text), jackson.readTree(Json.write(Json.parse(text))), text);
    }
  }

  private static Object randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 4 ? 5 : 7);
    return switch (kind) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextLong() >> r.nextInt(64);
      case 3 -> randomString(r);
      case 4 -> r.nextInt(1000) - 500;
      case 5 -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          m.put(randomString(r), randomValue(r, depth + 1));
        }
        yield m;
      }
      default -> {
        Object[] a = new Object[r.nextInt(4)];
        for (int i = 0; i < a.length; i++) {
          a[i] = randomValue(r, depth + 1);
        }
        yield Arrays.asList(a);
      }
    };
  }

  private static String randomString(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      b.append((char) (r.nextInt(10) == 0 ? r.nextInt(0x20) : 0x20 + r.nextInt(0x3000)));
    }
    return b.toString();
  }
}
