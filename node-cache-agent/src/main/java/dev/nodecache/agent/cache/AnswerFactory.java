package dev.nodecache.agent.cache;

import dev.nodecache.agent.cache.CachedAnswer.Kind;
import dev.nodecache.agent.cache.ReplyScrubber.Scrubbed;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.dns.RecordWalker;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

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
      CacheKey key, Message reply, CacheRules rules, long capSeconds, long now) {
    Name qname = reply.getQuestion().getName();
    if (reply.getHeader().getFlag(Flags.TC)) {
      return bare(key, reply.getRcode(), Kind.UNCACHED, true, now, 0, rules);
    }
    Scrubbed s = ReplyScrubber.scrub(reply, qname, key.type(), key.dnssecOk());
    if (s.brokenChain()) { // a loop or a chain we do not follow: never a silently cut answer
      return bare(key, Rcode.SERVFAIL, Kind.SERVFAIL, false, now, TtlPolicy.servfail(rules), rules);
    }
    List<Record> answer = s.answer();
    List<Long> ttls = new ArrayList<>();
    long lifetime = Long.MAX_VALUE;
    Kind kind;
    if (s.rcode() == Rcode.NOERROR && s.answered()) {
      kind = Kind.POSITIVE;
    } else if (s.rcode() == Rcode.NXDOMAIN || s.rcode() == Rcode.NOERROR) {
      kind = s.rcode() == Rcode.NXDOMAIN ? Kind.NXDOMAIN : Kind.NODATA;
      if (s.soa() == null) {
        kind = Kind.UNCACHED; // RFC 2308 §5: no SOA, no negative caching
      }
    } else if (s.rcode() == Rcode.SERVFAIL) {
      return bare(key, Rcode.SERVFAIL, Kind.SERVFAIL, false, now, TtlPolicy.servfail(rules), rules);
    } else {
      return bare(key, s.rcode(), Kind.UNCACHED, false, now, 0, rules);
    }
    for (Record r : answer) {
      long ttl = TtlPolicy.positive(r.getTTL(), rules, capSeconds);
      ttls.add(ttl);
      lifetime = Math.min(lifetime, ttl);
    }
    if (kind == Kind.NXDOMAIN || kind == Kind.NODATA) {
      SOARecord soa = s.soa();
      long negative = TtlPolicy.negative(soa.getTTL(), soa.getMinimum(), rules, capSeconds);
      for (Record r : s.authority()) {
        ttls.add(Math.min(r.getTTL(), negative));
      }
      lifetime = Math.min(lifetime, negative);
    } else {
      for (Record r : s.authority()) {
        ttls.add(TtlPolicy.positive(r.getTTL(), rules, capSeconds)); // proofs kept without SOA
      }
    }
    if (lifetime == Long.MAX_VALUE || lifetime <= 0) {
      kind = Kind.UNCACHED;
      lifetime = 0;
    }
    Message m = new Message();
    Header h = m.getHeader();
    h.setID(0);
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RD);
    h.setFlag(Flags.RA);
    if (s.authenticData()) {
      h.setFlag(Flags.AD);
    }
    h.setRcode(s.rcode());
    m.addRecord(Record.newRecord(lowerName(key), key.type(), key.dnsClass()), Section.QUESTION);
    for (Record r : answer) {
      m.addRecord(r, Section.ANSWER);
    }
    for (Record r : s.authority()) {
      m.addRecord(r, Section.AUTHORITY);
    }
    byte[] wire = m.toWire();
    int[] offsets = RecordWalker.ttlOffsets(wire);
    for (int i = 0; i < offsets.length; i++) {
      DnsWire.putU32(wire, offsets[i], Math.min(Integer.MAX_VALUE, ttls.get(i)));
    }
    boolean nameWide = kind == Kind.NXDOMAIN && answer.isEmpty();
    return build(wire, SharedOffsets.of(offsets), kind, nameWide, now, lifetime, rules);
  }

  /** What we answer when no upstream gave a usable reply. */
  public static CachedAnswer failure(CacheKey key, CacheRules rules, long now) {
    return bare(key, Rcode.SERVFAIL, Kind.SERVFAIL, false, now, TtlPolicy.servfail(rules), rules);
  }

  /** SERVFAIL that is not cached: the agent is shedding load, the upstream may be fine. */
  public static CachedAnswer uncachedFailure(CacheKey key, CacheRules rules, long now) {
    return bare(key, Rcode.SERVFAIL, Kind.UNCACHED, false, now, 0, rules);
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

  private static Name lowerName(CacheKey key) {
    try {
      return new Name(key.name());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cache key holds a bad name", e); // parsed before
    }
  }
}
