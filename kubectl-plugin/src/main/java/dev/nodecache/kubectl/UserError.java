package dev.nodecache.kubectl;

/** A problem the user can act on: printed as {@code error: …} with its exit code, no trace. */
final class UserError extends RuntimeException {
  static final int USAGE = 2;

  private final int exitCode;

  UserError(String message) {
    this(message, USAGE);
  }

  UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
