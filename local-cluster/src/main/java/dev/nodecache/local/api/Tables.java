package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Server-side printing (meta.k8s.io Table) of custom resources with the CRD's printer columns,
 * as a real API server does for `kubectl get`; JSONPaths here are simple dotted paths.
 */
final class Tables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tables() {}

  static ObjectNode of(JsonNode listOrItem, List<CustomResourceColumnDefinition> columns) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata");
    ArrayNode defs = table.putArray("columnDefinitions");
    ObjectNode name = defs.addObject();
    name.put("name", "Name");
    name.put("type", "string");
    name.put("format", "name");
    name.put("priority", 0);
    for (CustomResourceColumnDefinition c : columns) {
      ObjectNode d = defs.addObject();
      d.put("name", c.getName());
      d.put("type", c.getType().equals("date") ? "string" : c.getType());
      d.put("priority", c.getPriority() == null ? 0 : c.getPriority());
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items = listOrItem.has("items") ? listOrItem.get("items")
        : JSON.createArrayNode().add(listOrItem);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition c : columns) {
        JsonNode v = at(item, c.getJsonPath());
        if (c.getType().equals("date")) {
          cells.add(v.isMissingNode() ? "<unknown>" : age(v.asText()));
        } else {
          cells.add(v.isMissingNode() || v.isNull() ? "" : v.asText());
        }
      }
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.path("metadata"));
    }
    return table;
  }

  /** Pods as kubectl prints them; IP and NODE are the wide (-o wide) columns. */
  static ObjectNode pods(JsonNode listOrItem) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata");
    ArrayNode defs = table.putArray("columnDefinitions");
    String[][] columns = {{"Name", "0"}, {"Ready", "0"}, {"Status", "0"}, {"Restarts", "0"},
        {"Age", "0"}, {"IP", "1"}, {"Node", "1"}};
    for (String[] c : columns) {
      ObjectNode d = defs.addObject();
      d.put("name", c[0]);
      d.put("type", "string");
      d.put("priority", Integer.parseInt(c[1]));
      if (c[0].equals("Name")) {
        d.put("format", "name");
      }
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items = listOrItem.has("items") ? listOrItem.get("items")
        : JSON.createArrayNode().add(listOrItem);
    for (JsonNode pod : items) {
      boolean ready = false;
      for (JsonNode c : pod.path("status").path("conditions")) {
        ready |= c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True");
      }
      ObjectNode row = rows.addObject();
      row.putArray("cells")
          .add(pod.path("metadata").path("name").asText())
          .add(ready ? "1/1" : "0/1")
          .add(pod.path("status").path("phase").asText("Pending"))
          .add("0")
          .add(age(pod.path("metadata").path("creationTimestamp").asText()))
          .add(pod.path("status").path("podIP").asText("<none>"))
          .add(pod.path("spec").path("nodeName").asText("<none>"));
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", pod.path("metadata"));
    }
    return table;
  }

  private static JsonNode at(JsonNode item, String jsonPath) {
    JsonNode n = item;
    for (String part : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  /** kubectl's age format: 5s, 3m, 2h, 4d. */
  static String age(String timestamp) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
      long s = Math.max(0, d.toSeconds());
      if (s < 120) {
        return s + "s";
      }
      if (s < 7200) {
        return s / 60 + "m";
      }
      if (s < 172800) {
        return s / 3600 + "h";
      }
      return s / 86400 + "d";
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }
}
