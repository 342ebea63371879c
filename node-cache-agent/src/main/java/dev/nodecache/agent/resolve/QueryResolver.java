package dev.nodecache.agent.resolve;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.cache.AnswerFactory;
import dev.nodecache.agent.cache.CachedAnswer;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.config.AgentConfig.UpstreamGroup;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.ClientQuery;
import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.upstream.Forwarder;
import dev.nodecache.agent.upstream.UpstreamBusy;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a client query to an answer: a fresh cache hit on the calling thread; otherwise one upstream
 * query per key however many clients wait for it (single flight), with serve-stale when the
 * upstream fails or is slow (RFC 8767) and background prefetch of popular answers.
 */
public final class QueryResolver {
  private static final Logger log = LoggerFactory.getLogger(QueryResolver.class);

  /**
   * Upstream queries outstanding or waiting for a turn at once (keys), at most. Past it, a miss is
   * answered SERVFAIL at once (not cached): a flood of unique names must not queue up work that
   * delays everyone else.
   */
  static final int MAX_IN_FLIGHT = UpstreamGroup.MAX_CONCURRENT_CEILING;

  private final AnswerCache cache;
  private final Ticker ticker;
  private final AgentMetrics metrics;
  private final Supplier<ResolverSettings> settings;

  /**
   * Where upstream exchanges run: loops of their own, so that a flood of misses (their sockets,
   * timers and failures) never delays the cache hits on the client loops.
   */
  private final EventLoopGroup upstreamLoops;

  private final Hold hold;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<CachedAnswer>> inFlight =
      new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger inFlightCount =
      new java.util.concurrent.atomic.AtomicInteger();

  /** How long an answer is kept beyond its own lifetime (the invalidation stream's hold). */
  public interface Hold {
    Hold NONE =
        new Hold() {
          @Override
          public CachedAnswer apply(CacheKey key, CachedAnswer answer, long now) {
            return answer;
          }

          @Override
          public boolean vouches(CachedAnswer held, long now) {
            return false;
          }
        };

    /** The answer as it is to be stored: held longer, or as it is. */
    CachedAnswer apply(CacheKey key, CachedAnswer answer, long now);

    /** Whether a held answer past its own lifetime may still be served as fresh. */
    boolean vouches(CachedAnswer held, long now);
  }

  public QueryResolver(
      AnswerCache cache,
      Ticker ticker,
      AgentMetrics metrics,
      Supplier<ResolverSettings> settings,
      EventLoopGroup upstreamLoops) {
    this(cache, ticker, metrics, settings, upstreamLoops, Hold.NONE);
  }

  public QueryResolver(
      AnswerCache cache,
      Ticker ticker,
      AgentMetrics metrics,
      Supplier<ResolverSettings> settings,
      EventLoopGroup upstreamLoops,
      Hold hold) {
    this.hold = hold;
    this.cache = cache;
    this.ticker = ticker;
    this.metrics = metrics;
    this.settings = settings;
    this.upstreamLoops = upstreamLoops;
  }

  /** What the resolver reads from the (reloadable) config. */
  public record ResolverSettings(Forwarder forwarder, CacheRulesByZone rules, TtlCaps caps) {}

  public long now() {
    return ticker.read();
  }

  /** The largest TTL an answer for {@code key} may go out with now (migrations). */
  public int servedTtlCap(CacheKey key) {
    TtlCaps caps = settings.get().caps();
    return caps == TtlCaps.NONE
        ? Integer.MAX_VALUE
        : (int) Math.min(Integer.MAX_VALUE, caps.capSeconds(key));
  }

  /** The hot path: a fresh cached answer, or null. Starts a prefetch when one is due. */
  public CachedAnswer lookup(ClientQuery q, long now) {
    CachedAnswer a = cache.get(q.key);
    if (a == null || !fresh(a, now)) {
      CachedAnswer nx = cache.get(q.anyTypeKey());
      if (nx != null && fresh(nx, now)) {
        a = nx;
      } else {
        metrics.cacheMisses.increment();
        return null;
      }
    }
    metrics.cacheHits.increment();
    if (a.hitAndClaimPrefetch(now)) {
      metrics.prefetches.increment();
      CachedAnswer refreshing = a;
      fetch(q.key, upstreamLoops.next()).whenComplete((x, e) -> refreshing.releaseRefresh());
    }
    return a;
  }

