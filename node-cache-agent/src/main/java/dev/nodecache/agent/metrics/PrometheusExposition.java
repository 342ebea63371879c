package dev.nodecache.agent.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The agent's metrics in the Prometheus text format. The counters and histograms live in {@link
 * AgentMetrics} (LongAdders bumped on the hot path) and are read here only when scraped. Written by
 * hand, not with the Prometheus Java client: for 25 metrics, the client was 90 classes and its
 * regular expressions, in every agent's memory.
 */
public final class PrometheusExposition {
  private static final String REQUEST_DURATION = "nodecache_request_duration_seconds";
  private static final String UPSTREAM_DURATION = "nodecache_upstream_duration_seconds";

  private final AgentMetrics m;
  private final Gauges g;

  public PrometheusExposition(AgentMetrics m, Gauges gauges) {
    this.m = m;
    this.g = gauges;
  }

  /** Values read at scrape time from other parts of the agent. */
  public record Gauges(
      DoubleSupplier cacheEntries,
      DoubleSupplier cacheBytes,
      DoubleSupplier inFlight,
      Supplier<Map<String, Boolean>> upstreamUp,
      DoubleSupplier invalidationLive,
      DoubleSupplier invalidationApplied) {}

  public byte[] scrape() {
    TextFormat out = new TextFormat();
    counter(
        out,
        "nodecache_requests",
        "Client queries, by transport and type.",
        m.requestsByLabel(),
        "proto",
        "type");
    counter(
        out,
        "nodecache_cache_hits",
        "Queries answered from a fresh cache entry.",
        m.cacheHits.sum());
    counter(
        out,
        "nodecache_cache_misses",
        "Queries not answered from a fresh cache entry.",
        m.cacheMisses.sum());
    counter(
        out,
        "nodecache_cache_evictions",
        "Entries evicted because the cache was full.",
        m.evictions.sum());
    counter(out, "nodecache_served_stale", "Answers served stale (RFC 8767).", m.servedStale.sum());
    counter(
        out, "nodecache_prefetch", "Background refreshes of popular entries.", m.prefetches.sum());
    counter(
        out,
        "nodecache_upstream_queued",
        "Upstream queries that waited for a turn (the upstream's maxConcurrent).",
        m.upstreamQueued.sum());
    counter(out, "nodecache_flushes", "Cache flushes done (API, config, signal).", m.flushes.sum());
    counter(
        out,
        "nodecache_config_reloads",
        "Config file changes, by result.",
        Map.of("applied", m.reloadsApplied.sum(), "refused", m.reloadsRefused.sum()),
        "result");
    counter(
        out,
        "nodecache_upstream_requests",
        "Upstream exchanges, by server and rcode (timeout_or_error: no usable reply).",
        m.upstreamRequests(),
        "upstream",
        "rcode");
    counter(
        out,
        "nodecache_dropped",
        "Packets dropped or answered with an error, by reason.",
        m.droppedByReason(),
        "reason");
    counter(
        out,
        "nodecache_admin_requests",
        "Requests to the admin HTTP plane, by path (other: not served) and method.",
        m.adminRequests(),
        "path",
        "method");
    gauge(
        out,
        "nodecache_cache_entries",
        "Entries in the cache, stale ones included.",
        g.cacheEntries().getAsDouble());
    gauge(
        out,
        "nodecache_cache_bytes",
        "Heap bytes the cache's entries take (estimated), bounded by cache.maxBytes.",
        g.cacheBytes().getAsDouble());
    gauge(
        out,
        "nodecache_upstream_in_flight",
        "Upstream queries outstanding.",
        g.inFlight().getAsDouble());
    out.family(
        "nodecache_upstream_up",
        "gauge",
        "1 if the upstream server is healthy, 0 while it is down.");
    new TreeMap<>(g.upstreamUp().get())
        .forEach(
            (server, up) ->
                out.sample("nodecache_upstream_up", up ? "1.0" : "0.0", "upstream", server));
    counter(
        out,
        "nodecache_invalidation_requests",
        "Invalidation messages received from the operator.",
        m.invalidationRequests.sum());
    counter(
        out,
        "nodecache_invalidated_entries",
        "Cache entries removed by invalidation messages.",
        m.invalidatedEntries.sum());
    counter(
        out,
        "nodecache_invalidation_resyncs",
        "Times the followed zones were flushed whole, by reason.",
        m.resyncsByReason(),
        "reason");
    gauge(
        out,
        "nodecache_invalidation_stream_live",
        "1 while the operator's invalidation stream is live (answers held), else 0.",
        g.invalidationLive().getAsDouble());
    gauge(
        out,
        "nodecache_invalidation_applied_batch",
        "The last batch of the invalidation stream applied.",
        g.invalidationApplied().getAsDouble());
    out.family(
        REQUEST_DURATION,
        "histogram",
        "Time from reading a client query to writing its answer, by cache result.");
    m.hitLatency.write(out, REQUEST_DURATION, "result", "hit");
    m.missLatency.write(out, REQUEST_DURATION, "result", "miss");
    m.staleLatency.write(out, REQUEST_DURATION, "result", "stale");
    out.family(
        UPSTREAM_DURATION, "histogram", "Time of one upstream exchange, by upstream server.");
    m.upstreamLatencies()
        .forEach((server, h) -> h.write(out, UPSTREAM_DURATION, "upstream", server));
    out.family(
        "nodecache_invalidation_lag_seconds",
        "histogram",
        "From the operator seeing an API change to this agent having applied it.");
    m.invalidationLag.write(out, "nodecache_invalidation_lag_seconds");
    out.family(
        "nodecache_invalidation_batch_names",
        "histogram",
        "Names in one applied invalidation message.");
    m.batchNames.write(out, "nodecache_invalidation_batch_names");
    return out.toBytes();
  }

  private static void counter(TextFormat out, String name, String help, long value) {
    out.family(name + "_total", "counter", help).sample(name + "_total", Double.toString(value));
  }

  /** A counter by one label, from counts by its value. */
  private static void counter(
      TextFormat out, String name, String help, Map<String, Long> counts, String label) {
    out.family(name + "_total", "counter", help);
    new TreeMap<>(counts)
        .forEach((value, n) -> out.sample(name + "_total", Double.toString(n), label, value));
  }

  /** A counter by two labels, from counts keyed "first\0second"; label names go out sorted. */
  private static void counter(
      TextFormat out,
      String name,
      String help,
      Map<String, Long> counts,
      String first,
      String second) {
    out.family(name + "_total", "counter", help);
    boolean swap = first.compareTo(second) > 0;
    counts.forEach(
        (k, n) -> {
          int split = k.indexOf('\u0000');
          String a = k.substring(0, split);
          String b = k.substring(split + 1);
          out.sample(
              name + "_total",
              Double.toString(n),
              swap ? second : first,
              swap ? b : a,
              swap ? first : second,
              swap ? a : b);
        });
  }

  private static void gauge(TextFormat out, String name, String help, double value) {
    out.family(name, "gauge", help).sample(name, Double.toString(value));
  }
}
