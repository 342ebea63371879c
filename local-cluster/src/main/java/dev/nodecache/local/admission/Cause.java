package dev.nodecache.local.admission;

/**
 * One reason an object was refused, as the API server's {@code StatusCause}: {@code reason} is its
 * type (FieldValueInvalid, FieldValueRequired, ...), {@code message} the error without the field,
 * e.g. {@code Invalid value: "forever": spec.cache.maxTtl in body should match '...'}.
 */
public record Cause(String reason, String field, String message) {
  /** As the API server prints a field error: {@code field: message}. */
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
