package dev.nodecache.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {
  @Test
  void everyHistogramIsObservedAndScrapedWithoutAThreadOfTheClients() {
    AgentMetrics m = new AgentMetrics();
    PrometheusExposition exposition =
        new PrometheusExposition(
            m,
            new PrometheusExposition.Gauges(() -> 0, () -> 0, () -> 0, Map::of, () -> 0, () -> 0));

    m.answered(40_000, true, false);
    m.answered(900_000, false, false);
    m.answered(1_000, false, true);
    m.upstreamLatency("10.0.0.10:53", 800_000);
    m.invalidationApplied(3, 0.2);
    String text = new String(exposition.scrape(), StandardCharsets.UTF_8);

    for (String sample :
        List.of(
            "nodecache_request_duration_seconds_count{result=\"hit\"} 1",
            "nodecache_upstream_duration_seconds_count{upstream=\"10.0.0.10:53\"} 1",
            "nodecache_invalidation_lag_seconds_count 1",
            "nodecache_invalidation_batch_names_count 1")) {
      assertTrue(text.contains(sample + "\n"), sample + " not in\n" + text);
    }
    // Exemplars would be sampled on the client's scheduler thread: one more thread on every node.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertTrue(!t.getName().startsWith("prometheus-metrics-scheduler"), t.getName());
    }
  }
}
