package dev.nodecache.agent.admin;

import dev.nodecache.agent.invalidation.InvalidationStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /invalidate} (or one message of its WebSocket), checked: a malformed one
 * is refused whole (400).
 */
record InvalidationMessage(String stream, long after, long to, List<String> names, long changedAt) {
  private static final int MAX_NAMES = 100_000;
  static final String NOT_CONFIGURED =
      "invalidation is not configured on this agent (no invalidation.zones)";

  static InvalidationMessage parse(Map<String, Object> body) {
    String stream = body.get("stream") instanceof String s ? s : "";
    if (stream.isEmpty() || stream.length() > 128) {
      throw new IllegalArgumentException("stream: 1 to 128 characters required");
    }
    long after = number(body, "after");
    long to = number(body, "to");
    if (after > to) {
      throw new IllegalArgumentException("after (" + after + ") is past to (" + to + ")");
    }
    if (!(body.get("names") instanceof List<?> list)) {
      throw new IllegalArgumentException("names must be a list");
    }
    if (list.size() > MAX_NAMES) {
      throw new IllegalArgumentException("at most " + MAX_NAMES + " names in one message");
    }
    List<String> names = new ArrayList<>(list.size());
    for (Object n : list) {
      if (!(n instanceof String name)) {
        throw new IllegalArgumentException("names must be strings");
      }
      names.add(FlushNames.normalize(name));
    }
    long changedAt = body.get("changedAt") instanceof Long at ? at : 0;
    return new InvalidationMessage(stream, after, to, List.copyOf(names), changedAt);
  }

  InvalidationStream.Reply applyTo(InvalidationStream stream) {
    return stream.apply(stream(), after(), to(), names(), changedAt());
  }

  /** The reply's JSON fields. */
  static Map<String, Object> reply(InvalidationStream.Reply r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stream", r.stream());
    out.put("applied", r.applied());
    out.put("removed", r.removed());
    out.put("resynced", r.resynced());
    out.put("reason", r.reason());
    return out;
  }

  private static long number(Map<String, Object> body, String field) {
    if (!(body.get(field) instanceof Long n) || n < 0) {
      throw new IllegalArgumentException(field + ": a whole number >= 0 required");
    }
    return n;
  }
}
