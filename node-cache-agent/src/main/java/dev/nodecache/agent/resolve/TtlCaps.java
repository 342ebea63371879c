package dev.nodecache.agent.resolve;

import dev.nodecache.agent.dns.CacheKey;

/** A cap on the TTLs of some names for a while (a migration's draining window, SPEC §4). */
@FunctionalInterface
public interface TtlCaps {
  TtlCaps NONE = (key, now) -> Long.MAX_VALUE;

  /** The largest TTL, in seconds, that an answer for {@code key} stored now may have. */
  long capSeconds(CacheKey key, long now);
}
