package dev.nodecache.operator.flush;

import dev.nodecache.api.DnsCachePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A flush asked for with annotations (SPEC §3): the id, and the names (empty = everything). */
public record FlushRequest(String id, List<String> names) {
  public static final String FLUSH = "nodecache.dev/flush";
  public static final String FLUSH_NAMES = "nodecache.dev/flush-names";

  /** The request on {@code policy}, or null when there is none. */
  public static FlushRequest of(DnsCachePolicy policy) {
    Map<String, String> a = policy.getMetadata().getAnnotations();
    if (a == null || a.get(FLUSH) == null || a.get(FLUSH).isBlank()) {
      return null;
    }
    String names = a.getOrDefault(FLUSH_NAMES, "");
    return new FlushRequest(a.get(FLUSH).trim(), names.isBlank() ? List.of()
        : Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList());
  }
}
