package dev.nodecache.agent.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Prometheus text format (version 0.0.4): metric families sorted by name, each a HELP and a
 * TYPE line and its samples. Labels go out in the order given: callers give their names sorted,
 * with {@code le} last, as the Prometheus client wrote them.
 */
final class TextFormat {
  private final Map<String, StringBuilder> families = new TreeMap<>();
  private StringBuilder current;

  /** Starts a family; the samples that follow belong to it. */
  TextFormat family(String name, String type, String help) {
    current = new StringBuilder(256);
    current.append("# HELP ").append(name).append(' ');
    escape(help, false, current);
    current.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    families.put(name, current);
    return this;
  }

  /** One sample; {@code labels} alternate name and value. */
  TextFormat sample(String name, String value, String... labels) {
    current.append(name);
    if (labels.length > 0) {
      current.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          current.append(',');
        }
        current.append(labels[i]).append("=\"");
        escape(labels[i + 1], true, current);
        current.append('"');
      }
      current.append('}');
    }
    current.append(' ').append(value).append('\n');
    return this;
  }

  byte[] toBytes() {
    StringBuilder all = new StringBuilder(8192);
    families.values().forEach(all::append);
    return all.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Backslash and newline escaped; in a label value, the double quote too. */
  private static void escape(String s, boolean labelValue, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(labelValue ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
  }
}
