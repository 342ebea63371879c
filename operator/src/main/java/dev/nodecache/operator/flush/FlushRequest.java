package dev.nodecache.operator.flush;

import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.api.DnsCachePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flush asked for with annotations (SPEC §3), read from whatever shape a user gave them:
 *
 * <ul>
 *   <li>{@code nodecache.dev/flush} absent, null, empty or only white space: no request; otherwise
 *       the trimmed value is the id, which may not exceed {@link #MAX_ID} characters nor hold
 *       control characters.
 *   <li>{@code nodecache.dev/flush-names} absent, null, empty or white space: everything; otherwise
 *       names separated by commas (white space around them ignored, empty entries skipped), each a
 *       domain name or {@code *.} and a domain name, at most {@link #MAX_NAMES}.
 * </ul>
 *
 * A request that breaks these rules is refused, not dropped: it carries the reason in {@code
 * problem} and shows as a Failed flush in the status, with an Event.
 */
public record FlushRequest(String id, List<String> names, String problem) {
  public static final String FLUSH = "nodecache.dev/flush";
  public static final String FLUSH_NAMES = "nodecache.dev/flush-names";
  public static final int MAX_ID = 128;
  public static final int MAX_NAMES = 256;

  /** The request on {@code policy}, or null when there is none. */
  public static FlushRequest of(DnsCachePolicy policy) {
    Map<String, String> a = policy.getMetadata().getAnnotations();
    String raw = a == null ? null : a.get(FLUSH);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String id = raw.strip();
    if (id.length() > MAX_ID) {
      return refused(
          id.substring(0, MAX_ID - 1) + "…",
          FLUSH + " is " + id.length() + " characters long; an id has at most " + MAX_ID);
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      return refused(id.replaceAll("\\p{Cntrl}", "?"), FLUSH + " holds control characters");
    }
    String names = a.get(FLUSH_NAMES);
    List<String> parsed = new ArrayList<>();
    if (names != null) {
      for (String n : names.split(",")) {
        String name = n.strip();
        if (name.isEmpty()) {
          continue;
        }
        try {
          parsed.add(ConfigParser.flushName(name));
        } catch (IllegalArgumentException e) {
          return refused(id, FLUSH_NAMES + ": " + e.getMessage());
        }
      }
    }
    if (parsed.size() > MAX_NAMES) {
      return refused(id, FLUSH_NAMES + " names " + parsed.size() + " names; at most " + MAX_NAMES);
    }
    return new FlushRequest(id, List.copyOf(parsed), null);
  }

  private static FlushRequest refused(String id, String problem) {
    return new FlushRequest(id, List.of(), problem);
  }

  public boolean refused() {
    return problem != null;
  }
}
