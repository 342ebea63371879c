package dev.nodecache.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one JSON object of the config, knowing its path so that every error names the field, and
 * refusing fields it was never asked for (a typo must not silently fall back to a default).
 */
final class JsonFields {
  private final JsonNode node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})(Ki|Mi|Gi)?");

  private JsonFields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static JsonFields of(JsonNode node, String path) throws ConfigException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new JsonFields(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), path);
    }
    if (!node.isObject()) {
      throw new ConfigException(name(path) + ": expected an object");
    }
    return new JsonFields(node, path);
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  JsonFields object(String field) throws ConfigException {
    read.add(field);
    return of(node.get(field), path(field));
  }

  List<JsonFields> objects(String field) throws ConfigException {
    List<JsonFields> out = new ArrayList<>();
    JsonNode array = array(field);
    for (int i = 0; i < array.size(); i++) {
      out.add(of(array.get(i), path(field) + "[" + i + "]"));
    }
    return out;
  }

  List<String> strings(String field) throws ConfigException {
    List<String> out = new ArrayList<>();
    JsonNode array = array(field);
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual()) {
        throw new ConfigException(path(field) + "[" + i + "]: expected a string");
      }
      out.add(array.get(i).asText());
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
    JsonNode v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new ConfigException(path(field) + ": expected a string");
    }
    return v.asText();
  }

  boolean bool(String field, boolean fallback) throws ConfigException {
    JsonNode v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(path(field) + ": expected true or false");
    }
    return v.asBoolean();
  }

  int integer(String field, int fallback, int min, int max) throws ConfigException {
    JsonNode v = value(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw new ConfigException(
          path(field) + ": expected an integer from " + min + " to " + max + ", got " + v);
    }
    return v.asInt();
  }

  /** A size: a whole number of bytes, or a quantity such as 48Mi, 1Gi, 512Ki. */
  long bytes(String field, long fallback, long min, long max) throws ConfigException {
    JsonNode v = value(field);
    if (v == null) {
      return fallback;
    }
    long n = v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : -1;
    Matcher m = SIZE.matcher(v.isTextual() ? v.asText() : "");
    if (m.matches()) {
      int shift = m.group(2) == null ? 0 : "KiMiGi".indexOf(m.group(2)) / 2 * 10 + 10;
      long d = Long.parseLong(m.group(1));
      n = d > max >> shift ? Long.MAX_VALUE : d << shift;
    }
    if (n < min || n > max) {
      throw new ConfigException(
          path(field)
              + ": expected a size from "
              + MemoryRule.mib(min)
              + " to "
              + MemoryRule.mib(max)
              + " (bytes, or such as 48Mi), got "
              + v);
    }
    return n;
  }

  Duration duration(String field, Duration fallback) throws ConfigException {
    JsonNode v = value(field);
    if (v == null) {
      return fallback;
    }
    Duration d = v.isTextual() ? DurationText.parse(v.asText()) : null;
    if (d == null) {
      throw new ConfigException(
          path(field) + ": expected a duration such as 500ms, 30s, 5m or 1h, got " + v);
    }
    return d;
  }

  /** Call last: fails on a field nobody read. */
  void noOthers() throws ConfigException {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!read.contains(f)) {
        throw new ConfigException(path(f) + ": unknown field");
      }
    }
  }

  private JsonNode array(String field) throws ConfigException {
    JsonNode v = value(field);
    if (v == null) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw new ConfigException(path(field) + ": expected a list");
    }
    return v;
  }

  private JsonNode value(String field) {
    read.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static String name(String path) {
    return path.isEmpty() ? "config" : path;
  }
}
