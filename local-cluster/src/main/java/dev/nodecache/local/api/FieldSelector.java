package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code fieldSelector} query parameter: {@code field=value}, {@code field==value} or {@code
 * field!=value}, comma-separated, over the fields the API server indexes for the kind (every kind:
 * metadata.name and metadata.namespace; events: involvedObject.*, reason, type, source; pods:
 * spec.nodeName, status.phase, ...). Any other field is refused, as the API server refuses it.
 */
final class FieldSelector {
  private static final Set<String> EVERY_KIND = Set.of("metadata.name", "metadata.namespace");
  private static final Map<String, Set<String>> BY_KIND =
      Map.of(
          "Event",
          Set.of(
              "involvedObject.kind",
              "involvedObject.namespace",
              "involvedObject.name",
              "involvedObject.uid",
              "involvedObject.apiVersion",
              "involvedObject.resourceVersion",
              "involvedObject.fieldPath",
              "reason",
              "reportingComponent",
              "source",
              "type"),
          "Pod",
          Set.of(
              "spec.nodeName",
              "spec.restartPolicy",
              "spec.schedulerName",
              "spec.serviceAccountName",
              "spec.hostNetwork",
              "status.phase",
              "status.podIP",
              "status.nominatedNodeName"),
          "Secret",
          Set.of("type"),
          "Node",
          Set.of("spec.unschedulable"),
          "Namespace",
          Set.of("status.phase"));

  private FieldSelector() {}

  static Predicate<JsonNode> parse(String selector, ResourceKind kind) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> all = new ArrayList<>();
    for (String requirement : selector.split(",")) {
      String r = requirement.trim();
      boolean equal = !r.contains("!=");
      String[] kv = r.split("!=|==|=", 2);
      if (kv.length != 2) {
        throw ApiError.badRequest(
            "invalid selector: '" + selector + "'; can't understand '" + r + "'");
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      if (!EVERY_KIND.contains(field)
          && !BY_KIND.getOrDefault(kind.kind(), Set.of()).contains(field)) {
        throw ApiError.badRequest("field label not supported: " + field);
      }
      all.add(o -> value(o, field).equals(value) == equal);
    }
    return o -> all.stream().allMatch(p -> p.test(o));
  }

  /** A field's value as the API server indexes it: missing is "", source is its component. */
  private static String value(JsonNode o, String field) {
    if (field.equals("source")) {
      return o.path("source").path("component").asText(o.path("reportingComponent").asText(""));
    }
    JsonNode n = o;
    for (String part : field.split("\\.")) {
      n = n.path(part);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }
}
