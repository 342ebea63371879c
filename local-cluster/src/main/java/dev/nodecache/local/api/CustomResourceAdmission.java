package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.local.admission.Cause;
import dev.nodecache.local.admission.CustomResourceValidator;
import dev.nodecache.local.admission.InvalidObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the apiextensions server does to a custom resource on its way to storage, in its order:
 * unknown fields refused ({@code fieldValidation=Strict}, kubectl's default), dropped with a
 * warning ({@code Warn}, the server's default) or dropped silently ({@code Ignore}); defaults; the
 * CRD's schema and CEL rules (a 422 Invalid Status naming each field).
 */
final class CustomResourceAdmission {
  private final Map<String, CustomResourceValidator> validators = new ConcurrentHashMap<>();

  /**
   * Admits {@code object} (changed in place: pruned, defaulted) or throws ApiError; returns the
   * warnings for the response. {@code old} is the stored object on update, null on create.
   */
  List<String> admit(ResourceKind kind, ObjectNode object, JsonNode old, String fieldValidation) {
    CustomResourceValidator validator = validator(kind);
    List<String> warnings = new ArrayList<>();
    List<String> unknown = validator.prune(object);
    if (!unknown.isEmpty()) {
      String mode = fieldValidation == null || fieldValidation.isEmpty() ? "Warn" : fieldValidation;
      switch (mode) {
        case "Strict" -> {
          List<String> each = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
          throw ApiError.badRequest(
              kind.kind()
                  + " in version \""
                  + kind.version()
                  + "\" cannot be handled as a "
                  + kind.kind()
                  + ": strict decoding error: "
                  + String.join(", ", each));
        }
        case "Warn" -> unknown.forEach(f -> warnings.add("unknown field \"" + f + "\""));
        case "Ignore" -> {}
        default ->
            throw ApiError.badRequest(
                "fieldValidation: Invalid value: \""
                    + mode
                    + "\": fieldValidation must be one of"
                    + " \"Ignore\", \"Warn\", or \"Strict\"");
      }
    }
    validator.applyDefaults(object);
    List<Cause> causes = validator.validate(object, old);
    if (!causes.isEmpty()) {
      ObjectNode status =
          InvalidObject.status(
              kind.kind(), kind.group(), object.path("metadata").path("name").asText(), causes);
      throw new ApiError(422, status);
    }
    return warnings;
  }

  private CustomResourceValidator validator(ResourceKind kind) {
    JsonNode crd = kind.crd();
    String key =
        crd.path("metadata").path("name").asText()
            + "@"
            + crd.path("metadata").path("resourceVersion").asText();
    if (validators.size() > 64) {
      validators.clear();
    }
    return validators.computeIfAbsent(key, k -> CustomResourceValidator.of(crd));
  }
}
