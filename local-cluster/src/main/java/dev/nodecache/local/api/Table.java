package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Server-side printing: a list or an object as a {@code meta.k8s.io/v1 Table}, what {@code kubectl
 * get} asks for ({@code Accept: application/json;as=Table;...}) and prints. Each row carries the
 * object's metadata ({@code includeObject=Metadata}, the default), the whole object ({@code
 * Object}) or nothing ({@code None}).
 */
final class Table {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Table() {}

  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  static ObjectNode of(
      List<TableColumn> columns, List<JsonNode> items, String resourceVersion, String include) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode defs = table.putArray("columnDefinitions");
    for (TableColumn c : columns) {
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.format());
      d.put("description", "");
      d.put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (TableColumn c : columns) {
        Object v;
        try {
          v = c.cell().apply(item);
        } catch (RuntimeException e) {
          v = "<error>";
        }
        cells.add(JSON.valueToTree(v));
      }
      if ("None".equals(include)) {
        continue;
      }
      if ("Object".equals(include)) {
        row.set("object", item);
      } else {
        ObjectNode object = row.putObject("object");
        object.put("kind", "PartialObjectMetadata");
        object.put("apiVersion", "meta.k8s.io/v1");
        object.set("metadata", item.path("metadata"));
      }
    }
    return table;
  }
}
