package dev.nodecache.agent.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.cache.CachedAnswer.Kind;
import dev.nodecache.agent.dns.CacheKey;
import java.util.function.BiPredicate;
import java.util.function.LongConsumer;

/**
 * The bounded answer cache: W-TinyLFU admission (Caffeine), each entry kept until the end of its
 * stale window, after which it is gone. Bounded in bytes and in entries at once: each entry weighs
 * its footprint, but at least maxBytes / maxEntries, so neither bound can be passed.
 */
public final class AnswerCache {
  private final Cache<CacheKey, CachedAnswer> cache;
  private final Ticker ticker;
  private volatile int leastWeight;

  public AnswerCache(int maxEntries, long maxBytes, Ticker ticker, LongConsumer evictions) {
    this.ticker = ticker;
    this.leastWeight = leastWeight(maxEntries, maxBytes);
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher(
                (CacheKey k, CachedAnswer v) -> Math.max(leastWeight, EntryFootprint.bytes(k, v)))
            .ticker(ticker)
            .executor(Runnable::run) // maintenance on the caller: no ForkJoinPool threads
            .expireAfter(new UntilStaleWindowEnds())
            .removalListener(
                (CacheKey k, CachedAnswer v, RemovalCause cause) -> {
                  if (cause == RemovalCause.SIZE) {
                    evictions.accept(1);
                  }
                })
            .build();
  }

  public CachedAnswer get(CacheKey key) {
    return cache.getIfPresent(key);
  }

  /**
   * Stores {@code answer} to {@code question}: under the name's any-type key if it is a name-wide
   * NXDOMAIN, else under the question's own key (RFC 2308 §5: NODATA and everything else hold for
   * their own type only). Deciding it here means nothing else can ever reach the any-type entry. A
   * failure never replaces an answer that can still be served stale: that one stays, and is not
   * retried until the failure's own lifetime is over (RFC 8767 §4, "failure recheck").
   */
  public void store(CacheKey question, CachedAnswer answer) {
    if (question.isAnyType()) {
      throw new IllegalArgumentException("not the key of a question: " + question);
    }
    if (!answer.cacheable()) {
      return;
    }
    CacheKey key = answer.nameWide ? question.anyType() : question;
    long now = ticker.read();
    cache
        .asMap()
        .compute(
            key,
            (k, old) -> {
              if (answer.kind == Kind.SERVFAIL
                  && old != null
                  && old.kind != Kind.SERVFAIL
                  && now < old.staleUntil) {
                old.retryAfter(answer.freshUntil);
                return old;
              }
              return answer;
            });
  }

  /** Removes the entries whose key matches; returns how many went. */
  public int remove(BiPredicate<CacheKey, CachedAnswer> which) {
    int[] removed = {0};
    cache
        .asMap()
        .forEach(
            (k, v) -> {
              if (which.test(k, v) && cache.asMap().remove(k, v)) {
                removed[0]++;
              }
            });
    return removed[0];
  }

  public int clear() {
    int n = (int) cache.estimatedSize();
    cache.invalidateAll();
    return n;
  }

  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** New bounds; entries stored before keep the least weight they were stored with. */
  public void resize(int maxEntries, long maxBytes) {
    leastWeight = leastWeight(maxEntries, maxBytes);
    cache.policy().eviction().ifPresent(e -> e.setMaximum(maxBytes));
  }

  /** The bytes the entries weigh (an estimate of their heap footprint). */
  public long weightedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  private static int leastWeight(int maxEntries, long maxBytes) {
    return (int) Math.min(Integer.MAX_VALUE, (maxBytes + maxEntries - 1) / maxEntries);
  }

  public void forEach(java.util.function.BiConsumer<CacheKey, CachedAnswer> action) {
    cache.asMap().forEach(action);
  }

  private static final class UntilStaleWindowEnds implements Expiry<CacheKey, CachedAnswer> {
    @Override
    public long expireAfterCreate(CacheKey key, CachedAnswer value, long currentTime) {
      return Math.max(0, value.staleUntil - currentTime);
    }

    @Override
    public long expireAfterUpdate(
        CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
      return Math.max(0, value.staleUntil - currentTime);
    }

    @Override
    public long expireAfterRead(
        CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