  /** Fresh; a held answer past its own lifetime only while the stream vouches for it. */
  private boolean fresh(CachedAnswer a, long now) {
    return a.isFresh(now) && (now < a.ownFreshUntil || hold.vouches(a, now));
  }

  /**
   * Everything that is not a fresh hit: upstream (on an upstream loop), single flight, serve-stale
   * (timed on {@code loop}, the client's).
   */
  public CompletableFuture<Answer> resolve(ClientQuery q, EventLoop loop) {
    long now = ticker.read();
    CachedAnswer stale = staleEntry(q, now);
    if (stale != null && stale.retryBlocked(now)) {
      return CompletableFuture.completedFuture(new Answer(stale, true));
    }
    CompletableFuture<CachedAnswer> fetched = fetch(q.key, upstreamLoops.next());
    if (stale == null) {
      return fetched.thenApply(a -> new Answer(a, false));
    }
    CacheRules rules = settings.get().rules().rulesFor(q.key);
    CompletableFuture<Answer> result = new CompletableFuture<>();
    var timer =
        loop.schedule(
            () -> serveStale(result, stale),
            rules.serveStale().clientTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    fetched.whenComplete(
        (a, e) -> {
          timer.cancel(false);
          if (e != null || a.rcode() == DnsWire.RCODE_SERVFAIL) {
            serveStale(result, stale);
          } else {
            result.complete(new Answer(a, false));
          }
        });
    return result;
  }

  private static void serveStale(CompletableFuture<Answer> result, CachedAnswer stale) {
    result.complete(new Answer(stale, true));
  }

  private CachedAnswer staleEntry(ClientQuery q, long now) {
    CachedAnswer a = cache.get(q.key);
    if (a != null && a.isStale(now)) {
      return a;
    }
    CachedAnswer nx = cache.get(q.anyTypeKey());
    return nx != null && nx.isStale(now) ? nx : null;
  }

  /**
   * The one upstream query for {@code key} (joined by everyone who asks meanwhile). Always
   * completes normally: with the reply made into an answer, or with SERVFAIL.
   */
  CompletableFuture<CachedAnswer> fetch(CacheKey key, EventLoop loop) {
    CompletableFuture<CachedAnswer> running = inFlight.get(key);
    if (running != null) {
      return running;
    }
    ResolverSettings s = settings.get();
    CacheRules rules = s.rules().rulesFor(key);
    if (inFlightCount.get() >= MAX_IN_FLIGHT) {
      metrics.dropped("upstream_in_flight_limit");
      return CompletableFuture.completedFuture(
          AnswerFactory.uncachedFailure(key, rules, ticker.read()));
    }
    CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
    running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    inFlightCount.incrementAndGet();
    s.forwarder()
        .forward(key, loop)
        .handle( // not whenComplete: its unread stage would wrap each failure, stack and all
            (reply, err) -> {
              CachedAnswer answer;
              long now = ticker.read();
              long cap = s.caps().capSeconds(key);
              try {
                answer =
                    err instanceof UpstreamBusy // our own bound, not the upstream: never cached
                        ? AnswerFactory.uncachedFailure(key, rules, now)
                        : err == null
                            ? held(
                                key,
                                AnswerFactory.fromReply(key, reply.message(), rules, cap, now),
                                cap)
                            : AnswerFactory.failure(key, rules, now);
              } catch (RuntimeException e) {
                log.warn("cannot use the reply for {}: {}", key, e.toString());
                answer = AnswerFactory.failure(key, rules, now);
              }
              try {
                cache.store(key, answer);
              } finally { // whoever waits gets the answer even if keeping it failed
                inFlight.remove(key, mine);
                inFlightCount.decrementAndGet();
                mine.complete(answer);
              }
              return null;
            });
    return mine;
  }

  /** Held only outside migrations: a name being migrated must live by its capped TTL. */
  private CachedAnswer held(CacheKey key, CachedAnswer answer, long capSeconds) {
    return capSeconds == Long.MAX_VALUE ? hold.apply(key, answer, ticker.read()) : answer;
  }

  /** Queries waiting for an upstream right now (for tests and metrics). */
  public int inFlight() {
    return inFlightCount.get();
  }
}
