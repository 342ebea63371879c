package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset of additionalPrinterColumns: {@code .a.b}, {@code .a[0]}, {@code .a[*]} and
 * {@code .a[?(@.type=="Ready")].status}; several results are joined with commas, as the API server
 * prints them.
 */
final class PrinterColumnPath {
  private static final Pattern STEP =
      Pattern.compile(
          "\\.([^.\\[]+)|\\[(\\d+|\\*)]|\\[\\?\\(@\\.([^=!]+)==[\"']([^\"']*)[\"']\\)]");

  private PrinterColumnPath() {}

  static List<JsonNode> evaluate(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = List.of(root);
    Matcher m = STEP.matcher(p);
    int at = 0;
    while (at < p.length() && m.find(at) && m.start() == at) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        if (m.group(1) != null) {
          add(next, n.get(m.group(1)));
        } else if (m.group(2) != null) {
          if (m.group(2).equals("*")) {
            n.forEach(next::add);
          } else {
            add(next, n.get(Integer.parseInt(m.group(2))));
          }
        } else {
          for (JsonNode item : n) {
            if (item.path(m.group(3)).asText().equals(m.group(4))) {
              next.add(item);
            }
          }
        }
      }
      current = next;
      at = m.end();
    }
    return at == p.length() ? current : List.of();
  }

  private static void add(List<JsonNode> out, JsonNode n) {
    if (n != null && !n.isNull()) {
      out.add(n);
    }
  }
}
