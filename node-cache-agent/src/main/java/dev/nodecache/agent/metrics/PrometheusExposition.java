package dev.nodecache.agent.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The agent's metrics in the Prometheus text format, through the Prometheus Java client. The
 * counters live in {@link AgentMetrics} (LongAdders bumped on the hot path) and are read here only
 * when scraped; the latency histograms are the client's own.
 */
public final class PrometheusExposition {
  private static final double[] LATENCY_BUCKETS = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    2.5, 5
  };

  private static final double[] LAG_BUCKETS = {
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 50, 100, 500, 1000, 5000, 50000};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public PrometheusExposition(AgentMetrics m, Gauges gauges) {
    Histogram requests =
        histogram(
                "nodecache_request_duration_seconds",
                "Time from reading a client query to writing its answer, by cache result.",
                LATENCY_BUCKETS)
            .labelNames("result")
            .register(registry);
    Histogram upstream =
        histogram(
                "nodecache_upstream_duration_seconds",
                "Time of one upstream exchange, by upstream server.",
                LATENCY_BUCKETS)
            .labelNames("upstream")
            .register(registry);
    m.bind(
        requests.labelValues("hit")::observe,
        requests.labelValues("miss")::observe,
        requests.labelValues("stale")::observe,
        (server, seconds) -> upstream.labelValues(server).observe(seconds));
    Histogram lag =
        histogram(
                "nodecache_invalidation_lag_seconds",
                "From the operator seeing an API change to this agent having applied it.",
                LAG_BUCKETS)
            .register(registry);
    Histogram batchNames =
        histogram(
                "nodecache_invalidation_batch_names",
                "Names in one applied invalidation message.",
                BATCH_BUCKETS)
            .register(registry);
    m.bindInvalidation(lag::observe, batchNames::observe);
    registry.register((MultiCollector) () -> snapshot(m, gauges));
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static MetricSnapshots snapshot(AgentMetrics m, Gauges g) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(
        counter(
            "nodecache_requests",
            "Client queries, by transport and type.",
            m.requestsByLabel(),
            "proto",
            "type"));
    out.add(
        counter(
            "nodecache_cache_hits",
            "Queries answered from a fresh cache entry.",
            m.cacheHits.sum()));
    out.add(
        counter(
            "nodecache_cache_misses",
            "Queries not answered from a fresh cache entry.",
            m.cacheMisses.sum()));
    out.add(
        counter(
            "nodecache_cache_evictions",
            "Entries evicted because the cache was full.",
            m.evictions.sum()));
    out.add(
        counter("nodecache_served_stale", "Answers served stale (RFC 8767).", m.servedStale.sum()));
    out.add(
        counter(
            "nodecache_prefetch", "Background refreshes of popular entries.", m.prefetches.sum()));
    out.add(
        counter(
            "nodecache_upstream_queued",
            "Upstream queries that waited for a turn (the upstream's maxConcurrent).",
            m.upstreamQueued.sum()));
    out.add(
        counter("nodecache_flushes", "Cache flushes done (API, config, signal).", m.flushes.sum()));
    CounterSnapshot.Builder reloads =
        CounterSnapshot.builder()
            .name("nodecache_config_reloads")
            .help("Config file changes, by result.");
    reloads.dataPoint(counter(m.reloadsApplied.sum(), Labels.of("result", "applied")));
    reloads.dataPoint(counter(m.reloadsRefused.sum(), Labels.of("result", "refused")));
    out.add(reloads.build());
    out.add(
        counter(
            "nodecache_upstream_requests",
            "Upstream exchanges, by server and rcode (timeout_or_error: no usable reply).",
            m.upstreamRequests(),
            "upstream",
            "rcode"));
    CounterSnapshot.Builder dropped =
        CounterSnapshot.builder()
            .name("nodecache_dropped")
            .help("Packets dropped or answered with an error, by reason.");
    m.droppedByReason()
        .forEach((reason, v) -> dropped.dataPoint(counter(v, Labels.of("reason", reason))));
    out.add(dropped.build());
    out.add(
        counter(
            "nodecache_admin_requests",
            "Requests to the admin HTTP plane, by path (other: not served) and method.",
            m.adminRequests(),
            "path",
            "method"));
    out.add(
        gauge(
            "nodecache_cache_entries",
            "Entries in the cache, stale ones included.",
            g.cacheEntries().getAsDouble()));
    out.add(
        gauge(
            "nodecache_cache_bytes",
            "Heap bytes the cache's entries take (estimated), bounded by cache.maxBytes.",
            g.cacheBytes().getAsDouble()));
    out.add(
        gauge(
            "nodecache_upstream_in_flight",
            "Upstream queries outstanding.",
            g.inFlight().getAsDouble()));
    GaugeSnapshot.Builder up =
        GaugeSnapshot.builder()
            .name("nodecache_upstream_up")
            .help("1 if the upstream server is healthy, 0 while it is down.");
    g.upstreamUp()
        .get()
        .forEach(
            (server, isUp) ->
                up.dataPoint(
                    GaugeDataPointSnapshot.builder()
                        .value(isUp ? 1 : 0)
                        .labels(Labels.of("upstream", server))
                        .build()));
    out.add(up.build());
    out.add(
        counter(
            "nodecache_invalidation_requests",
            "Invalidation messages received from the operator.",
            m.invalidationRequests.sum()));
    out.add(
        counter(
            "nodecache_invalidated_entries",
            "Cache entries removed by invalidation messages.",
            m.invalidatedEntries.sum()));
    CounterSnapshot.Builder resyncs =
        CounterSnapshot.builder()
            .name("nodecache_invalidation_resyncs")
            .help("Times the followed zones were flushed whole, by reason.");
    m.resyncsByReason()
        .forEach((reason, v) -> resyncs.dataPoint(counter(v, Labels.of("reason", reason))));
    out.add(resyncs.build());
    out.add(
        gauge(
            "nodecache_invalidation_stream_live",
            "1 while the operator's invalidation stream is live (answers held), else 0.",
            g.invalidationLive().getAsDouble()));
    out.add(
        gauge(
            "nodecache_invalidation_applied_batch",
            "The last batch of the invalidation stream applied.",
            g.invalidationApplied().getAsDouble()));
    return new MetricSnapshots(out);
  }

  private static CounterSnapshot counter(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(counter(value, Labels.EMPTY))
        .build();
  }

  /** A counter by two labels, from counts keyed "first\0second". */
  private static CounterSnapshot counter(
      String name, String help, Map<String, Long> counts, String first, String second) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    counts.forEach(
        (k, v) -> {
          String[] l = k.split("\u0000");
          b.dataPoint(counter(v, Labels.of(first, l[0], second, l[1])));
        });
    return b.build();
  }

  private static CounterDataPointSnapshot counter(long value, Labels labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  /**
   * Classic buckets only, and no exemplars: sampling them takes a scheduler thread of the client's
   * own on every agent, for data nobody here reads.
   */
  private static Histogram.Builder histogram(String name, String help, double[] buckets) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicUpperBounds(buckets)
        .classicOnly()
        .withoutExemplars();
  }
}
