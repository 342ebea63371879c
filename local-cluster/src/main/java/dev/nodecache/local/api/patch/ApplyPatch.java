package dev.nodecache.local.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side apply ({@code application/apply-patch+yaml}) without field ownership: the applied
 * configuration creates the object, or is merged into it (maps merged; lists replaced, or merged by
 * key for the built-in kinds), and the fields this field manager applied last time but no longer
 * does are removed. What it leaves out: managedFields, conflicts between managers (409) and {@code
 * force}; a field another manager changed since is still removed when this manager drops it.
 */
public final class ApplyPatch {
  private ApplyPatch() {}

  /**
   * @param stored the object as stored, null to create it
   * @param previous what the same field manager applied last time, or null
   */
  public static JsonNode apply(
      JsonNode stored, JsonNode applied, JsonNode previous, boolean builtIn) {
    if (!applied.isObject()) {
      throw InvalidPatch.malformed("an apply configuration is an object");
    }
    if (stored == null) {
      return applied.deepCopy();
    }
    ObjectNode result = stored.deepCopy();
    if (previous instanceof ObjectNode p) {
      dropUnapplied(result, p, (ObjectNode) applied);
    }
    return builtIn ? StrategicMergePatch.apply(result, applied) : MergePatch.apply(result, applied);
  }

  private static void dropUnapplied(ObjectNode result, ObjectNode previous, ObjectNode applied) {
    List<String> names = new ArrayList<>();
    previous.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode now = applied.get(name);
      if (now == null) {
        result.remove(name);
      } else if (now.isObject()
          && previous.get(name).isObject()
          && result.get(name) instanceof ObjectNode child) {
        dropUnapplied(child, (ObjectNode) previous.get(name), (ObjectNode) now);
      }
    }
  }
}
