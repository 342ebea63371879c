package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nodecache.local.api.patch.ApplyPatch;
import dev.nodecache.local.api.patch.InvalidPatch;
import dev.nodecache.local.api.patch.JsonPatch;
import dev.nodecache.local.api.patch.MergePatch;
import dev.nodecache.local.api.patch.StrategicMergePatch;
import java.io.IOException;
import java.util.List;

/**
 * One PATCH as the API server reads it: its type (the Content-Type; strategic merge patch is
 * refused with 415 for a custom resource, as the apiextensions server refuses it), the patch
 * document, the field manager (required for server-side apply), and the resourceVersion it may
 * carry as a precondition. Applied to the stored object, it keeps what only the server sets.
 */
final class PatchRequest {
  static final String SMP = "application/strategic-merge-patch+json";
  static final String MERGE = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String APPLY = "application/apply-patch+yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> SERVER_FIELDS =
      List.of(
          "namespace",
          "uid",
          "creationTimestamp",
          "generation",
          "resourceVersion",
          "deletionTimestamp",
          "managedFields");

  private final String type;
  private final JsonNode document;
  private final String manager;

  private PatchRequest(String type, JsonNode document, String manager) {
    this.type = type;
    this.document = document;
    this.manager = manager;
  }

  static PatchRequest of(ResourceKind kind, String contentType, byte[] body, String manager) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
    String accepted = JSON_PATCH + ", " + MERGE + ", " + APPLY;
    if (type.equals(SMP) && kind.custom()) {
      throw ApiError.unsupportedMediaType(accepted);
    }
    if (!List.of(SMP, MERGE, JSON_PATCH, APPLY).contains(type)) {
      throw ApiError.unsupportedMediaType(accepted + (kind.custom() ? "" : ", " + SMP));
    }
    if (type.equals(APPLY) && manager.isEmpty()) {
      throw ApiError.of(
          422,
          "Invalid",
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
              + " for apply patch");
    }
    JsonNode document;
    try {
      document = type.equals(APPLY) ? YAML.readTree(body) : JSON.readTree(body);
    } catch (IOException e) {
      throw ApiError.badRequest("error decoding patch: " + e.getMessage());
    }
    if (type.equals(APPLY) && !document.isObject()) {
      throw ApiError.badRequest("an apply configuration is an object");
    }
    return new PatchRequest(type, document, manager);
  }

  boolean isApply() {
    return type.equals(APPLY);
  }

  JsonNode document() {
    return document;
  }

  String manager() {
    return manager;
  }

  /** The resourceVersion the patch requires the stored object to have, or "". */
  String resourceVersion() {
    return document.isObject() ? document.path("metadata").path("resourceVersion").asText("") : "";
  }

  /**
   * The patched object. {@code previous} is what the same field manager applied last (for
   * server-side apply). Identity and the fields only the server sets are the stored ones.
   */
  ObjectNode applyTo(ResourceKind kind, ObjectNode stored, JsonNode previous) {
    JsonNode patched;
    try {
      patched =
          switch (type) {
            case MERGE -> MergePatch.apply(stored, document);
            case JSON_PATCH -> JsonPatch.apply(stored, document);
            case SMP -> StrategicMergePatch.apply(stored, document);
            default -> ApplyPatch.apply(stored, document, previous, !kind.custom());
          };
    } catch (InvalidPatch e) {
      throw ApiError.of(e.code(), e.code() == 422 ? "Invalid" : "BadRequest", e.getMessage());
    }
    if (!(patched instanceof ObjectNode object)) {
      throw ApiError.badRequest("the patched object is not a JSON object");
    }
    object.put("apiVersion", kind.apiVersion());
    object.put("kind", kind.kind());
    ObjectNode was = WritePath.metadata(stored);
    ObjectNode now = WritePath.metadata(object);
    if (!now.path("name").asText().equals(was.path("name").asText())) {
      throw ApiError.badRequest(
          "metadata.name: Invalid value: \""
              + now.path("name").asText()
              + "\": field is immutable");
    }
    for (String field : SERVER_FIELDS) {
      if (was.hasNonNull(field)) {
        now.set(field, was.get(field));
      } else {
        now.remove(field);
      }
    }
    return object;
  }
}
