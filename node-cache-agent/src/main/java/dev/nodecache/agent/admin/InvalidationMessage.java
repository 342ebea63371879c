package dev.nodecache.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
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

  static InvalidationMessage parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    String stream = body.path("stream").asText("");
    if (stream.isEmpty() || stream.length() > 128) {
      throw new IllegalArgumentException("stream: 1 to 128 characters required");
    }
    long after = number(body, "after");
    long to = number(body, "to");
    if (after > to) {
      throw new IllegalArgumentException("after (" + after + ") is past to (" + to + ")");
    }
    JsonNode list = body.path("names");
    if (!list.isArray()) {
      throw new IllegalArgumentException("names must be a list");
    }
    if (list.size() > MAX_NAMES) {
      throw new IllegalArgumentException("at most " + MAX_NAMES + " names in one message");
    }
    List<String> names = new ArrayList<>(list.size());
    for (JsonNode n : list) {
      if (!n.isTextual()) {
        throw new IllegalArgumentException("names must be strings");
      }
      names.add(FlushNames.normalize(n.asText()));
    }
    long changedAt = body.path("changedAt").asLong(0);
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

  private static long number(JsonNode body, String field) {
    JsonNode n = body.path(field);
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
      throw new IllegalArgumentException(field + ": a whole number >= 0 required");
    }
    return n.asLong();
  }
}
