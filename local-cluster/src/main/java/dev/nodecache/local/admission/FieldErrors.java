package dev.nodecache.local.admission;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The API server's field errors (k8s.io/apimachinery field.Error), worded as its ErrorBody():
 * {@code Invalid value: "x": detail}, {@code Required value}, {@code Too long: ...}. Bad values
 * arrive already printed the Go way (see {@link GoText}).
 */
final class FieldErrors {
  /** Errors after which the API server does not run the CEL rules. */
  static final List<String> BLOCKING =
      List.of(
          "FieldValueNotSupported",
          "FieldValueRequired",
          "FieldValueTooLong",
          "FieldValueTooMany",
          "FieldValueTypeInvalid");

  private FieldErrors() {}

  static Cause invalid(String field, String value, String detail) {
    return new Cause(
        "FieldValueInvalid", field(field), withDetail("Invalid value: " + value, detail));
  }

  static Cause typeInvalid(String field, String value, String detail) {
    return new Cause(
        "FieldValueTypeInvalid", field(field), withDetail("Invalid value: " + value, detail));
  }

  static Cause required(String field, String detail) {
    return new Cause("FieldValueRequired", field(field), withDetail("Required value", detail));
  }

  static Cause forbidden(String field, String detail) {
    return new Cause("FieldValueForbidden", field(field), withDetail("Forbidden", detail));
  }

  static Cause duplicate(String field, String value) {
    return new Cause("FieldValueDuplicate", field(field), "Duplicate value: " + value);
  }

  static Cause notSupported(String field, String value, List<String> supported) {
    String detail =
        supported.isEmpty()
            ? ""
            : "supported values: "
                + supported.stream().map(GoText::quote).collect(Collectors.joining(", "));
    return new Cause(
        "FieldValueNotSupported", field(field), withDetail("Unsupported value: " + value, detail));
  }

  /** The value is not shown: it may be long. */
  static Cause tooLong(String field, long maxLength) {
    return new Cause(
        "FieldValueTooLong", field(field), "Too long: may not be longer than " + maxLength);
  }

  static Cause tooMany(String field, long actual, long max) {
    return new Cause(
        "FieldValueTooMany",
        field(field),
        "Too many: " + actual + ": must have at most " + max + " items");
  }

  /** The API server prints the path of the object itself as "<nil>". */
  private static String field(String path) {
    return path == null || path.isEmpty() ? "<nil>" : path;
  }

  private static String withDetail(String body, String detail) {
    return detail == null || detail.isEmpty() ? body : body + ": " + detail;
  }
}
