package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request refused the way the API server refuses it: the HTTP code and a {@code Status} body
 * (reason, message, details), which kubectl prints as {@code Error from server (Reason): ...}.
 */
public final class ApiError extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int code;
  private final ObjectNode status;

  public ApiError(int code, ObjectNode status) {
    super(status.path("message").asText());
    this.code = code;
    this.status = status;
  }

  public int code() {
    return code;
  }

  public ObjectNode status() {
    return status;
  }

  public static ObjectNode statusBody(int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    s.put("code", code);
    return s;
  }

  public static ApiError of(int code, String reason, String message) {
    return new ApiError(code, statusBody(code, reason, message));
  }

  public static ApiError badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  /** {@code dnscachepolicies.nodecache.dev "x" not found}, with the details kubectl reads. */
  public static ApiError notFound(ResourceKind kind, String name) {
    ObjectNode s = statusBody(404, "NotFound", kind.resource() + " \"" + name + "\" not found");
    ObjectNode d = s.putObject("details");
    d.put("name", name);
    d.put("group", kind.group());
    d.put("kind", kind.plural());
    return new ApiError(404, s);
  }

  public static ApiError conflict(ResourceKind kind, String name) {
    ObjectNode s =
        statusBody(
            409,
            "Conflict",
            "Operation cannot be fulfilled on "
                + kind.resource()
                + " \""
                + name
                + "\": the object has been modified; please apply your changes to the latest"
                + " version and try again");
    ObjectNode d = s.putObject("details");
    d.put("name", name);
    d.put("group", kind.group());
    d.put("kind", kind.plural());
    return new ApiError(409, s);
  }

  public static ApiError unsupportedMediaType(String accepted) {
    return of(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + accepted);
  }
}
