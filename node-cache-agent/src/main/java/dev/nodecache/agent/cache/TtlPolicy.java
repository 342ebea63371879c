package dev.nodecache.agent.cache;

import dev.nodecache.agent.config.AgentConfig.CacheRules;

/** The TTL arithmetic of the cache, in seconds, in one place. */
public final class TtlPolicy {
  private TtlPolicy() {}

  /** A positive record's TTL clamped to [minTtl, maxTtl], then to a migration cap. */
  public static long positive(long ttl, CacheRules rules, long capSeconds) {
    long clamped = Math.max(rules.minTtl().toSeconds(), Math.min(ttl, rules.maxTtl().toSeconds()));
    return Math.min(clamped, capSeconds);
  }

  /**
   * RFC 2308 §5: a negative answer lives for min(SOA TTL, SOA MINIMUM), here also capped by {@code
   * negative.maxTtl} and a migration cap.
   */
  public static long negative(long soaTtl, long soaMinimum, CacheRules rules, long capSeconds) {
    long ttl = Math.min(soaTtl, soaMinimum);
    return Math.min(Math.min(ttl, rules.negativeMaxTtl().toSeconds()), capSeconds);
  }

  public static long servfail(CacheRules rules) {
    return rules.servfailTtl().toSeconds();
  }

  /** How long an expired answer may still be served stale (0 when serve-stale is off). */
  public static long maxStale(CacheRules rules) {
    return rules.serveStale().enabled() ? rules.serveStale().maxStale().toSeconds() : 0;
  }

  /** The served TTL of a stale answer (RFC 8767 §4 recommends 30s). */
  public static int staleAnswerTtl(CacheRules rules) {
    return (int) rules.serveStale().answerTtl().toSeconds();
  }
}
