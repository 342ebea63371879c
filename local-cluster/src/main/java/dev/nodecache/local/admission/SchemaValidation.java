package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI part of admission, as kube-openapi validates a custom resource and the API server
 * words it: type, nullable, enum, pattern, bounds, lengths, item and property counts, required,
 * simple formats. Each value is checked by the validators that apply to its JSON kind, in the API
 * server's order (type, string, format, number, array, enum, object).
 */
final class SchemaValidation {
  private final List<Cause> causes = new ArrayList<>();

  private SchemaValidation() {}

  static List<Cause> validate(SchemaNode root, JsonNode object) {
    SchemaValidation v = new SchemaValidation();
    v.value(object, root, "");
    return v.causes;
  }

  private void value(JsonNode v, SchemaNode s, String path) {
    if (v == null || v.isNull()) {
      if (!s.nullable && !s.type.isEmpty() && !s.intOrString) {
        causes.add(typeError(path, s, "null"));
      }
      enumeration(v, s, path);
      return;
    }
    String kind = kind(v);
    if (!typeMatches(s, v, kind)) {
      causes.add(typeError(path, s, kind));
      return;
    }
    if (v.isTextual()) {
      string(v.asText(), s, path);
      format(v.asText(), s, path);
    } else if (v.isNumber()) {
      number(v, s, path);
    } else if (v.isArray()) {
      array(v, s, path);
    }
    enumeration(v, s, path);
    if (v.isObject()) {
      object(v, s, path);
    }
  }

