package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a server-side Table: its definition (name, type, priority: 0 always shown, 1 only
 * with -o wide) and how a cell is computed from an object.
 */
record TableColumn(
    String name, String type, String format, int priority, Function<JsonNode, Object> cell) {

  static TableColumn text(String name, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "string", "", 0, cell);
  }

  static TableColumn number(String name, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "integer", "", 0, cell);
  }

  static TableColumn wide(String name, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "string", "", 1, cell);
  }

  static TableColumn objectName() {
    return new TableColumn(
        "Name", "string", "name", 0, o -> o.path("metadata").path("name").asText());
  }

  static TableColumn age() {
    return text(
        "Age", o -> HumanDuration.since(o.path("metadata").path("creationTimestamp").asText()));
  }
}
