package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The uniqueness the API server enforces for {@code x-kubernetes-list-type: set} (whole items) and
 * {@code map} (the {@code x-kubernetes-list-map-keys} of each item): the first repeat of each value
 * is reported as a duplicate.
 */
final class ListTypes {
  private ListTypes() {}

  static List<Cause> validate(SchemaNode root, JsonNode object) {
    List<Cause> causes = new ArrayList<>();
    walk(object, root, "", causes);
    return causes;
  }

  private static void walk(JsonNode v, SchemaNode s, String path, List<Cause> causes) {
    if (v == null || s == null) {
      return;
    }
    if (v.isObject()) {
      for (Map.Entry<String, JsonNode> field : v.properties()) {
        SchemaNode property = s.properties.get(field.getKey());
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        walk(field.getValue(), property != null ? property : s.additionalProperties, child, causes);
      }
    } else if (v.isArray()) {
      if ("set".equals(s.listType)) {
        duplicates(path, itemsOf(v), causes);
      } else if ("map".equals(s.listType)) {
        mapKeys(v, s, path, causes);
      }
      for (int i = 0; i < v.size(); i++) {
        walk(v.get(i), s.items, path + "[" + i + "]", causes);
      }
    }
  }

  private static void mapKeys(JsonNode list, SchemaNode s, String path, List<Cause> causes) {
    List<JsonNode> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject() && !item.isNull()) {
        causes.add(
            FieldErrors.invalid(
                path + "[" + i + "]",
                GoText.value(item),
                "must be an object for an array of list-type map"));
        return;
      }
      ObjectNode key = JsonNodeFactory.instance.objectNode();
      for (String name : s.listMapKeys) {
        if (item.has(name)) {
          key.set(name, item.get(name));
        }
      }
      keys.add(key);
    }
    duplicates(path, keys, causes);
  }

  private static List<JsonNode> itemsOf(JsonNode list) {
    List<JsonNode> items = new ArrayList<>();
    list.forEach(items::add);
    return items;
  }

  private static void duplicates(String path, List<JsonNode> values, List<Cause> causes) {
    Map<JsonNode, Integer> seen = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      if (seen.merge(values.get(i), 1, Integer::sum) == 2) {
        causes.add(FieldErrors.duplicate(path + "[" + i + "]", GoText.value(values.get(i))));
      }
    }
  }
}
