package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The answer to an object that failed admission: the API server's 422 Status, reason Invalid. */
public final class InvalidObject {
  private InvalidObject() {}

  /** The 422 Status body a real API server returns. */
  public static ObjectNode status(String kind, String group, String name, List<Cause> causes) {
    String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put(
        "message",
        qualifiedKind
            + " "
            + GoText.quote(name)
            + " is invalid"
            + (causes.isEmpty() ? "" : ": " + aggregate(causes)));
    status.put("reason", "Invalid");
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    ArrayNode list = details.putArray("causes");
    for (Cause cause : causes) {
      ObjectNode c = list.addObject();
      c.put("reason", cause.reason());
      c.put("message", cause.message());
      c.put("field", cause.field());
    }
    status.put("code", 422);
    return status;
  }

  /** As the API server joins field errors: repeats once, several in brackets. */
  static String aggregate(List<Cause> causes) {
    Set<String> distinct = new LinkedHashSet<>();
    causes.forEach(c -> distinct.add(c.toString()));
    return distinct.size() == 1
        ? distinct.iterator().next()
        : "[" + String.join(", ", distinct) + "]";
  }
}
