package dev.nodecache.local.api.patch;

/**
 * A patch that cannot be applied: 400 when the patch document itself is malformed, 422 when it is
 * well formed but does not apply to the stored object (a failed {@code test}, a missing path), as
 * the API server answers.
 */
public final class InvalidPatch extends RuntimeException {
  private final int code;

  InvalidPatch(int code, String message) {
    super(message);
    this.code = code;
  }

  static InvalidPatch malformed(String message) {
    return new InvalidPatch(400, message);
  }

  static InvalidPatch unappliable(String message) {
    return new InvalidPatch(422, message);
  }

  public int code() {
    return code;
  }
}
