package dev.nodecache.agent.cache;

import dev.nodecache.agent.dns.DnsWire;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One cached answer, immutable apart from its hit counter and refresh flag: the complete response
 * in wire form (id 0, lower-case question, no OPT record) with the offsets of its TTL fields, so
 * that serving it is a copy and a few patched integers. Times are ticker nanos.
 */
public final class CachedAnswer {
  public enum Kind {
    POSITIVE,
    /** NXDOMAIN; {@link #nameWide} when it holds for every type of the name. */
    NXDOMAIN,
    NODATA,
    SERVFAIL,
    /** An answer we pass on but do not keep (TTL 0, other rcodes, no SOA, truncated). */
    UNCACHED
  }

  private static final VarHandle REFRESHING;

  static {
    try {
      REFRESHING =
          MethodHandles.lookup().findVarHandle(CachedAnswer.class, "refreshing", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The TTL fields in {@link #wire} hold each record's TTL as stored (after the clamps). */
  final byte[] wire;

  final int[] ttlOffsets;

  public final Kind kind;
  public final boolean nameWide;
  public final long storedAt;
  public final long freshUntil;
  public final long staleUntil;

  /** From this time on, enough hits make a background refresh (Long.MAX_VALUE: never). */
  final long prefetchAt;

  final int prefetchMinHits;

  /** The end of its own lifetime; for a held answer earlier than {@link #freshUntil}. */
  public final long ownFreshUntil;

  private int hits; // racy on purpose: an approximate count is enough to decide a prefetch
  private volatile boolean refreshing;
  private volatile long retryAfter;

  CachedAnswer(
      byte[] wire,
      int[] ttlOffsets,
      Kind kind,
      boolean nameWide,
      long storedAt,
      long freshUntil,
      long staleUntil,
      long prefetchAt,
      int prefetchMinHits) {
    this(
        wire,
        ttlOffsets,
        kind,
        nameWide,
        storedAt,
        freshUntil,
        staleUntil,
        prefetchAt,
        prefetchMinHits,
        freshUntil);
  }

  private CachedAnswer(
      byte[] wire,
      int[] ttlOffsets,
      Kind kind,
      boolean nameWide,
      long storedAt,
      long freshUntil,
      long staleUntil,
      long prefetchAt,
      int prefetchMinHits,
      long ownFreshUntil) {
    this.ownFreshUntil = ownFreshUntil;
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.kind = kind;
    this.nameWide = nameWide;
    this.storedAt = storedAt;
    this.freshUntil = freshUntil;
    this.staleUntil = staleUntil;
    this.prefetchAt = prefetchAt;
    this.prefetchMinHits = prefetchMinHits;
  }

  /**
   * This answer kept fresh until {@code until} (when that is later than its own end), its stale
   * window and prefetch moved along: a popular held name is refreshed shortly before the hold ends
   * instead of missing then. The wire form is shared.
   */
  public CachedAnswer heldUntil(long until) {
    if (kind == Kind.SERVFAIL || kind == Kind.UNCACHED || until <= freshUntil) {
      return this;
    }
    long prefetch = prefetchAt == Long.MAX_VALUE ? Long.MAX_VALUE : until - (until - storedAt) / 10;
    return new CachedAnswer(
        wire,
        ttlOffsets,
        kind,
        nameWide,
        storedAt,
        until,
        until + (staleUntil - freshUntil),
        prefetch,
        prefetchMinHits,
        freshUntil);
  }

  /** Kept past its TTL because the invalidation stream says when it changes. */
  public boolean held() {
    return ownFreshUntil < freshUntil;
  }

  /** Its own lifetime, the one its TTLs gave it (nanos). */
  public long ownLifetime() {
    return ownFreshUntil - storedAt;
  }

  public int rcode() {
    return wire[3] & 0x0f;
  }

  public boolean cacheable() {
    return kind != Kind.UNCACHED;
  }

  public boolean isFresh(long now) {
    return now < freshUntil;
  }

  /** Expired but still allowed to be served stale (RFC 8767). */
  public boolean isStale(long now) {
    return now >= freshUntil && now < staleUntil;
  }

  /** Counts a hit; true once when a prefetch is due and nobody else claimed it. */
  public boolean hitAndClaimPrefetch(long now) {
    int h = ++hits;
    return now >= prefetchAt && h >= prefetchMinHits && claimRefresh();
  }

  /** True for the one caller that may refresh this entry. */
  public boolean claimRefresh() {
    return !refreshing && REFRESHING.compareAndSet(this, false, true);
  }

  public void releaseRefresh() {
    refreshing = false;
  }

  /** After a failed refresh: serve stale without asking upstream again until {@code until}. */
  void retryAfter(long until) {
    retryAfter = until;
  }

  public boolean retryBlocked(long now) {
    return now < retryAfter;
  }

  public int hits() {
    return hits;
  }

  /** Whole seconds passed since the answer was stored. */
  public long ageSeconds(long now) {
    return Math.max(0, (now - storedAt) / 1_000_000_000L);
  }

  public int recordCount() {
    return ttlOffsets.length;
  }

  /**
   * The TTL of record {@code i} to serve now: its stored TTL less the seconds passed. A held answer
   * past its TTL counts down from its TTL again, so a client never keeps it longer than the record
   * allows.
   */
  public int servedTtl(int i, long now) {
    long ttl = DnsWire.u32(wire, ttlOffsets[i]);
    long age = ageSeconds(now);
    if (age < ttl) {
      return (int) (ttl - age);
    }
    return held() && ttl > 0 ? (int) (ttl - age % ttl) : 0;
  }

  public int ttlOffset(int i) {
    return ttlOffsets[i];
  }

  public byte[] wire() {
    return wire;
  }

  public int headerFlags() {
    return DnsWire.u16(wire, DnsWire.FLAGS);
  }
}
