package dev.nodecache.agent.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the agent reads and writes (its config, the admin API's bodies), without a JSON
 * library: a general-purpose one costs the agent 400 classes and a quarter of a second at start.
 * Values are {@code Map<String, Object>} (in document order), {@code List<Object>}, {@link String},
 * {@link Long} (or {@link BigInteger} beyond it), {@link BigDecimal} for fractions, {@link Boolean}
 * and {@code null}. Strict RFC 8259: no comments, no trailing commas, no duplicate names, nothing
 * after the value.
 */
public final class Json {
  /** Nesting deeper than this is refused: the admin API reads bodies from the network. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** The value {@code text} holds. */
  public static Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.space();
    if (p.pos == text.length()) {
      throw p.error("no value");
    }
    Object v = p.value(0);
    p.space();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "' after the value");
    }
    return v;
  }

  /** An object, or an error saying it is not one. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("the body must be a JSON object", 1, 1);
    }
    return (Map<String, Object>) v;
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    char c = peek();
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    pos++;
    Map<String, Object> out = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("expected a field name in quotes");
      }
      int at = pos;
      String name = string();
      space();
      expect(':');
      space();
      if (out.containsKey(name)) {
        pos = at;
        throw error("field \"" + name + "\" given twice");
      }
      out.put(name, value(depth + 1));
      space();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect('}');
      return out;
    }
  }

  private List<Object> array(int depth) throws JsonException {
    pos++;
    List<Object> out = new ArrayList<>();
    space();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      space();
      out.add(value(depth + 1));
      space();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect(']');
      return out;
    }
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
              pos--;
              throw error("bad \\u escape");
            }
            code = code * 16 + d;
          }
          out.append((char) code);
        }
        default -> {
          pos--;
          throw error("bad escape \\" + e);
        }
      }
    }
  }

  private Object number() throws JsonException {
    int start = pos;
    if (next() == '-') {
      pos++;
    }
    if (next() == '0') {
      pos++;
    } else if (!digits()) {
      throw error("expected a digit");
    }
    boolean integral = true;
    if (next() == '.') {
      pos++;
      integral = false;
      if (!digits()) {
        throw error("expected a digit after '.'");
      }
    }
    if (next() == 'e' || next() == 'E') {
      pos++;
      integral = false;
      if (next() == '+' || next() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("expected a digit in the exponent");
      }
    }
    String n = text.substring(start, pos);
    if (!integral) {
      return new BigDecimal(n);
    }
    BigInteger big = new BigInteger(n);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  /** The character at the position, or 0 at the end (a number may end the text). */
  private char next() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Object word(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error(
          pos >= text.length() ? "unexpected end, expected '" + c + "'" : "expected '" + c + "'");
    }
    pos++;
  }

  private char peek() throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private void space() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new JsonException(message, line, column);
  }

  /** {@code value} as compact JSON: maps, collections, strings, numbers, booleans and null. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      quote(s, out);
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (v instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(o, out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  /** {@code s} as a JSON string, appended to {@code out}. */
  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
