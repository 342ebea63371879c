package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * All x-kubernetes-validations rules of a schema, compiled, and their evaluation over an object as
 * the API server does it: each rule once per value of its node, with {@code oldSelf} the correlated
 * old value on update (the same field, or the item with the same keys of a map-type list);
 * transition rules are skipped where there is no old value.
 */
final class CelRules {
  private final Map<SchemaNode, List<CelRule>> bySchema = new IdentityHashMap<>();
  private final List<CelRule> all = new ArrayList<>();

  private CelRules() {}

  static CelRules compile(SchemaNode root) {
    CelRules rules = new CelRules();
    rules.compile(root, "", "Object", true, new CelTypes());
    return rules;
  }

  private void compile(
      SchemaNode s, String location, String typeName, boolean root, CelTypes types) {
    if (!s.rules.isEmpty()) {
      List<CelRule> compiled = new ArrayList<>();
      for (SchemaNode.Rule rule : s.rules) {
        compiled.add(
            CelRule.compile(
                rule,
                location.isEmpty() ? "<root>" : location,
                types.of(s, typeName, root),
                types));
      }
      bySchema.put(s, compiled);
      all.addAll(compiled);
    }
    s.properties.forEach(
        (name, property) ->
            compile(
                property,
                location.isEmpty() ? name : location + "." + name,
                typeName + "." + name,
                false,
                types));
    if (s.items != null) {
      compile(s.items, location + "[*]", typeName + ".@idx", false, types);
    }
    if (s.additionalProperties != null) {
      compile(s.additionalProperties, location + "[*]", typeName + ".@elem", false, types);
    }
  }

  /** Every rule, in schema order. */
  List<CelRule> all() {
    return all;
  }

  List<Cause> validate(SchemaNode root, JsonNode object, JsonNode oldObject) {
    List<Cause> causes = new ArrayList<>();
    validate(object, oldObject, root, "", true, causes);
    return causes;
  }

  private void validate(
      JsonNode v, JsonNode old, SchemaNode s, String path, boolean root, List<Cause> causes) {
    if (v == null || v.isNull() || s == null) {
      return;
    }
    if (old != null && old.isNull()) {
      old = null;
    }
    List<CelRule> rules = bySchema.get(s);
    if (rules != null) {
      evaluate(rules, v, old, s, path, root, causes);
    }
    if (v.isObject()) {
      boolean correlated = old != null && old.isObject() && !"atomic".equals(s.mapType);
      for (Map.Entry<String, JsonNode> field : v.properties()) {
        String name = field.getKey();
        SchemaNode child = s.isMap() ? s.additionalProperties : s.properties.get(name);
        String childPath =
            s.isMap() ? path + "[" + name + "]" : path.isEmpty() ? name : path + "." + name;
        validate(
            field.getValue(), correlated ? old.get(name) : null, child, childPath, false, causes);
      }
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        validate(
            v.get(i), sameKeys(old, v.get(i), s), s.items, path + "[" + i + "]", false, causes);
      }
    }
  }

  /** The old item of a map-type list with the same keys; other lists do not correlate. */
  private static JsonNode sameKeys(JsonNode oldList, JsonNode item, SchemaNode list) {
    if (oldList == null || !oldList.isArray() || !"map".equals(list.listType) || !item.isObject()) {
      return null;
    }
    for (JsonNode candidate : oldList) {
      if (candidate.isObject()
          && list.listMapKeys.stream().allMatch(k -> item.path(k).equals(candidate.path(k)))) {
        return candidate;
      }
    }
    return null;
  }

  private static void evaluate(
      List<CelRule> rules,
      JsonNode v,
      JsonNode old,
      SchemaNode s,
      String path,
      boolean root,
      List<Cause> causes) {
    String type = GoText.quote(s.typeName());
    Object self = CelValues.of(v, s, root);
    Object oldSelf = old == null ? null : CelValues.of(old, s, root);
    for (CelRule rule : rules) {
      if (rule.compileError != null) {
        causes.add(FieldErrors.invalid(path, type, "rule compile error: " + rule.compileError));
        continue;
      }
      if (rule.usesOldSelf && oldSelf == null && !rule.source.optionalOldSelf()) {
        continue;
      }
      CelRule.Outcome outcome = rule.evaluate(self, oldSelf);
      if (outcome.error() != null) {
        causes.add(
            FieldErrors.invalid(path, type, outcome.error() + " evaluating rule: " + rule.name()));
      } else if (!outcome.passed()) {
        String detail = rule.message(self, oldSelf);
        causes.add(
            failure(
                withFieldPath(path, rule.source.fieldPath()), type, detail, rule.source.reason()));
      }
    }
  }

  private static String withFieldPath(String path, String fieldPath) {
    if (fieldPath == null || fieldPath.isBlank()) {
      return path;
    }
    String relative = fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath;
    return path.isEmpty() ? relative : path + "." + relative;
  }

  private static Cause failure(String path, String type, String detail, String reason) {
    if (reason == null) {
      return FieldErrors.invalid(path, type, detail);
    }
    return switch (reason) {
      case "FieldValueForbidden" -> FieldErrors.forbidden(path, detail);
      case "FieldValueRequired" -> FieldErrors.required(path, detail);
      case "FieldValueDuplicate" -> FieldErrors.duplicate(path, type);
      default -> FieldErrors.invalid(path, type, detail);
    };
  }
}
