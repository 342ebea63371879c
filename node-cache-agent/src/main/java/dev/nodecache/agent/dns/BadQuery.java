package dev.nodecache.agent.dns;

/**
 * A packet that cannot be answered normally: either dropped (no header to answer, or not a query at
 * all) or answered with an error rcode. Thrown without a stack trace: bad input is expected and
 * must stay cheap.
 */
public final class BadQuery extends Exception {
  /** Null when the packet is dropped; otherwise what the error response needs. */
  public final ErrorReply reply;

  public final String reason;

  private BadQuery(String reason, ErrorReply reply) {
    super(reason, null, false, false);
    this.reason = reason;
    this.reply = reply;
  }

  static BadQuery drop(String reason) {
    return new BadQuery(reason, null);
  }

  static BadQuery answer(String reason, ErrorReply reply) {
    return new BadQuery(reason, reply);
  }

  /**
   * The parts of the query echoed in an error response: its question when it had exactly one, and
   * whether it carried an OPT record (then so must the response, RFC 6891 §7) with DO set.
   */
  public record ErrorReply(
      int id, int flags, byte[] question, boolean edns, boolean dnssecOk, int rcode) {}
}
