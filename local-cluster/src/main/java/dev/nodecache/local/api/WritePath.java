package dev.nodecache.local.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nodecache.local.watch.WatchCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every write, in the API server's order: decode, the object checked against the URL, patches
 * applied here to the stored object (never by the storage), status kept apart from the rest for
 * custom resources with a status subresource, admission ({@link CustomResourceAdmission}), Secrets'
 * stringData folded into data, then storage with the resourceVersion read, so that a stale one is a
 * 409 Conflict.
 *
 * <p>Writes are serialized (one at a time, as the storage takes them anyway), so a patch without a
 * resourceVersion never meets a conflict of its own making; the retry on 409 stays for safety.
 */
final class WritePath {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final int PATCH_ATTEMPTS = 5;

  /** What to answer: status code, body, and the warnings for the Warning header. */
  record Result(int code, JsonNode body, List<String> warnings) {}

  private final ApiStorage storage;
  private final ServedKinds kinds;
  private final WatchCache watches;
  private final CustomResourceAdmission admission = new CustomResourceAdmission();
  private final ServiceAdmission services;
  private final ReentrantLock writes = new ReentrantLock();

  /** The configuration each field manager applied last (server-side apply), by object. */
  private final Map<String, JsonNode> applied = new ConcurrentHashMap<>();

  WritePath(ApiStorage storage, ServedKinds kinds, WatchCache watches) {
    this.storage = storage;
    this.services = new ServiceAdmission(storage);
    this.kinds = kinds;
    this.watches = watches;
  }

  Result create(ResourceKind kind, ResourcePath path, QueryParameters q, String type, byte[] body)
      throws IOException {
    ObjectNode object = decode(body, type);
    checkKind(kind, object);
    ObjectNode metadata = metadata(object);
    placeInNamespace(kind, path, metadata);
    metadata.remove("resourceVersion");
    writes.lock();
    try {
      return admitAndCreate(kind, path, q, object);
    } finally {
      writes.unlock();
    }
  }

  private Result admitAndCreate(
      ResourceKind kind, ResourcePath path, QueryParameters q, ObjectNode object)
      throws IOException {
    List<String> warnings = new ArrayList<>();
    if (kind.custom()) {
      if (kind.statusSubresource()) {
        object.remove("status"); // set through /status only
      }
      warnings.addAll(admission.admit(kind, object, null, q.get("fieldValidation")));
    }
    if (kind.kind().equals("Secret")) {
      SecretData.fold(object);
    }
    builtIn(kind, object, null);
    if (dryRun(q)) {
      return new Result(201, object, warnings);
    }
    ApiStorage.Reply r =
        storage.send("POST", kind.collectionPath(path.namespace()), JSON.writeValueAsBytes(object));
    Result result = reply(kind, object.path("metadata").path("name").asText(), r, warnings);
    if (r.ok() && r.code() == 200) {
      result = new Result(201, result.body(), warnings);
    }
    afterWrite(kind);
    return result;
  }

  Result update(ResourceKind kind, ResourcePath path, QueryParameters q, String type, byte[] body)
      throws IOException {
    ObjectNode object = decode(body, type);
    checkKind(kind, object);
    ObjectNode metadata = metadata(object);
    String name = metadata.path("name").asText("");
    if (!name.equals(path.name())) {
      throw ApiError.badRequest(
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + path.name()
              + ")");
    }
    placeInNamespace(kind, path, metadata);
    writes.lock();
    try {
      ObjectNode stored = stored(kind, path);
      String storedVersion = resourceVersion(stored);
      String given = metadata.path("resourceVersion").asText("");
      if (given.isEmpty()) {
        if (kind.custom()) {
          throw invalid(
              kind,
              name,
              "FieldValueInvalid",
              "metadata.resourceVersion",
              "Invalid value: 0x0: must be specified for an update");
        }
      } else if (!given.equals(storedVersion)) {
        throw ApiError.conflict(kind, name);
      }
      return admitAndStore(kind, path, q, stored, object, new ArrayList<>());
    } finally {
      writes.unlock();
    }
  }

  Result patch(ResourceKind kind, ResourcePath path, QueryParameters q, String type, byte[] body)
      throws IOException {
    PatchRequest patch = PatchRequest.of(kind, type, body, q.get("fieldManager", ""));
    for (int attempt = 1; ; attempt++) {
      writes.lock();
      try {
        Result r = patchOnce(kind, path, q, patch);
        boolean retry = r.code() == 409 && patch.resourceVersion().isEmpty();
        if (!retry || attempt >= PATCH_ATTEMPTS) {
          return r;
        }
      } finally {
        writes.unlock();
      }
    }
  }

