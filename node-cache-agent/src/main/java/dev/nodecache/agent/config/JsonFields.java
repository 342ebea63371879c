package dev.nodecache.agent.config;

import dev.nodecache.agent.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one JSON object of the config, knowing its path so that every error names the field, and
 * refusing fields it was never asked for (a typo must not silently fall back to a default).
 */
final class JsonFields {
  private final Map<String, Object> node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  private static final int SIZE_MAX_DIGITS = 15;

  private JsonFields(Map<String, Object> node, String path) {
    this.node = node;
    this.path = path;
  }

  @SuppressWarnings("unchecked")
  static JsonFields of(Object node, String path) throws ConfigException {
    if (node == null) {
      return new JsonFields(Map.of(), path);
    }
    if (!(node instanceof Map)) {
      throw new ConfigException(name(path) + ": expected an object");
    }
    return new JsonFields((Map<String, Object>) node, path);
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  boolean has(String field) {
    return node.get(field) != null;
  }

  JsonFields object(String field) throws ConfigException {
    read.add(field);
    return of(node.get(field), path(field));
  }

  List<JsonFields> objects(String field) throws ConfigException {
    List<JsonFields> out = new ArrayList<>();
    List<?> array = array(field);
    for (int i = 0; i < array.size(); i++) {
      out.add(of(array.get(i), path(field) + "[" + i + "]"));
    }
    return out;
  }

  List<String> strings(String field) throws ConfigException {
    List<String> out = new ArrayList<>();
    List<?> array = array(field);
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof String s)) {
        throw new ConfigException(path(field) + "[" + i + "]: expected a string");
      }
      out.add(s);
    }
    return out;
  }

  /** Strings converted one by one; a failed conversion names the element. */
  <T> List<T> list(String field, Function<String, T> convert) throws ConfigException {
    List<String> texts = strings(field);
    List<T> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(convert.apply(texts.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path(field) + "[" + i + "]: " + e.getMessage());
      }
    }
    return out;
  }

  String string(String field, String fallback) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(path(field) + ": expected a string");
    }
    return s;
  }

  boolean bool(String field, boolean fallback) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw new ConfigException(path(field) + ": expected true or false");
    }
    return b;
  }

  int integer(String field, int fallback, int min, int max) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Long n) || n < min || n > max) {
      throw new ConfigException(
          path(field)
              + ": expected an integer from "
              + min
              + " to "
              + max
              + ", got "
              + Json.write(v));
    }
    return n.intValue();
  }

  /** A size: a whole number of bytes, or a quantity such as 48Mi, 1Gi, 512Ki. */
  long bytes(String field, long fallback, long min, long max) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return fallback;
    }
    long n = v instanceof Long whole ? whole : -1;
    if (v instanceof String text) {
      n = sizeText(text, max);
    }
    if (n < min || n > max) {
      throw new ConfigException(
          path(field)
              + ": expected a size from "
              + MemoryRule.mib(min)
              + " to "
              + MemoryRule.mib(max)
              + " (bytes, or such as 48Mi), got "
              + Json.write(v));
    }
    return n;
  }

  /**
   * 1 to 15 digits, then Ki, Mi, Gi or nothing: the bytes (Long.MAX_VALUE above {@code max}), or -1
   * if {@code text} is not a size.
   */
  static long sizeText(String text, long max) {
    int digits = 0;
    while (digits < text.length() && DurationText.isDigit(text.charAt(digits))) {
      digits++;
    }
    int shift =
        switch (text.substring(digits)) {
          case "" -> 0;
          case "Ki" -> 10;
          case "Mi" -> 20;
          case "Gi" -> 30;
          default -> -1;
        };
    if (digits == 0 || digits > SIZE_MAX_DIGITS || shift < 0) {
      return -1;
    }
    long d = Long.parseLong(text, 0, digits, 10);
    return d > max >> shift ? Long.MAX_VALUE : d << shift;
  }

  Duration duration(String field, Duration fallback) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return fallback;
    }
    Duration d = v instanceof String text ? DurationText.parse(text) : null;
    if (d == null) {
      throw new ConfigException(
          path(field) + ": expected a duration such as 500ms, 30s, 5m or 1h, got " + Json.write(v));
    }
    return d;
  }

  /** Call last: fails on a field nobody read. */
  void noOthers() throws ConfigException {
    for (String f : node.keySet()) {
      if (!read.contains(f)) {
        throw new ConfigException(path(f) + ": unknown field");
      }
    }
  }

  private List<?> array(String field) throws ConfigException {
    Object v = value(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(path(field) + ": expected a list");
    }
    return list;
  }

  private Object value(String field) {
    read.add(field);
    return node.get(field);
  }

  private static String name(String path) {
    return path.isEmpty() ? "config" : path;
  }
}
