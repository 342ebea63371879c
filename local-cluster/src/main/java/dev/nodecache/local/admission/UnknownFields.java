package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pruning as the API server does it: fields the structural schema does not declare are dropped,
 * except under {@code x-kubernetes-preserve-unknown-fields}, and except apiVersion, kind and
 * metadata of the resource and of embedded resources.
 */
final class UnknownFields {
  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private UnknownFields() {}

  /** Prunes {@code object} in place; returns the paths removed, e.g. "spec.cache.maxTTL". */
  static List<String> prune(SchemaNode root, ObjectNode object) {
    List<String> pruned = new ArrayList<>();
    pruneObject(object, root, true, "", pruned);
    return pruned;
  }

  private static void prune(JsonNode value, SchemaNode schema, String path, List<String> pruned) {
    if (value instanceof ObjectNode object) {
      pruneObject(object, schema, schema.embeddedResource, path, pruned);
    } else if (value.isArray() && schema.items != null) {
      for (int i = 0; i < value.size(); i++) {
        prune(value.get(i), schema.items, path + "[" + i + "]", pruned);
      }
    }
  }

  private static void pruneObject(
      ObjectNode object, SchemaNode schema, boolean resource, String path, List<String> pruned) {
    for (String name : names(object)) {
      String child = path.isEmpty() ? name : path + "." + name;
      SchemaNode property = schema.properties.get(name);
      if (resource && RESOURCE_FIELDS.contains(name)) {
        continue;
      } else if (property != null) {
        prune(object.get(name), property, child, pruned);
      } else if (schema.additionalProperties != null) {
        prune(object.get(name), schema.additionalProperties, child, pruned);
      } else if (!schema.preserveUnknownFields) {
        object.remove(name);
        pruned.add(child);
      }
    }
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