  private Result patchOnce(
      ResourceKind kind, ResourcePath path, QueryParameters q, PatchRequest patch)
      throws IOException {
    String appliedKey =
        kind.resource() + "/" + path.namespace() + "/" + path.name() + "/" + patch.manager();
    ApiStorage.Reply current = storage.get(path.objectPath(kind));
    if (current.code() == 404) {
      if (!patch.isApply() || path.status()) {
        throw ApiError.notFound(kind, path.name());
      }
      ObjectNode object = ((ObjectNode) patch.document()).deepCopy();
      checkKind(kind, object);
      ObjectNode metadata = metadata(object);
      metadata.put("name", path.name());
      if (kind.namespaced()) {
        metadata.put("namespace", path.namespace());
      }
      Result created = admitAndCreate(kind, path, q, object);
      applied.put(appliedKey, patch.document().deepCopy());
      return created;
    }
    ObjectNode stored = ApiStorage.tidy((ObjectNode) JSON.readTree(current.body()));
    if (!patch.resourceVersion().isEmpty()
        && !patch.resourceVersion().equals(resourceVersion(stored))) {
      throw ApiError.conflict(kind, path.name());
    }
    ObjectNode patched = patch.applyTo(kind, stored, applied.get(appliedKey));
    Result r = admitAndStore(kind, path, q, stored, patched, new ArrayList<>());
    if (patch.isApply()) {
      applied.put(appliedKey, patch.document().deepCopy());
    }
    return r;
  }

  /** Status apart, admission, stringData, then storage conditional on the stored version. */
  private Result admitAndStore(
      ResourceKind kind,
      ResourcePath path,
      QueryParameters q,
      ObjectNode stored,
      ObjectNode object,
      List<String> warnings)
      throws IOException {
    ObjectNode next = object;
    if (kind.custom() && kind.statusSubresource()) {
      if (path.status()) {
        next = stored.deepCopy(); // a status write changes the status only
        if (object.has("status")) {
          next.set("status", object.get("status"));
        } else {
          next.remove("status");
        }
      } else if (stored.has("status")) {
        next.set("status", stored.get("status")); // and a write of the rest never the status
      } else {
        next.remove("status");
      }
    }
    ObjectNode metadata = metadata(next);
    metadata.put("resourceVersion", resourceVersion(stored));
    if (!kind.namespaced()) {
      metadata.remove("namespace");
    }
    for (String map : List.of("labels", "annotations")) {
      if (metadata.path(map).isEmpty()) {
        metadata.remove(map); // an empty map is not stored, as ObjectMeta omits it
      }
    }
    if (kind.custom()) {
      warnings.addAll(admission.admit(kind, next, stored, q.get("fieldValidation")));
    }
    if (kind.kind().equals("Secret")) {
      SecretData.fold(next);
    }
    if (!path.status()) {
      builtIn(kind, next, stored);
    }
    if (dryRun(q)) {
      return new Result(200, next, warnings);
    }
    String target = path.objectPath(kind) + (path.status() ? "/status" : "");
    ApiStorage.Reply r = storage.send("PUT", target, JSON.writeValueAsBytes(next));
    afterWrite(kind);
    return reply(kind, path.name(), r, warnings);
  }

  Result delete(ResourceKind kind, ResourcePath path, byte[] body) throws IOException {
    writes.lock();
    try {
      if (path.collection()) {
        // deletecollection: the watch cache stamps each deletion as it sees it
        ApiStorage.Reply r = storage.send("DELETE", kind.collectionPath(path.namespace()), body);
        afterWrite(kind);
        return reply(kind, "", r, List.of());
      }
      var type = ListWatch.type(kind);
      String ns = kind.namespaced() ? path.namespace() : "";
      CompletableFuture<Long> deletion = watches.deleting(type, ns, path.name());
      ApiStorage.Reply r = storage.send("DELETE", path.objectPath(kind), body);
      boolean gone = false;
      if (r.ok()) {
        JsonNode answer = r.body().length == 0 ? null : JSON.readTree(r.body());
        gone = answer == null || answer.path("metadata").path("finalizers").isEmpty();
      }
      if (gone) {
        deletion.complete(storage.nextResourceVersion());
      } else {
        watches.notDeleted(type, ns, path.name());
      }
      afterWrite(kind);
      return reply(kind, path.name(), r, List.of());
    } finally {
      writes.unlock();
    }
  }

