package dev.nodecache.local.watch;

/**
 * A watch asked for changes after a resourceVersion the cache no longer holds: the API server
 * answers with an ERROR event carrying 410 Gone ({@code too old resource version: N (M)}), and
 * informers list again.
 */
public final class TooOld extends Exception {
  private final long requested;
  private final long oldest;

  TooOld(long requested, long oldest) {
    super("too old resource version: " + requested + " (" + oldest + ")");
    this.requested = requested;
    this.oldest = oldest;
  }

  public long requested() {
    return requested;
  }

  public long oldest() {
    return oldest;
  }
}
