package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One node of a CRD's structural schema (openAPIV3Schema), with what validation needs of it. */
final class SchemaNode {
  /** One x-kubernetes-validations entry. */
  record Rule(
      String rule,
      String message,
      String messageExpression,
      String reason,
      String fieldPath,
      boolean optionalOldSelf) {}

  final String type;
  final boolean nullable;
  final boolean intOrString;
  final boolean preserveUnknownFields;
  final boolean embeddedResource;
  final Map<String, SchemaNode> properties;
  final SchemaNode items;

  /** The schema of a map's values; null when the object has none. */
  final SchemaNode additionalProperties;

  final List<String> required;
  final List<JsonNode> enumValues;
  final String pattern;
  final Pattern compiledPattern;
  final Double minimum;
  final Double maximum;
  final boolean exclusiveMinimum;
  final boolean exclusiveMaximum;
  final Double multipleOf;
  final Long minLength;
  final Long maxLength;
  final Long minItems;
  final Long maxItems;
  final Long minProperties;
  final Long maxProperties;
  final String format;
  final JsonNode defaultValue;

  final String listType;
  final List<String> listMapKeys;
  final String mapType;
  final List<Rule> rules;

  private SchemaNode(JsonNode s) {
    type = s.path("type").asText("");
    nullable = s.path("nullable").asBoolean(false);
    intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
    preserveUnknownFields = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    embeddedResource = s.path("x-kubernetes-embedded-resource").asBoolean(false);
    Map<String, SchemaNode> props = new LinkedHashMap<>();
    s.path("properties").properties().forEach(e -> props.put(e.getKey(), parse(e.getValue())));
    properties = Collections.unmodifiableMap(props);
    items = s.path("items").isObject() ? parse(s.get("items")) : null;
    additionalProperties =
        s.path("additionalProperties").isObject() ? parse(s.get("additionalProperties")) : null;

    required = texts(s.path("required"));
    List<JsonNode> values = new ArrayList<>();
    s.path("enum").forEach(values::add);
    enumValues = List.copyOf(values);
    pattern = s.hasNonNull("pattern") ? s.get("pattern").asText() : null;
    compiledPattern = pattern == null ? null : Pattern.compile(pattern);
    minimum = number(s, "minimum");
    maximum = number(s, "maximum");
    exclusiveMinimum = s.path("exclusiveMinimum").asBoolean(false);
    exclusiveMaximum = s.path("exclusiveMaximum").asBoolean(false);
    multipleOf = number(s, "multipleOf");
    minLength = count(s, "minLength");
    maxLength = count(s, "maxLength");
    minItems = count(s, "minItems");
    maxItems = count(s, "maxItems");
    minProperties = count(s, "minProperties");
    maxProperties = count(s, "maxProperties");
    format = s.hasNonNull("format") ? s.get("format").asText() : null;
    defaultValue = s.has("default") ? s.get("default") : null;

    listType =
        s.hasNonNull("x-kubernetes-list-type") ? s.get("x-kubernetes-list-type").asText() : null;
    listMapKeys = texts(s.path("x-kubernetes-list-map-keys"));
    mapType =
        s.hasNonNull("x-kubernetes-map-type") ? s.get("x-kubernetes-map-type").asText() : null;
    List<Rule> parsed = new ArrayList<>();
    for (JsonNode r : s.path("x-kubernetes-validations")) {
      parsed.add(
          new Rule(
              r.path("rule").asText(""),
              text(r, "message"),
              text(r, "messageExpression"),
              text(r, "reason"),
              text(r, "fieldPath"),
              r.path("optionalOldSelf").asBoolean(false)));
    }
    rules = List.copyOf(parsed);
  }

  static SchemaNode parse(JsonNode schema) {
    return new SchemaNode(schema);
  }

  /** The type as the API server names it in messages: int-or-string has none. */
  String typeName() {
    return intOrString ? "" : type;
  }

  /** Whether this object is a map (additionalProperties) rather than a struct. */
  boolean isMap() {
    return additionalProperties != null;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static Double number(JsonNode n, String field) {
    return n.path(field).isNumber() ? n.get(field).asDouble() : null;
  }

  private static Long count(JsonNode n, String field) {
    return n.path(field).isNumber() ? n.get(field).asLong() : null;
  }
}
