package dev.nodecache.operator.invalidation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One message of the stream, as a WebSocket text message or the body of {@code POST /invalidate}
 * (README, "Invalidation"): the stream, the batches it carries (after+1..to), their names, and when
 * the operator saw the oldest change.
 */
final class InvalidationRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InvalidationRequest() {}

  static String json(String stream, long after, long to, List<String> names, long changedAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("stream", stream);
    body.put("after", after);
    body.put("to", to);
    var list = body.putArray("names");
    names.forEach(list::add);
    body.put("changedAt", changedAt);
    return body.toString();
  }
}
