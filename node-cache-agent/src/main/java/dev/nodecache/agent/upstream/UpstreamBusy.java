package dev.nodecache.agent.upstream;

/**
 * A query never sent: the server's concurrency bound gave it no turn before its deadline. Not the
 * server's failure, so it does not count against its health.
 */
public final class UpstreamBusy extends Exception {
  public UpstreamBusy(String server) {
    super(server + " has too many queries outstanding", null, false, false);
  }
}
