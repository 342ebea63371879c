package dev.nodecache.api;

/**
 * How durations are written in the API: 500ms, 30s, 5m, 1h, 1m30s (CEL's duration() reads them).
 */
public final class Durations {
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";

  private Durations() {}
}
