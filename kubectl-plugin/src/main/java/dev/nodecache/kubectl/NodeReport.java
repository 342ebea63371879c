package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What one node's agent says about itself: its metrics, whether it did a flush, its invalidation
 * stream. Read through the pod proxy, all nodes at once; a node that does not answer has an error.
 */
record NodeReport(
    AgentPod agent,
    String error,
    long entries,
    double hits,
    double misses,
    double servedStale,
    int upstreamsUp,
    int upstreams,
    Boolean flushDone,
    Boolean invalidationLive,
    Double invalidationMeanLagSeconds) {

  static List<NodeReport> of(Cluster cluster, List<AgentPod> agents, String flushId) {
    List<CompletableFuture<NodeReport>> all = new ArrayList<>();
    for (AgentPod a : agents) {
      all.add(read(cluster, a, flushId));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  private static CompletableFuture<NodeReport> read(Cluster cluster, AgentPod a, String flushId) {
    if (a.ip() == null) {
      return CompletableFuture.completedFuture(failed(a, "no pod IP yet"));
    }
    CompletableFuture<Cluster.Answer> metrics = cluster.agentGet(a, "/metrics", null);
    CompletableFuture<Cluster.Answer> flush =
        flushId == null ? CompletableFuture.completedFuture(null) : askFlush(cluster, a, flushId);
    CompletableFuture<Cluster.Answer> invalidation = cluster.agentGet(a, "/invalidation", null);
    return CompletableFuture.allOf(metrics, flush, invalidation)
        .thenApply(v -> from(a, metrics.join(), flush.join(), invalidation.join()))
        .exceptionally(e -> failed(a, reason(e)));
  }

  /** The agent's answer to "did you flush this id" ({@code done} in its JSON). */
  static CompletableFuture<Cluster.Answer> askFlush(Cluster cluster, AgentPod a, String id) {
    return cluster.agentGet(a, "/flush?id=" + Cluster.query(id), null);
  }

  static boolean flushDone(Cluster.Answer flush) {
    return flush.code() == 200 && flush.json().path("done").asBoolean();
  }

  private static NodeReport from(
      AgentPod a, Cluster.Answer metrics, Cluster.Answer flush, Cluster.Answer invalidation) {
    if (metrics.code() != 200) {
      return failed(a, unreachable(metrics));
    }
    PromText m = new PromText(metrics.body());
    int up = 0;
    int total = 0;
    for (PromText.Sample s : m.series("nodecache_upstream_up")) {
      total++;
      up += s.value() > 0 ? 1 : 0;
    }
    Boolean done = flush != null && flush.code() == 200 ? flushDone(flush) : null;
    JsonNode inv = invalidation.code() == 200 ? invalidation.json() : null;
    Boolean live =
        inv != null && inv.path("enabled").asBoolean() ? inv.path("live").asBoolean() : null;
    double lagCount = m.sum("nodecache_invalidation_lag_seconds_count");
    Double lag =
        live == null || lagCount == 0
            ? null
            : m.sum("nodecache_invalidation_lag_seconds_sum") / lagCount;
    return new NodeReport(
        a,
        null,
        (long) m.sum("nodecache_cache_entries"),
        m.sum("nodecache_cache_hits_total"),
        m.sum("nodecache_cache_misses_total"),
        m.sum("nodecache_served_stale_total"),
        up,
        total,
        done,
        live,
        lag);
  }

  /** The API server's 503 carries the reason (connection refused, timeout) in a Status. */
  private static String unreachable(Cluster.Answer a) {
    String message = a.json().path("message").asText("");
    return "HTTP " + a.code() + (message.isEmpty() ? "" : ": " + message);
  }

  static String reason(Throwable e) {
    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String m = c.getMessage();
    return c instanceof java.util.concurrent.TimeoutException
        ? "no answer in 10s"
        : m == null ? c.getClass().getSimpleName() : m;
  }

  private static NodeReport failed(AgentPod a, String error) {
    return new NodeReport(a, error, 0, 0, 0, 0, 0, 0, null, null, null);
  }

  boolean reachable() {
    return error == null;
  }

  /** Hits over lookups, or null before the first lookup. */
  Double hitRate() {
    double lookups = hits + misses;
    return lookups == 0 ? null : hits / lookups;
  }

  Map<String, Object> toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("node", agent.node());
    o.put("pod", agent.pod());
    o.put("ready", agent.ready());
    o.put("version", agent.version());
    o.put("reachable", reachable());
    if (!reachable()) {
      o.put("error", error);
      return o;
    }
    o.put("entries", entries);
    o.put("hits", (long) hits);
    o.put("misses", (long) misses);
    o.put("hitRate", hitRate());
    o.put("servedStale", (long) servedStale);
    o.put("upstreamsUp", upstreamsUp);
    o.put("upstreams", upstreams);
    o.put("lastFlushDone", flushDone);
    o.put("invalidationLive", invalidationLive);
    o.put("invalidationMeanLagSeconds", invalidationMeanLagSeconds);
    return o;
  }
}
