package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * OpenAPI v3 as kubectl reads it: /openapi/v3 lists one document per group-version. A custom
 * resource's document is built as the apiextensions server builds it: the CRD version's
 * openAPIV3Schema as {@code components/schemas/<reversed group>.<version>.<Kind>} (with apiVersion,
 * kind and metadata added, and {@code x-kubernetes-group-version-kind}), its List, and paths whose
 * request bodies and responses refer to them; so {@code kubectl explain} works and {@code kubectl
 * apply} computes a JSON merge patch for it (no strategic-merge-patch+json among the PATCH content
 * types). A built-in group-version gets paths only: each with its group-version-kind and the
 * fieldValidation parameter, so that kubectl leaves validation to the server, but no schemas (so
 * {@code kubectl explain pod} is not served here).
 */
final class OpenApiDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  private final ServedKinds kinds;
  private final Discovery discovery;

  OpenApiDocuments(ServedKinds kinds, Discovery discovery) {
    this.kinds = kinds;
    this.discovery = discovery;
  }

  ObjectNode root() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    for (String gv : discovery.groupVersionPaths()) {
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv);
    }
    return root;
  }

  /** The document of "api/v1" or "apis/GROUP/VERSION", or null if not served. */
  ObjectNode groupVersion(String groupVersionPath) {
    List<ResourceKind> served =
        kinds.all().stream().filter(k -> k.groupVersionPath().equals(groupVersionPath)).toList();
    if (served.isEmpty()) {
      return null;
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0-nodecache-local");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ResourceKind k : served) {
      String schema = k.custom() ? schemaName(k) : null;
      if (schema != null) {
        addSchemas(schemas, k, schema);
      }
      String base =
          "/" + groupVersionPath + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
      ObjectNode collection = paths.putObject(base);
      operation(collection, "get", k, "list", null, schema == null ? null : schema + "List");
      operation(
          collection, "post", k, "post", List.of("application/json", "application/yaml"), schema);
      ObjectNode item = paths.putObject(base + "/{name}");
      operation(item, "get", k, "get", null, schema);
      operation(item, "put", k, "put", List.of("application/json", "application/yaml"), schema);
      operation(item, "patch", k, "patch", patchTypes(k), schema);
      operation(item, "delete", k, "delete", null, null);
      if (k.statusSubresource()) {
        ObjectNode status = paths.putObject(base + "/{name}/status");
        operation(status, "get", k, "get", null, schema);
        operation(status, "put", k, "put", List.of("application/json", "application/yaml"), schema);
        operation(status, "patch", k, "patch", patchTypes(k), schema);
      }
    }
    if (!schemas.isEmpty()) {
      addMetaSchemas(schemas);
    }
    return doc;
  }

  /** "dev.nodecache.v1alpha1.DnsCachePolicy": the group reversed, as the API server names it. */
  static String schemaName(ResourceKind k) {
    List<String> parts = new java.util.ArrayList<>(List.of(k.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + k.version() + "." + k.kind();
  }

  private static List<String> patchTypes(ResourceKind k) {
    return k.custom()
        ? List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json")
        : null; // no request body: kubectl computes a strategic merge patch from its own types
  }

  private void operation(
      ObjectNode path,
      String verb,
      ResourceKind k,
      String action,
      List<String> requestTypes,
      String schema) {
    ObjectNode op = path.putObject(verb);
    op.put("operationId", verb + k.kind());
    op.put("x-kubernetes-action", action);
    ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", k.group());
    gvk.put("version", k.version());
    gvk.put("kind", k.kind());
    ArrayNode params = op.putArray("parameters");
    if (!verb.equals("get") && !verb.equals("delete")) {
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
        ObjectNode p = params.addObject();
        p.put("name", name);
        p.put("in", "query");
        p.put("uniqueItems", true);
        p.putObject("schema").put("type", "string");
      }
    }
    if (requestTypes != null && (k.custom() || !verb.equals("patch"))) {
      ObjectNode body = op.putObject("requestBody");
      body.put("required", true);
      ObjectNode content = body.putObject("content");
      for (String type : requestTypes) {
        ObjectNode s = content.putObject(type).putObject("schema");
        if (verb.equals("patch")) {
          s.put("$ref", "#/components/schemas/" + META + "Patch");
        } else if (schema != null) {
          s.put("$ref", "#/components/schemas/" + schema);
        } else {
          s.put("type", "object");
        }
      }
    }
    ObjectNode ok = op.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (schema != null) {
      ok.putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", "#/components/schemas/" + schema);
    }
  }

  private static void addSchemas(ObjectNode schemas, ResourceKind k, String name) {
    JsonNode version = k.crdVersion();
    JsonNode given = version == null ? null : version.path("schema").path("openAPIV3Schema");
    ObjectNode s =
        given != null && given.isObject() ? (ObjectNode) given.deepCopy() : JSON.createObjectNode();
    s.put("type", "object");
    ObjectNode props =
        s.get("properties") instanceof ObjectNode given2 ? given2 : s.putObject("properties");
    props
        .putObject("apiVersion")
        .put("type", "string")
        .put(
            "description",
            "APIVersion defines the versioned schema of this representation of an object."
                + " Servers should convert recognized schemas to the latest internal value, and"
                + " may reject unrecognized values.");
    props
        .putObject("kind")
        .put("type", "string")
        .put(
            "description",
            "Kind is a string value representing the REST resource this object represents.");
    ObjectNode metadata = props.putObject("metadata");
    metadata.put(
        "description",
        "Standard object's metadata. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    metadata
        .putArray("allOf")
        .addObject()
        .put("$ref", "#/components/schemas/" + META + "ObjectMeta");
    s.set("x-kubernetes-group-version-kind", gvkArray(k, k.kind()));
    schemas.set(name, s);

    ObjectNode list = JSON.createObjectNode();
    list.put("description", k.kind() + "List is a list of " + k.kind());
    list.put("type", "object");
    list.putArray("required").add("items");
    ObjectNode lp = list.putObject("properties");
    lp.putObject("apiVersion").put("type", "string");
    lp.putObject("kind").put("type", "string");
    ObjectNode items = lp.putObject("items");
    items.put("type", "array");
    items.putObject("items").put("$ref", "#/components/schemas/" + name);
    lp.putObject("metadata")
        .putArray("allOf")
        .addObject()
        .put("$ref", "#/components/schemas/" + META + "ListMeta");
    list.set("x-kubernetes-group-version-kind", gvkArray(k, k.kind() + "List"));
    schemas.set(name + "List", list);
  }

  private static ArrayNode gvkArray(ResourceKind k, String kind) {
    ArrayNode a = JSON.createArrayNode();
    a.addObject().put("group", k.group()).put("kind", kind).put("version", k.version());
    return a;
  }

  /** Enough of ObjectMeta for {@code kubectl explain dcp.metadata}. */
  private static void addMetaSchemas(ObjectNode schemas) {
    ObjectNode meta = schemas.putObject(META + "ObjectMeta");
    meta.put(
        "description",
        "ObjectMeta is metadata that all persisted resources must have, which includes all"
            + " objects users must create.");
    meta.put("type", "object");
    ObjectNode p = meta.putObject("properties");
    stringMap(
        p,
        "annotations",
        "Annotations is an unstructured key value map stored with a"
            + " resource that may be set by external tools to store and retrieve arbitrary metadata.");
    stringMap(
        p,
        "labels",
        "Map of string keys and values that can be used to organize and"
            + " categorize (scope and select) objects.");
    string(p, "name", "Name must be unique within a namespace.");
    string(p, "namespace", "Namespace defines the space within which each name must be unique.");
    string(
        p,
        "generateName",
        "GenerateName is an optional prefix, used by the server, to"
            + " generate a unique name ONLY IF the Name field has not been provided.");
    string(p, "uid", "UID is the unique in time and space value for this object.");
    string(
        p,
        "resourceVersion",
        "An opaque value that represents the internal version of this" + " object.");
    p.putObject("generation")
        .put("type", "integer")
        .put("format", "int64")
        .put(
            "description",
            "A sequence number representing a specific generation of the desired" + " state.");
    string(
        p,
        "creationTimestamp",
        "CreationTimestamp is a timestamp representing the server time"
            + " when this object was created.");
    string(
        p,
        "deletionTimestamp",
        "DeletionTimestamp is RFC 3339 date and time at which this" + " resource will be deleted.");
    p.putObject("finalizers")
        .put("type", "array")
        .put("description", "Must be empty before the" + " object is deleted from the registry.")
        .putObject("items")
        .put("type", "string");
    ObjectNode owners = p.putObject("ownerReferences");
    owners.put("type", "array");
    owners.put("description", "List of objects depended by this object.");
    owners.putObject("items").put("type", "object");
    ObjectNode listMeta = schemas.putObject(META + "ListMeta");
    listMeta.put("type", "object");
    string(
        listMeta.putObject("properties"),
        "resourceVersion",
        "String that identifies the" + " server's internal version of this object.");
    schemas
        .putObject(META + "Patch")
        .put("type", "object")
        .put(
            "description",
            "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.");
  }

  private static void string(ObjectNode props, String name, String description) {
    props.putObject(name).put("type", "string").put("description", description);
  }

  private static void stringMap(ObjectNode props, String name, String description) {
    ObjectNode m = props.putObject(name);
    m.put("type", "object");
    m.put("description", description);
    m.putObject("additionalProperties").put("type", "string");
  }
}
