package dev.nodecache.operator.invalidation;

import dev.nodecache.operator.flush.AgentEndpoint;

/**
 * Where one agent is in the stream, as far as the operator knows: the last batch it acknowledged
 * (-1: not known yet), whether a message is on its way, and when to try again after a failure.
 * Touched by the publisher's thread only.
 */
final class AgentCursor {
  final AgentEndpoint endpoint;
  long acked = -1;
  boolean inFlight;
  long lastSentNanos;
  long lastAckNanos;
  long retryAtNanos;
  int failures;
  String lastError = "";

  /** When the operator first knew of it. */
  final long sinceNanos;

  AgentCursor(AgentEndpoint endpoint, long now) {
    this.endpoint = endpoint;
    this.sinceNanos = now;
    this.lastAckNanos = now;
  }

  boolean upToDate(long seq) {
    return acked >= seq;
  }
}
