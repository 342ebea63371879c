package dev.nodecache.operator.invalidation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nodecache.api.DnsCachePolicyStatus.InvalidationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream of invalidations to every agent (SPEC §3a). Every {@link #TICK} the changes seen since
 * the last tick become one numbered batch; each agent then gets, in one message, every batch it has
 * not acknowledged yet (at most one message per agent on its way, so a slow agent gets bigger
 * messages, not more of them), and a heartbeat when nothing changed for {@link #HEARTBEAT} so its
 * lease stays live and a missed batch shows as a gap. One thread owns all state; replies are handed
 * back to it.
 */
final class InvalidationPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InvalidationPublisher.class);
  static final long TICK_MILLIS = 50;
  static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** An agent that has not applied a batch this old is behind (status, event). */
  static final long BEHIND_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final int MAX_IN_FLIGHT = 2048;
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long STATUS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Asked of each agent, and how its answers and failures are reported. */
  interface Channel extends AutoCloseable {
    java.util.concurrent.CompletableFuture<JsonNode> send(
        AgentTargets.Target target, AgentTargets.Agent agent, String body);

    /** The agents still targeted (by key): what is kept for the others can go. */
    default void retain(Set<String> agents) {}

    @Override
    default void close() {}
  }

  /** Told when nodes fall behind or catch up. */
  interface Behind {
    void changed(AgentTargets.Target target, List<String> behindNodes, boolean caughtUp);
  }

  private final String stream = UUID.randomUUID().toString();
  private final PendingNames pending;
  private final BatchLog batches = new BatchLog(1024, 3 * 1024 * 1024);
  private final Map<String, AgentCursor> cursors = new HashMap<>();
  private final Map<String, InvalidationStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> behindByPolicy = new HashMap<>();

  /** Per policy: the latest batch an agent applied with a lag, and the largest such lag (ms). */
  private final Map<String, long[]> lagOfLatest = new HashMap<>();

  /** Bodies for the current batch, by the agent's acknowledged batch and domain. */
  private final Map<String, Body> bodies = new HashMap<>();

  private final ScheduledExecutorService thread;
  private final java.util.function.Supplier<List<AgentTargets.Target>> targets;
  private final Channel channel;
  private final InvalidationMetrics metrics;
  private final Behind behind;
  private final java.util.function.Consumer<String> tokenRefused;
  private final java.util.function.BooleanSupplier watching;
  private long seq;
  private long lastBatchMillis;
  private long lastStatusNanos;
  private int inFlight;

  /** Where the next tick starts looking for agents to send to (round robin). */
  private int nextAgent;

  InvalidationPublisher(
      PendingNames pending,
      java.util.function.Supplier<List<AgentTargets.Target>> targets,
      Channel channel,
      InvalidationMetrics metrics,
      Behind behind,
      java.util.function.Consumer<String> tokenRefused,
      java.util.function.BooleanSupplier watching) {
    this.watching = watching;
    this.pending = pending;
    this.targets = targets;
    this.channel = channel;
    this.metrics = metrics;
    this.behind = behind;
    this.tokenRefused = tokenRefused;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "invalidation-publisher");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    log.info("invalidation stream {} started", stream);
    thread.scheduleWithFixedDelay(this::tickSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  String stream() {
    return stream;
  }

  /** The last status computed for a policy (null before the first). */
  InvalidationStatus statusOf(String policy) {
    return statuses.get(policy);
  }

  private void tickSafely() {
    try {
      tick(System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("invalidation tick failed, next one in {} ms", TICK_MILLIS, e); // never stops
    }
  }

  private void tick(long now) {
    Batch b = pending.drain(seq + 1);
    if (b != null) {
      seq = b.seq();
      batches.add(b);
      bodies.clear();
      lastBatchMillis = System.currentTimeMillis();
      metrics.batch(b.services() == null ? 0 : b.size());
    }
    List<AgentTargets.Target> all = targets.get();
    boolean live = watching.getAsBoolean();
    if (!live && now - lastStatusNanos >= STATUS_EVERY_NANOS) {
      // Not seeing the API: no message at all, so every agent's lease lapses and it stops holding.
      lastStatusNanos = now;
      updateStatuses(all, now, "WatchLost");
    }
    if (!live) {
      return;
    }
    Set<String> seen = new HashSet<>();
    List<AgentTargets.Target> owners = new ArrayList<>();
    List<AgentTargets.Agent> agents = new ArrayList<>();
    for (AgentTargets.Target t : all) {
      for (AgentTargets.Agent a : t.agents()) {
        seen.add(a.key());
        owners.add(t);
        agents.add(a);
      }
    }
    // Round robin from where the last tick stopped: with more agents than messages in flight, the
    // first agents of the list must not take every free slot while the last ones starve.
    int n = agents.size();
    for (int i = 0; i < n && inFlight < MAX_IN_FLIGHT; i++) {
      int at = (nextAgent + i) % n;
      AgentTargets.Agent a = agents.get(at);
      AgentCursor c = cursors.computeIfAbsent(a.key(), k -> new AgentCursor(a.endpoint(), now));
      if (!c.inFlight && now - c.retryAtNanos >= 0) {
        if (!c.upToDate(seq) || now - c.lastSentNanos >= HEARTBEAT_NANOS) {
          send(owners.get(at), a, c, now);
          nextAgent = at + 1;
        }
      }
    }
    cursors.keySet().removeIf(k -> !seen.contains(k) && !cursors.get(k).inFlight);
    channel.retain(seen);
    if (now - lastStatusNanos >= STATUS_EVERY_NANOS) {
      lastStatusNanos = now;
      updateStatuses(all, now, "Following");
    }
  }

  private void send(AgentTargets.Target t, AgentTargets.Agent a, AgentCursor c, long now) {
    long to = seq;
    Body b = bodies.computeIfAbsent(c.acked + " " + t.domain(), k -> body(c.acked, to, t.domain()));
    long after = b.after;
    long changedAt = b.changedAt;
    String body = b.json;
    c.inFlight = true;
    c.lastSentNanos = now;
    inFlight++;
    long sentTo = to;
    channel
        .send(t, a, body)
        .whenComplete(
            (reply, error) -> thread.execute(() -> done(t, c, sentTo, changedAt, reply, error)));
  }

  /** A message, made once per range and domain: most agents are at the same batch. */
  private record Body(long after, long changedAt, String json) {}

  private Body body(long acked, long to, String domain) {
    long after = acked;
    List<String> names = after < 0 ? null : batches.names(after, to, domain);
    if (names == null) {
      after = to; // a range the agent cannot have applied: it resyncs (unless it is there)
      names = List.of();
    }
    long changedAt = after < to ? batches.changedAt(after, to) : 0;
    return new Body(
        after, changedAt, InvalidationRequest.json(stream, after, to, names, changedAt));
  }

  private void done(
      AgentTargets.Target t,
      AgentCursor c,
      long to,
      long changedAt,
      JsonNode reply,
      Throwable error) {
    c.inFlight = false;
    inFlight--;
    long now = System.nanoTime();
    if (error != null || reply == null || !stream.equals(reply.path("stream").asText())) {
      String why = error == null ? "unexpected reply " + reply : rootMessage(error);
      if (why.contains("HTTP 401")) {
        tokenRefused.accept(t.policy().getMetadata().getName());
        metrics.pushed("refused");
      } else {
        metrics.pushed("failed");
      }
      c.failures++;
      c.lastError = why;
      long backoff = Math.min(MAX_BACKOFF_NANOS, 100_000_000L << Math.min(c.failures, 6));
      c.retryAtNanos = now + backoff;
      if (c.failures == 3) {
        log.info("agent on {} not reached: {} (retrying)", c.endpoint.node(), why);
      }
      return;
    }
    c.failures = 0;
    c.acked = Math.max(c.acked, reply.path("applied").asLong(to));
    c.lastAckNanos = now;
    metrics.pushed(reply.path("resynced").asBoolean() ? "resynced" : "ok");
    if (changedAt > 0) {
      double lag = Math.max(0, System.currentTimeMillis() - changedAt) / 1000.0;
      metrics.applied(lag);
      long[] latest =
          lagOfLatest.computeIfAbsent(t.policy().getMetadata().getName(), k -> new long[2]);
      if (to > latest[0]) {
        latest[0] = to;
        latest[1] = 0;
      }
      if (to == latest[0]) {
        latest[1] = Math.max(latest[1], (long) (lag * 1000));
      }
    }
  }

  private void updateStatuses(List<AgentTargets.Target> all, long now, String phase) {
    for (AgentTargets.Target t : all) {
      String policy = t.policy().getMetadata().getName();
      int upToDate = 0;
      List<String> late = new ArrayList<>();
      for (AgentTargets.Agent a : t.agents()) {
        AgentCursor c = cursors.get(a.key());
        if (c == null) {
          continue;
        }
        if (c.upToDate(seq)) {
          upToDate++;
        } else if (behind(c, now)) {
          late.add(c.endpoint.node());
        }
      }
      late.sort(null);
      InvalidationStatus s = new InvalidationStatus();
      s.phase = phase;
      s.batch = seq;
      s.lastBatchAt =
          lastBatchMillis == 0 ? null : Instant.ofEpochMilli(lastBatchMillis).toString();
      s.upToDate = upToDate;
      s.nodes = t.agents().size();
      long[] lag = lagOfLatest.get(policy);
      s.lastLagMillis = lag == null ? null : lag[1];
      s.behindNodes = new ArrayList<>(late.subList(0, Math.min(20, late.size())));
      s.summary = upToDate + "/" + t.agents().size();
      statuses.put(policy, s);
      Set<String> before = behindByPolicy.getOrDefault(policy, Set.of());
      Set<String> nowBehind = new HashSet<>(late);
      if (!nowBehind.equals(before)) {
        if (!nowBehind.isEmpty() && !before.containsAll(nowBehind)) {
          behind.changed(t, late, false);
        } else if (nowBehind.isEmpty()) {
          behind.changed(t, List.copyOf(before), true);
        }
        behindByPolicy.put(policy, nowBehind);
      }
    }
  }

  /**
   * Behind: the oldest change it has not acknowledged is older than {@link #BEHIND_NANOS} (under a
   * steady stream of changes a following agent is rarely at the very last batch), and it has been
   * known that long (a new agent gets its first message first).
   */
  private boolean behind(AgentCursor c, long now) {
    if (now - c.sinceNanos < BEHIND_NANOS) {
      return false;
    }
    long oldest = c.acked < 0 ? 0 : batches.changedAt(c.acked, seq);
    return oldest == 0 || System.currentTimeMillis() - oldest >= BEHIND_NANOS / 1_000_000;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    channel.close();
  }
}
