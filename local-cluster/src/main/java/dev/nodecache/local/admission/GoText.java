package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values printed as the API server (Go) prints them in error messages: {@code %q} for strings,
 * {@code %v} for numbers, {@code %#v} for decoded JSON objects and arrays. Clients match on these
 * messages, so the local cluster prints them the same way.
 */
final class GoText {
  private GoText() {}

  /** Go's {@code %q} (strconv.Quote). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0b -> out.append("\\v");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.append('"').toString();
  }

  /**
   * Go's {@code %v} of a float64: the shortest digits, with an exponent from 1e+06 and below 1e-04.
   */
  static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exponent = b.precision() - b.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return b.toPlainString();
    }
    String digits = b.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (d < 0 ? "-" : "")
        + mantissa
        + "e"
        + (exponent < 0 ? "-" : "+")
        + String.format("%02d", Math.abs(exponent));
  }

  /**
   * A field error's bad value: strings quoted, numbers and booleans bare, null as "null", objects
   * and arrays as Go prints a decoded {@code map[string]interface {}} or {@code []interface {}}.
   */
  static String value(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return quote("null");
    }
    if (v.isTextual()) {
      return quote(v.asText());
    }
    if (v.isContainerNode()) {
      return goSyntax(v);
    }
    return scalar(v);
  }

  /** An int64 as Go prints it. */
  static String integer(long n) {
    return Long.toString(n);
  }

  /** {@code %#v} of a decoded JSON value. */
  static String goSyntax(JsonNode v) {
    if (v == null || v.isNull()) {
      return "interface {}(nil)";
    }
    if (v.isTextual()) {
      return quote(v.asText());
    }
    if (v.isObject()) {
      // Go prints map keys sorted.
      Map<String, JsonNode> sorted = new TreeMap<>();
      v.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
      List<String> entries = new ArrayList<>();
      sorted.forEach((k, e) -> entries.add(quote(k) + ":" + goSyntax(e)));
      return "map[string]interface {}{" + String.join(", ", entries) + "}";
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(item -> items.add(goSyntax(item)));
      return "[]interface {}{" + String.join(", ", items) + "}";
    }
    return scalar(v);
  }

  private static String scalar(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isNumber()) {
      return number(v.asDouble());
    }
    return v.asText();
  }
}