  private static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    } else if (v.isIntegralNumber()) {
      return "integer";
    } else if (v.isNumber()) {
      return "number";
    } else if (v.isBoolean()) {
      return "boolean";
    } else if (v.isArray()) {
      return "array";
    }
    return "object";
  }

  private static boolean typeMatches(SchemaNode s, JsonNode v, String kind) {
    if (s.intOrString) {
      return kind.equals("integer")
          || kind.equals("string")
          || (kind.equals("number") && integral(v));
    }
    return s.type.isEmpty()
        || s.type.equals(kind)
        || (s.type.equals("number") && kind.equals("integer"))
        || (s.type.equals("integer") && kind.equals("number") && integral(v));
  }

  private static boolean integral(JsonNode v) {
    return v.asDouble() == Math.rint(v.asDouble());
  }

  private static Cause typeError(String path, SchemaNode s, String kind) {
    String expected = s.intOrString ? "integer,string" : s.type;
    return FieldErrors.typeInvalid(
        path,
        GoText.quote(kind),
        path + " in body must be of type " + expected + ": " + GoText.quote(kind));
  }

  private void string(String text, SchemaNode s, String path) {
    long length = text.codePointCount(0, text.length());
    if (s.maxLength != null && length > s.maxLength) {
      causes.add(FieldErrors.tooLong(path, s.maxLength));
    } else if (s.minLength != null && length < s.minLength) {
      causes.add(
          FieldErrors.invalid(
              path,
              GoText.quote(text),
              path + " in body should be at least " + s.minLength + " chars long"));
    } else if (s.compiledPattern != null && !s.compiledPattern.matcher(text).find()) {
      // Go's regexp matches anywhere in the string, as find() does: anchors are the schema's.
      causes.add(
          FieldErrors.invalid(
              path, GoText.quote(text), path + " in body should match '" + s.pattern + "'"));
    }
  }

  private void format(String text, SchemaNode s, String path) {
    if (s.format == null || validFormat(s.format, text)) {
      return;
    }
    causes.add(
        FieldErrors.typeInvalid(
            path,
            GoText.quote(text),
            path + " in body must be of type " + s.format + ": " + GoText.quote(text)));
  }

  /** The formats simple enough to check here; others pass, as unknown formats do. */
  private static boolean validFormat(String format, String text) {
    try {
      switch (format) {
        case "date-time", "datetime" -> OffsetDateTime.parse(text);
        case "date" -> LocalDate.parse(text);
        case "byte" -> Base64.getDecoder().decode(text);
        default -> {
          return true;
        }
      }
      return true;
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return false;
    }
  }

  private void number(JsonNode v, SchemaNode s, String path) {
    // Integers are compared and printed as int64, other numbers as float64, as the API server
    // decodes them.
    boolean integer = v.isIntegralNumber();
    String value = integer ? v.bigIntegerValue().toString() : GoText.number(v.asDouble());
    double d = v.asDouble();
    if (s.multipleOf != null && s.multipleOf != 0 && d % s.multipleOf != 0) {
      causes.add(
          FieldErrors.invalid(
              path,
              value,
              path + " in body should be a multiple of " + bound(s.multipleOf, integer)));
    }
    if (s.minimum != null && (s.exclusiveMinimum ? d <= s.minimum : d < s.minimum)) {
      causes.add(
          FieldErrors.invalid(
              path,
              value,
              path
                  + " in body should be greater than "
                  + (s.exclusiveMinimum ? "" : "or equal to ")
                  + bound(s.minimum, integer)));
    }
    if (s.maximum != null && (s.exclusiveMaximum ? d >= s.maximum : d > s.maximum)) {
      causes.add(
          FieldErrors.invalid(
              path,
              value,
              path
                  + " in body should be less than "
                  + (s.exclusiveMaximum ? "" : "or equal to ")
                  + bound(s.maximum, integer)));
    }
  }

  private static String bound(double bound, boolean integer) {
    return integer ? Long.toString((long) bound) : GoText.number(bound);
  }

  private void array(JsonNode v, SchemaNode s, String path) {
    if (s.items != null) {
      for (int i = 0; i < v.size(); i++) {
        value(v.get(i), s.items, path + "[" + i + "]");
      }
    }
    if (s.minItems != null && v.size() < s.minItems) {
      causes.add(
          FieldErrors.invalid(
              path,
              GoText.integer(v.size()),
              path + " in body should have at least " + s.minItems + " items"));
    }
    if (s.maxItems != null && v.size() > s.maxItems) {
      causes.add(FieldErrors.tooMany(path, v.size(), s.maxItems));
    }
  }

  private void enumeration(JsonNode v, SchemaNode s, String path) {
    if (s.enumValues.isEmpty() || s.enumValues.stream().anyMatch(e -> sameValue(e, v))) {
      return;
    }
    List<String> supported = new ArrayList<>();
    s.enumValues.forEach(e -> supported.add(e.isTextual() ? e.asText() : e.toString()));
    causes.add(FieldErrors.notSupported(path, GoText.value(v), supported));
  }

  private static boolean sameValue(JsonNode allowed, JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (allowed.isNumber() && v.isNumber()) {
      return allowed.asDouble() == v.asDouble();
    }
    return allowed.equals(v);
  }

  private void object(JsonNode v, SchemaNode s, String path) {
    if (s.minProperties != null && v.size() < s.minProperties) {
      causes.add(
          FieldErrors.invalid(
              path,
              GoText.integer(v.size()),
              path + " in body should have at least " + s.minProperties + " properties"));
      return;
    }
    if (s.maxProperties != null && v.size() > s.maxProperties) {
      causes.add(FieldErrors.tooMany(path, v.size(), s.maxProperties));
      return;
    }
    if (s.additionalProperties != null) {
      for (Map.Entry<String, JsonNode> field : v.properties()) {
        if (!s.properties.containsKey(field.getKey())) {
          value(field.getValue(), s.additionalProperties, child(path, field.getKey()));
        }
      }
    }
    s.properties.forEach(
        (name, property) -> {
          if (v.has(name)) {
            value(v.get(name), property, child(path, name));
          }
        });
    for (String name : s.required) {
      if (!v.has(name)) {
        causes.add(FieldErrors.required(child(path, name), ""));
      }
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
