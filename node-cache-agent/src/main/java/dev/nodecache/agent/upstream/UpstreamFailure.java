package dev.nodecache.agent.upstream;

/** An upstream exchange that gave no usable reply: timeout, refused, closed, malformed. */
public final class UpstreamFailure extends Exception {
  public UpstreamFailure(String message) {
    super(message, null, false, false);
  }
}
