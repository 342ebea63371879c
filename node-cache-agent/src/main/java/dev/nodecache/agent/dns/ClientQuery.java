package dev.nodecache.agent.dns;

/** A client's query as far as answering it needs: parsed once, from the received packet. */
public final class ClientQuery {
  public final int id;
  public final int flags;

  /** The question (name, type, class) exactly as the client sent it, case included. */
  public final byte[] question;

  public final CacheKey key;
  public final boolean edns;
  public final boolean dnssecOk;

  /** The largest UDP response the client accepts: 512 without EDNS (RFC 6891 §6.2.5). */
  public final int udpLimit;

  private CacheKey anyTypeKey;

  ClientQuery(
      int id,
      int flags,
      byte[] question,
      CacheKey key,
      boolean edns,
      boolean dnssecOk,
      int udpLimit) {
    this.id = id;
    this.flags = flags;
    this.question = question;
    this.key = key;
    this.edns = edns;
    this.dnssecOk = dnssecOk;
    this.udpLimit = udpLimit;
  }

  public int type() {
    return key.type();
  }

  /**
   * The key of a name-wide NXDOMAIN for this question, made once: a miss looks it up twice (fresh,
   * then stale). Kept here, not in the key, which the cache holds on to.
   */
  public CacheKey anyTypeKey() {
    if (anyTypeKey == null) {
      anyTypeKey = key.anyType();
    }
    return anyTypeKey;
  }
}
