package dev.nodecache.agent.cache;

import dev.nodecache.agent.cache.CachedAnswer.Kind;
import dev.nodecache.agent.cache.ReplyScrubber.Scrubbed;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.dns.MessageWriter;
import dev.nodecache.agent.dns.WireReply;

/**
 * Turns an upstream reply into what the cache stores and serves: scrubbed, in wire form, with TTLs
 * clamped and lifetimes computed. The one place where "how long" is decided.
 */
public final class AnswerFactory {
  private static final long NANOS = 1_000_000_000L;

  private AnswerFactory() {}

  /**
   * The answer to {@code key} made from {@code reply}; {@code capSeconds} caps every TTL (a
   * migration's ttlDuringMigration, or Long.MAX_VALUE).
   */
  public static CachedAnswer fromReply(
      CacheKey key, WireReply reply, CacheRules rules, long capSeconds, long now) {
    if (reply.flag(DnsWire.FLAG_TC)) {
      return bare(key, reply.rcode(), Kind.UNCACHED, true, now, 0, rules);
    }
    Scrubbed s = ReplyScrubber.scrub(reply, key.name(), key.type(), key.dnssecOk());
    if (s.brokenChain()) { // a loop or a chain we do not follow: never a silently cut answer
      return servfail(key, rules, now);
    }
    int[] answer = s.answer();
    long[] ttls = new long[answer.length + s.authority().length];
    long lifetime = Long.MAX_VALUE;
    Kind kind;
    if (s.rcode() == DnsWire.RCODE_NOERROR && s.answered()) {
      kind = Kind.POSITIVE;
    } else if (s.rcode() == DnsWire.RCODE_NXDOMAIN || s.rcode() == DnsWire.RCODE_NOERROR) {
      kind = s.rcode() == DnsWire.RCODE_NXDOMAIN ? Kind.NXDOMAIN : Kind.NODATA;
      if (s.soa() < 0) {
        kind = Kind.UNCACHED; // RFC 2308 §5: no SOA, no negative caching
      }
    } else if (s.rcode() == DnsWire.RCODE_SERVFAIL) {
      return servfail(key, rules, now);
    } else {
      return bare(key, s.rcode(), Kind.UNCACHED, false, now, 0, rules);
    }
    int n = 0;
    for (int r : answer) {
      long ttl = TtlPolicy.positive(reply.ttl(r), rules, capSeconds);
      ttls[n++] = ttl;
      lifetime = Math.min(lifetime, ttl);
    }
    if (kind == Kind.NXDOMAIN || kind == Kind.NODATA) {
      long negative =
          TtlPolicy.negative(reply.ttl(s.soa()), reply.soaMinimum(s.soa()), rules, capSeconds);
      for (int r : s.authority()) {
        ttls[n++] = Math.min(reply.ttl(r), negative);
      }
      lifetime = Math.min(lifetime, negative);
    } else {
      for (int r : s.authority()) {
        ttls[n++] = TtlPolicy.positive(reply.ttl(r), rules, capSeconds); // proofs kept, no SOA
      }
    }
    if (lifetime == Long.MAX_VALUE || lifetime <= 0) {
      kind = Kind.UNCACHED;
      lifetime = 0;
    }
    int flags = DnsWire.FLAG_QR | DnsWire.FLAG_RD | DnsWire.FLAG_RA | s.rcode();
    MessageWriter m = new MessageWriter(s.authenticData() ? flags | DnsWire.FLAG_AD : flags, key);
    n = 0;
    for (int r : answer) {
      m.answer(reply, r, ttls[n++]);
    }
    for (int r : s.authority()) {
      m.authority(reply, r, ttls[n++]);
    }
    byte[] wire = m.finish();
    if (wire == null) { // expanded past 64 KiB: no message can carry it
      return servfail(key, rules, now);
    }
    boolean nameWide = kind == Kind.NXDOMAIN && answer.length == 0;
    return build(wire, SharedOffsets.of(m.ttlOffsets()), kind, nameWide, now, lifetime, rules);
  }

  private static CachedAnswer servfail(CacheKey key, CacheRules rules, long now) {
    return bare(
        key, DnsWire.RCODE_SERVFAIL, Kind.SERVFAIL, false, now, TtlPolicy.servfail(rules), rules);
  }

  /** What we answer when no upstream gave a usable reply. */
  public static CachedAnswer failure(CacheKey key, CacheRules rules, long now) {
    return servfail(key, rules, now);
  }

  /** SERVFAIL that is not cached: the agent is shedding load, the upstream may be fine. */
  public static CachedAnswer uncachedFailure(CacheKey key, CacheRules rules, long now) {
    return bare(key, DnsWire.RCODE_SERVFAIL, Kind.UNCACHED, false, now, 0, rules);
  }

  /** Header and question only; truncated replies keep their TC bit so the client retries. */
  private static CachedAnswer bare(
      CacheKey key,
      int rcode,
      Kind kind,
      boolean truncated,
      long now,
      long lifetime,
      CacheRules rules) {
    byte[] wire = new byte[DnsWire.HEADER + key.questionLength()];
    int flags = DnsWire.FLAG_QR | DnsWire.FLAG_RD | DnsWire.FLAG_RA | (rcode & 0xf);
    DnsWire.putU16(wire, DnsWire.FLAGS, truncated ? flags | DnsWire.FLAG_TC : flags);
    DnsWire.putU16(wire, DnsWire.QDCOUNT, 1);
    key.writeQuestion(wire, DnsWire.HEADER);
    Kind k = lifetime > 0 ? kind : Kind.UNCACHED;
    return build(wire, SharedOffsets.NONE, k, false, now, lifetime, rules);
  }

  private static CachedAnswer build(
      byte[] wire,
      int[] offsets,
      Kind kind,
      boolean nameWide,
      long now,
      long lifetimeSeconds,
      CacheRules rules) {
    long freshUntil = now + lifetimeSeconds * NANOS;
    long staleFor =
        kind == Kind.SERVFAIL || kind == Kind.UNCACHED ? 0 : TtlPolicy.maxStale(rules) * NANOS;
    long prefetchAt = Long.MAX_VALUE;
    if (rules.prefetch().enabled() && kind == Kind.POSITIVE) {
      long lead = lifetimeSeconds * NANOS * rules.prefetch().remainingPercent() / 100;
      prefetchAt = freshUntil - lead;
    }
    return new CachedAnswer(
        wire,
        offsets,
        kind,
        nameWide,
        now,
        freshUntil,
        freshUntil + staleFor,
        prefetchAt,
        rules.prefetch().minHits());
  }
}
