package dev.nodecache.agent.resolve;

import dev.nodecache.agent.dns.CacheKey;

/** A cap on the TTLs of some names for a while (a migration's draining window, SPEC §4). */
@FunctionalInterface
public interface TtlCaps {
  TtlCaps NONE = key -> Long.MAX_VALUE;

  /** The largest TTL, in seconds, that an answer for {@code key} may be stored or served with. */
  long capSeconds(CacheKey key);
}
