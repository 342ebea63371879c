package dev.nodecache.local.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) for the built-in kinds,
 * the subset kubectl sends: maps merged (null deletes), {@code $patch: replace|delete} on maps and
 * list items, {@code $retainKeys}, {@code $deleteFromPrimitiveList/F}, {@code $setElementOrder/F}
 * (accepted; the stored order is kept, new items appended); the lists the Kubernetes types merge by
 * key (containers, volumes, env, ports, volumeMounts, ...) merged by that key, finalizers merged as
 * a set, every other list replaced. The keys come from a table of field names rather than from each
 * type's Go struct tags.
 */
public final class StrategicMergePatch {
  /** patchMergeKey of the lists the built-in types merge, by field name. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("volumes", "name"),
          Map.entry("env", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("hostAliases", "ip"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("resourceClaims", "name"),
          Map.entry("addresses", "type"));

  /** Lists of primitives the types merge as sets (patchStrategy=merge). */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  private static final String DIRECTIVE = "$patch";

  private StrategicMergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      throw InvalidPatch.malformed("a strategic merge patch is a JSON object");
    }
    return mergeMap(
        target != null && target.isObject() ? (ObjectNode) target : null, (ObjectNode) patch);
  }

  private static JsonNode mergeMap(ObjectNode target, ObjectNode patch) {
    String directive = patch.path(DIRECTIVE).asText("");
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode result;
    if (directive.equals("replace")) {
      result = patch.deepCopy();
      result.remove(DIRECTIVE);
      return result;
    }
    result = target == null ? patch.objectNode() : target.deepCopy();
    List<String> names = new ArrayList<>();
    patch.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode value = patch.get(name);
      if (name.equals(DIRECTIVE) || name.startsWith("$setElementOrder/")) {
        continue;
      }
      if (name.equals("$retainKeys")) {
        continue; // applied after the merge, below
      }
      if (name.startsWith("$deleteFromPrimitiveList/")) {
        String field = name.substring("$deleteFromPrimitiveList/".length());
        if (result.get(field) instanceof ArrayNode list) {
          Set<JsonNode> drop = new HashSet<>();
          value.forEach(drop::add);
          ArrayNode kept = list.arrayNode();
          list.forEach(
              v -> {
                if (!drop.contains(v)) {
                  kept.add(v);
                }
              });
          result.set(field, kept);
        }
        continue;
      }
      if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject()) {
        JsonNode merged =
            mergeMap(result.get(name) instanceof ObjectNode o ? o : null, (ObjectNode) value);
        if (merged == null) {
          result.remove(name);
        } else {
          result.set(name, merged);
        }
      } else if (value.isArray()) {
        result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
      } else {
        result.set(name, value.deepCopy());
      }
    }
    if (patch.get("$retainKeys") instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      List<String> present = new ArrayList<>();
      result.fieldNames().forEachRemaining(present::add);
      present.stream().filter(k -> !keep.contains(k)).forEach(result::remove);
    }
    return result;
  }

  private static JsonNode mergeList(String field, JsonNode target, ArrayNode patch) {
    boolean replace = false;
    for (JsonNode item : patch) {
      replace |=
          item.isObject() && item.size() == 1 && "replace".equals(item.path(DIRECTIVE).asText());
    }
    ArrayNode current = target instanceof ArrayNode a ? a : patch.arrayNode();
    if (replace) {
      ArrayNode out = patch.arrayNode();
      patch.forEach(
          i -> {
            if (!(i.isObject() && i.has(DIRECTIVE))) {
              out.add(i.deepCopy());
            }
          });
      return out;
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      ArrayNode out = current.deepCopy();
      patch.forEach(
          v -> {
            if (!contains(out, v)) {
              out.add(v.deepCopy());
            }
          });
      return out;
    }
    String key = mergeKey(field, current, patch);
    if (key == null) {
      return patch.deepCopy();
    }
    ArrayNode out = current.deepCopy();
    for (JsonNode item : patch) {
      if (!item.isObject()) {
        continue;
      }
      JsonNode id = item.get(key);
      int at = indexOf(out, key, id);
      if ("delete".equals(item.path(DIRECTIVE).asText())) {
        if (at >= 0) {
          out.remove(at);
        }
      } else if (at >= 0) {
        out.set(at, mergeMap((ObjectNode) out.get(at), (ObjectNode) item));
      } else {
        JsonNode added = mergeMap(null, (ObjectNode) item);
        if (added != null) {
          out.add(added);
        }
      }
    }
    return out;
  }

  /** Ports merge by containerPort in a container and by port in a Service. */
  private static String mergeKey(String field, ArrayNode current, ArrayNode patch) {
    if (field.equals("ports")) {
      for (ArrayNode list : List.of(current, patch)) {
        for (JsonNode i : list) {
          if (i.has("containerPort")) {
            return "containerPort";
          }
          if (i.has("port")) {
            return "port";
          }
        }
      }
      return null;
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOf(ArrayNode list, String key, JsonNode id) {
    for (int i = 0; i < list.size(); i++) {
      if (id != null && id.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode list, JsonNode v) {
    for (JsonNode i : list) {
      if (i.equals(v)) {
        return true;
      }
    }
    return false;
  }
}
