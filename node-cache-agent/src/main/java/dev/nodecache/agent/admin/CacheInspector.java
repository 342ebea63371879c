package dev.nodecache.agent.admin;

import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.cache.CachedAnswer;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.DomainNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What the cache holds for one name, for GET /cache?name=N (and the operator's migrations). */
final class CacheInspector {
  private final AnswerCache cache;
  private final com.github.benmanes.caffeine.cache.Ticker ticker;

  CacheInspector(AnswerCache cache, com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.cache = cache;
    this.ticker = ticker;
  }

  Map<String, Object> describe(String name) {
    byte[] wire = DomainNames.toWire(name.toLowerCase(java.util.Locale.ROOT));
    long now = ticker.read();
    List<Map<String, Object>> entries = new ArrayList<>();
    cache.forEach(
        (key, answer) -> {
          if (key.nameLength() == wire.length && java.util.Arrays.equals(key.name(), wire)) {
            entries.add(entry(key, answer, now));
          }
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", DomainNames.toText(wire, 0));
    out.put("entries", entries);
    return out;
  }

  private static Map<String, Object> entry(CacheKey key, CachedAnswer a, long now) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", key.isAnyType() ? "*" : Type.string(key.type()));
    e.put("class", DClass.string(key.dnsClass()));
    e.put("dnssecOk", key.dnssecOk());
    e.put("checkingDisabled", key.checkingDisabled());
    e.put("kind", a.kind.name());
    e.put("rcode", Rcode.string(a.rcode()));
    boolean fresh = a.isFresh(now);
    e.put("stale", !fresh);
    e.put("ttl", fresh ? Math.max(0, (a.freshUntil - now) / 1_000_000_000L) : 0);
    e.put("staleFor", fresh ? 0 : Math.max(0, (a.staleUntil - now) / 1_000_000_000L));
    e.put("hits", a.hits());
    e.put("age", a.ageSeconds(now));
    e.put("records", records(a, now));
    return e;
  }

  /** The records as zone-file lines, with the TTLs a client would get now. */
  private static List<String> records(CachedAnswer a, long now) {
    List<String> out = new ArrayList<>();
    try {
      byte[] wire = a.wire().clone();
      for (int i = 0; i < a.recordCount(); i++) {
        dev.nodecache.agent.dns.DnsWire.putU32(wire, a.ttlOffset(i), a.servedTtl(i, now));
      }
      Message m = new Message(wire);
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record r : m.getSection(section)) {
          out.add(r.toString());
        }
      }
    } catch (java.io.IOException e) {
      out.add("(unreadable: " + e.getMessage() + ")");
    }
    return out;
  }
}
