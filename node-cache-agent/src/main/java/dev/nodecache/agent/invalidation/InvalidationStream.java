package dev.nodecache.agent.invalidation;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.cache.CachedAnswer;
import dev.nodecache.agent.config.AgentConfig.Invalidation;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.NameSet;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.resolve.QueryResolver;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's place in the operator's invalidation stream (README, "Invalidation"). A message that
 * continues the stream removes its names; anything else (a new stream after an operator restart, a
 * gap, the first message after this agent started) cannot say what was missed, so the followed
 * zones are flushed once and the stream adopted. Every message renews a lease; while it is live,
 * answers under the zones are held for {@code hold}; when it lapses the zones are flushed once,
 * since changes may now go unheard, and answers live by their TTL again (a message that continues
 * the stream later needs no resync: nothing was missed).
 */
public final class InvalidationStream implements AutoCloseable, QueryResolver.Hold {
  private static final Logger log = LoggerFactory.getLogger(InvalidationStream.class);
  private static final long CHECK_MILLIS = 500;

  /** What the agent answers to one message. */
  public record Reply(String stream, long applied, int removed, boolean resynced, String reason) {}

  /** Where this agent is, for GET /invalidation. */
  public record State(
      boolean enabled, List<String> zones, String stream, long applied, boolean live) {}

  private final AnswerCache cache;
  private final Ticker ticker;
  private final AgentMetrics metrics;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("invalidation", true));
  private volatile Invalidation settings;
  private volatile NameSet zones;
  private volatile long leaseUntil;
  private volatile long lastMessage;
  private volatile boolean live;
  private String stream;
  private long applied;

  /** Names to remove once more after {@code settle}, and whether that pass is scheduled. */
  private final Set<String> settling = new LinkedHashSet<>();

  private boolean settleScheduled;

  public InvalidationStream(
      Invalidation settings, AnswerCache cache, Ticker ticker, AgentMetrics metrics) {
    this.cache = cache;
    this.ticker = ticker;
    this.metrics = metrics;
    configure(settings);
    timer.scheduleWithFixedDelay(
        this::checkLease, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * A reload: other zones or times. Changed zones restart the stream (the next message resyncs).
   */
  public synchronized void configure(Invalidation next) {
    Invalidation prev = settings;
    settings = next;
    if (prev == null || !prev.zones().equals(next.zones())) {
      if (live) {
        dropHeld("zones-changed", "the followed zones changed");
      }
      List<String> subtrees = new ArrayList<>();
      next.zones().forEach(z -> subtrees.add("*." + z));
      zones = new NameSet(subtrees);
      stream = null;
    }
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * Applies one message: batches {@code after+1..to} of {@code stream}, whose answers are {@code
   * names} (flush names: "*." for a subtree); the operator saw the oldest change at {@code
   * changedAtMillis} (epoch millis, 0: unknown).
   */
  public synchronized Reply apply(
      String messageStream, long after, long to, List<String> names, long changedAtMillis) {
    long now = ticker.read();
    metrics.invalidationRequests.increment();
    String reason = null;
    if (stream == null) {
      reason = "start";
    } else if (!stream.equals(messageStream)) {
      reason = "new-stream";
    } else if (after > applied) {
      reason = "gap";
    }
    int removed;
    if (reason != null) {
      removed = cache.remove((k, v) -> zones.contains(k));
      metrics.resynced(reason);
      log.info(
          "invalidation stream {}: resync ({}), {} entr{} under {} removed",
          messageStream,
          reason,
          removed,
          removed == 1 ? "y" : "ies",
          settings.zones());
      stream = messageStream;
      applied = to;
    } else {
      removed = 0;
      if (to > applied && !names.isEmpty()) {
        NameSet set = new NameSet(names);
        removed = cache.remove((k, v) -> set.contains(k));
        long settle = settings.settle().toMillis();
        if (settle > 0) {
          // Answers fetched while the change was on its way, or from a DNS that saw it later:
          // removed again once, with every name that arrives until then (one pass, not one per
          // message).
          settling.addAll(names);
          if (!settleScheduled) {
            settleScheduled = true;
            timer.schedule(this::removeSettled, settle, TimeUnit.MILLISECONDS);
          }
        }
        double lag =
            changedAtMillis <= 0
                ? 0
                : Math.max(0, System.currentTimeMillis() - changedAtMillis) / 1000.0;
        metrics.invalidationApplied(names.size(), lag);
      }
      applied = Math.max(applied, to);
    }
    metrics.invalidatedEntries.add(removed);
    lastMessage = now;
    leaseUntil = now + settings.lease().toNanos();
    live = true;
    return new Reply(stream, applied, removed, reason != null, reason == null ? "" : reason);
  }

  private void removeSettled() {
    NameSet set;
    synchronized (this) {
      set = new NameSet(List.copyOf(settling));
      settling.clear();
      settleScheduled = false;
    }
    metrics.invalidatedEntries.add(cache.remove((k, v) -> set.contains(k)));
  }

  /**
   * {@code answer} to {@code key} as the cache should keep it: held for {@code hold} while the
   * stream is live and the name is followed, else as it is.
   */
  @Override
  public CachedAnswer apply(CacheKey key, CachedAnswer answer, long now) {
    if (!live || now - leaseUntil >= 0 || !zones.contains(key)) {
      return answer;
    }
    return answer.heldUntil(now + settings.hold().toNanos());
  }

  /**
   * A held answer past its own lifetime is served only within that lifetime of the last message: a
   * change the agent did not hear of (a partition) keeps an answer no longer than its TTL would
   * have from the change on. Connected, a heartbeat every 2 s keeps every answer of 2 s and more.
   */
  @Override
  public boolean vouches(CachedAnswer held, long now) {
    long since = now - lastMessage;
    return live && since < Math.min(settings.lease().toNanos(), held.ownLifetime());
  }

  private void checkLease() {
    try {
      if (live && ticker.read() - leaseUntil >= 0) {
        synchronized (this) {
          if (live && ticker.read() - leaseUntil >= 0) {
            dropHeld("lease-lapsed", "no message for " + settings.lease().toSeconds() + "s");
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("invalidation lease check failed", e); // the next check runs anyway
    }
  }

  /** Caller holds the lock. */
  private void dropHeld(String reason, String why) {
    live = false;
    int removed = cache.remove((k, v) -> zones.contains(k));
    metrics.resynced(reason);
    log.warn(
        "invalidation stream lost ({}): {} entr{} under {} removed, answers live by their TTL",
        why,
        removed,
        removed == 1 ? "y" : "ies",
        settings.zones());
  }

  public synchronized State state() {
    return new State(
        settings.enabled(),
        settings.zones(),
        stream,
        applied,
        live && ticker.read() - leaseUntil < 0);
  }

  /** The state as JSON fields, for the admin API. */
  public Map<String, Object> describe() {
    State s = state();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", s.enabled());
    out.put("zones", s.zones());
    out.put("stream", s.stream());
    out.put("applied", s.applied());
    out.put("live", s.live());
    return out;
  }

  public boolean live() {
    return state().live();
  }

  public long applied() {
    return state().applied();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