  /**
   * What the API server defaults, allocates and refuses for the built-in kinds cluster DNS reads.
   */
  private void builtIn(ResourceKind kind, ObjectNode object, ObjectNode stored) throws IOException {
    if (kind.custom()) {
      return;
    }
    switch (kind.kind()) {
      case "Service" -> services.admitService(kind, object, stored);
      case "EndpointSlice" -> ServiceAdmission.admitSlice(kind, object);
      default -> {}
    }
  }

  /** A stored CRD changes what is served: serve it, and follow its objects, before answering. */
  private void afterWrite(ResourceKind kind) {
    if (kind.plural().equals("customresourcedefinitions")) {
      for (ResourceKind k : kinds.refresh()) {
        watches.follow(ListWatch.type(k));
      }
    }
  }

  private Result reply(ResourceKind kind, String name, ApiStorage.Reply r, List<String> warnings) {
    if (r.code() == 404) {
      throw ApiError.notFound(kind, name);
    }
    JsonNode body = body(r);
    if (!r.ok()) {
      if (body instanceof ObjectNode status && "Status".equals(status.path("kind").asText())) {
        throw new ApiError(r.code(), status);
      }
      throw ApiError.of(r.code(), "InternalError", "storage answered " + r.code());
    }
    return new Result(r.code(), ApiStorage.tidy(body), warnings);
  }

  private static JsonNode body(ApiStorage.Reply r) {
    try {
      return r.body().length == 0 ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      return null;
    }
  }

  private ObjectNode stored(ResourceKind kind, ResourcePath path) throws IOException {
    ApiStorage.Reply r = storage.get(path.objectPath(kind));
    if (r.code() == 404) {
      throw ApiError.notFound(kind, path.name());
    }
    return ApiStorage.tidy((ObjectNode) JSON.readTree(r.body()));
  }

  private static boolean dryRun(QueryParameters q) {
    return "All".equals(q.get("dryRun"));
  }

  private static String resourceVersion(JsonNode o) {
    return o.path("metadata").path("resourceVersion").asText("");
  }

  static ObjectNode metadata(ObjectNode o) {
    return o.get("metadata") instanceof ObjectNode m ? m : o.putObject("metadata");
  }

  static ApiError invalid(
      ResourceKind kind, String name, String reason, String field, String message) {
    ObjectNode s =
        ApiError.statusBody(
            422,
            "Invalid",
            kind.qualifiedKind() + " \"" + name + "\" is invalid: " + field + ": " + message);
    ObjectNode details = s.putObject("details");
    details.put("name", name);
    details.put("group", kind.group());
    details.put("kind", kind.kind());
    ObjectNode cause = details.putArray("causes").addObject();
    cause.put("reason", reason);
    cause.put("message", message);
    cause.put("field", field);
    return new ApiError(422, s);
  }

  static void checkKind(ResourceKind kind, ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String k = object.path("kind").asText("");
    if (k.isEmpty()) {
      object.put("kind", kind.kind());
    } else if (!k.equals(kind.kind())) {
      throw ApiError.badRequest(
          "the kind in the data ("
              + k
              + ") does not match the expected kind ("
              + kind.kind()
              + ")");
    }
    if (apiVersion.isEmpty()) {
      object.put("apiVersion", kind.apiVersion());
    } else if (!apiVersion.equals(kind.apiVersion())) {
      throw ApiError.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + kind.apiVersion()
              + ")");
    }
  }

  private static ObjectNode decode(byte[] body, String type) {
    if (ProtobufObjects.isProtobuf(type)) {
      return ProtobufObjects.decode(body); // what kubectl create service|configmap|... sends
    }
    try {
      boolean yaml = type != null && type.contains("yaml");
      JsonNode n = yaml ? YAML.readTree(body) : JSON.readTree(body);
      if (!(n instanceof ObjectNode o)) {
        throw ApiError.badRequest("Object 'Kind' is missing in '" + new String(body) + "'");
      }
      return o;
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("json parse error: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /**
   * The object's namespace: the request's when it names none; refused when it names another; none
   * for a cluster-scoped kind.
   */
  private static void placeInNamespace(ResourceKind kind, ResourcePath path, ObjectNode metadata) {
    if (!kind.namespaced()) {
      metadata.remove("namespace");
      return;
    }
    String ns = metadata.path("namespace").asText("");
    if (ns.isEmpty()) {
      metadata.put("namespace", path.namespace());
    } else if (!ns.equals(path.namespace())) {
      throw ApiError.badRequest(
          "the namespace of the provided object does not match the namespace sent on the"
              + " request");
    }
  }
}
