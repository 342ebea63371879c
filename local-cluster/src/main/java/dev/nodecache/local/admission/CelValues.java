package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON values as CEL values, shaped by the schema as the API server shapes them: integers are
 * int64, numbers double, objects maps keyed by the escaped property names. Undeclared fields and
 * nulls are left out, so {@code has()} is false for them.
 */
final class CelValues {
  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private CelValues() {}

  static Object of(JsonNode v, SchemaNode s, boolean resourceRoot) {
    if (s == null || s.intOrString || s.type.isEmpty()) {
      return dynamic(v);
    }
    switch (s.type) {
      case "object" -> {
        return object(v, s, resourceRoot || s.embeddedResource);
      }
      case "array" -> {
        List<Object> items = new ArrayList<>();
        v.forEach(item -> items.add(item.isNull() ? null : of(item, s.items, false)));
        return items;
      }
      case "integer" -> {
        return v.asLong();
      }
      case "number" -> {
        return v.asDouble();
      }
      case "boolean" -> {
        return v.asBoolean();
      }
      case "string" -> {
        return v.asText();
      }
      default -> {
        return dynamic(v);
      }
    }
  }

  private static Map<String, Object> object(JsonNode v, SchemaNode s, boolean resource) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : v.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (s.isMap()) {
        out.put(name, of(value, s.additionalProperties, false));
      } else if (s.properties.containsKey(name)) {
        CelNames.escape(name)
            .ifPresent(escaped -> out.put(escaped, of(value, s.properties.get(name), false)));
      } else if (resource && RESOURCE_FIELDS.contains(name)) {
        out.put(name, name.equals("metadata") ? metadata(value) : value.asText());
      } else if (s.preserveUnknownFields && s.properties.isEmpty()) {
        out.put(name, dynamic(value));
      }
    }
    return out;
  }

  private static Map<String, Object> metadata(JsonNode metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String field : List.of("name", "generateName")) {
      if (metadata.hasNonNull(field)) {
        out.put(field, metadata.get(field).asText());
      }
    }
    return out;
  }

  /** Content without a schema: as JSON decodes. */
  private static Object dynamic(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    } else if (v.isIntegralNumber()) {
      return v.asLong();
    } else if (v.isNumber()) {
      return v.asDouble();
    } else if (v.isBoolean()) {
      return v.asBoolean();
    } else if (v.isArray()) {
      List<Object> items = new ArrayList<>();
      v.forEach(item -> items.add(item.isNull() ? NullValue.NULL_VALUE : dynamic(item)));
      return items;
    } else if (v.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      v.properties().forEach(e -> out.put(e.getKey(), dynamic(e.getValue())));
      return out;
    }
    return NullValue.NULL_VALUE;
  }
}
