package dev.nodecache.agent.json;

/** Text that is not JSON, with where it went wrong (1-based). */
public final class JsonException extends Exception {
  private final int line;
  private final int column;

  public JsonException(String message, int line, int column) {
    super(message, null, false, false);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
