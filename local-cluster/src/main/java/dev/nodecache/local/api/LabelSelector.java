package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code labelSelector} query parameter as the API server reads it: comma-separated
 * requirements, each {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin
 * (a)}, {@code k} (exists) or {@code !k}; all must hold.
 */
final class LabelSelector {
  private static final Pattern SET =
      Pattern.compile("\\s*([^\\s!=,()]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*([^\\s!=,()]+)\\s*(==|=|!=)\\s*([^\\s!=,()]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)([^\\s!=,()]+)\\s*");

  private LabelSelector() {}

  /** Everything, for null or empty. */
  static Predicate<JsonNode> parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> all = new ArrayList<>();
    for (String requirement : split(selector)) {
      all.add(requirement(requirement));
    }
    return o -> all.stream().allMatch(r -> r.test(o.path("metadata").path("labels")));
  }

  /** Splits on the commas outside parentheses. */
  private static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  private static Predicate<JsonNode> requirement(String r) {
    Matcher m = SET.matcher(r);
    if (m.matches()) {
      String key = m.group(1);
      Set<String> values = Set.of(m.group(3).trim().split("\\s*,\\s*"));
      boolean in = m.group(2).equals("in");
      return labels -> labels.has(key) ? values.contains(labels.get(key).asText()) == in : !in;
    }
    m = EQUALITY.matcher(r);
    if (m.matches()) {
      String key = m.group(1);
      String value = m.group(3);
      boolean equal = !m.group(2).equals("!=");
      return labels -> (labels.has(key) && labels.get(key).asText().equals(value)) == equal;
    }
    m = EXISTS.matcher(r);
    if (m.matches()) {
      String key = m.group(2);
      boolean exists = m.group(1).isEmpty();
      return labels -> labels.has(key) == exists;
    }
    throw ApiError.badRequest(
        "unable to parse requirement: found '" + r.trim() + "', expected: in, notin, =, ==, !=");
  }
}
