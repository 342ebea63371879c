package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRD's additionalPrinterColumns as the apiextensions server prints them: NAME first, then each
 * column (priority above 0 only with -o wide), date columns as ages; without any, NAME and AGE.
 */
final class CustomResourceColumns {
  private CustomResourceColumns() {}

  static List<TableColumn> of(ResourceKind kind) {
    List<TableColumn> columns = new ArrayList<>();
    columns.add(TableColumn.objectName());
    JsonNode defs =
        kind.crdVersion() == null ? null : kind.crdVersion().get("additionalPrinterColumns");
    if (defs == null || !defs.isArray()) {
      columns.add(TableColumn.age());
      return columns;
    }
    for (JsonNode d : defs) {
      String type = d.path("type").asText("string");
      String path = d.path("jsonPath").asText();
      columns.add(
          new TableColumn(
              d.path("name").asText(),
              type,
              d.path("format").asText(""),
              d.path("priority").asInt(0),
              o -> cell(o, path, type)));
    }
    return columns;
  }

  private static Object cell(JsonNode o, String path, String type) {
    List<JsonNode> values = PrinterColumnPath.evaluate(o, path);
    if (values.isEmpty()) {
      return type.equals("date") ? "<unknown>" : null;
    }
    if (type.equals("date")) {
      return HumanDuration.since(values.get(0).asText());
    }
    if (values.size() == 1) {
      JsonNode v = values.get(0);
      return switch (type) {
        case "integer" -> v.isNumber() ? v.asLong() : v.asText();
        case "number" -> v.isNumber() ? v.asDouble() : v.asText();
        case "boolean" -> v.isBoolean() ? v.asBoolean() : v.asText();
        default -> v.isValueNode() ? v.asText() : v.toString();
      };
    }
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(v.isValueNode() ? v.asText() : v.toString()));
    return String.join(",", parts);
  }
}
