package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Defaulting as the API server does it on create and update: nulls of non-nullable fields without a
 * default are dropped, then absent fields (and non-nullable nulls) get the schema's {@code
 * default}, which is itself defaulted further down.
 */
final class Defaults {
  private Defaults() {}

  static void apply(SchemaNode root, ObjectNode object) {
    dropNulls(object, root);
    fill(object, root);
  }

  private static void dropNulls(JsonNode value, SchemaNode schema) {
    if (value instanceof ObjectNode object) {
      for (String name : names(object)) {
        SchemaNode property = schema.properties.get(name);
        if (property == null) {
          property = schema.additionalProperties;
        }
        if (property == null) {
          continue;
        }
        JsonNode field = object.get(name);
        if (field.isNull() && !property.nullable && property.defaultValue == null) {
          object.remove(name);
        } else {
          dropNulls(field, property);
        }
      }
    } else if (value instanceof ArrayNode array && schema.items != null) {
      array.forEach(item -> dropNulls(item, schema.items));
    }
  }

  private static void fill(JsonNode value, SchemaNode schema) {
    if (value instanceof ObjectNode object) {
      schema.properties.forEach(
          (name, property) -> {
            if (property.defaultValue != null
                && (!object.has(name) || nonNullableNull(object.get(name), property))) {
              object.set(name, property.defaultValue.deepCopy());
            }
          });
      for (String name : names(object)) {
        SchemaNode property = schema.properties.get(name);
        if (property == null && schema.additionalProperties != null) {
          property = schema.additionalProperties;
          if (nonNullableNull(object.get(name), property)) {
            object.set(name, property.defaultValue.deepCopy());
          }
        }
        if (property != null) {
          fill(object.get(name), property);
        }
      }
    } else if (value instanceof ArrayNode array && schema.items != null) {
      for (int i = 0; i < array.size(); i++) {
        if (nonNullableNull(array.get(i), schema.items)) {
          array.set(i, schema.items.defaultValue.deepCopy());
        }
        fill(array.get(i), schema.items);
      }
    }
  }

  private static boolean nonNullableNull(JsonNode value, SchemaNode schema) {
    return value.isNull() && !schema.nullable && schema.defaultValue != null;
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
