package dev.nodecache.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /invalidate}, checked: a malformed one is refused whole (400). */
record InvalidationMessage(String stream, long after, long to, List<String> names, long changedAt) {
  private static final int MAX_NAMES = 100_000;

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

  private static long number(JsonNode body, String field) {
    JsonNode n = body.path(field);
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
      throw new IllegalArgumentException(field + ": a whole number >= 0 required");
    }
    return n.asLong();
  }
}
