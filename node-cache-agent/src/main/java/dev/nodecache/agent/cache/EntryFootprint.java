package dev.nodecache.agent.cache;

import dev.nodecache.agent.dns.CacheKey;

/**
 * What one cache entry costs on the heap (64-bit JVM, compressed references, 8-byte alignment), as
 * the cache weighs it: the bound on the cache's bytes holds whatever the answers' sizes.
 */
final class EntryFootprint {
  /**
   * The CachedAnswer (96), the CacheKey (24), Caffeine's node with its expiry and the frequency
   * sketch's share (80), the map's node and table slot (48), three array headers (48).
   */
  static final int FIXED = 296;

  private EntryFootprint() {}

  static int bytes(CacheKey key, CachedAnswer answer) {
    return FIXED
        + align(key.questionLength() + 1)
        + align(answer.wire.length)
        + align(4 * answer.ttlOffsets.length);
  }

  private static int align(int n) {
    return (n + 7) & ~7;
  }
}
