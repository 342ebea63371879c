package dev.nodecache.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {
  @Test
  void everyHistogramIsObservedAndScraped() {
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
  }

  @Test
  void aScrapeIsTheTextFormatWithCumulativeBucketsSortedLabelsAndEscapedValues() {
    AgentMetrics m = new AgentMetrics();
    PrometheusExposition exposition =
        new PrometheusExposition(
            m,
            new PrometheusExposition.Gauges(
                () -> 7,
                () -> 1234.5,
                () -> 0,
                () -> Map.of("10.0.0.10:53", false),
                () -> 1,
                () -> 42));
    m.answered(40_000, true, false); // 40 µs
    m.answered(200_000, true, false); // 200 µs
    m.answered(10_000_000_000L, true, false); // 10 s: past the last bound
    m.upstreamLatency("a\"b\\c\nd", 1_000_000);
    m.adminRequest("/flush", "GET");
    m.adminRequest("/flush", "GET");
    m.dropped("malformed");
    m.cacheHits.add(3);
    String text = new String(exposition.scrape(), StandardCharsets.UTF_8);

    String hit = "nodecache_request_duration_seconds_bucket{result=\"hit\",le=";
    for (String line :
        List.of(
            "# HELP nodecache_cache_hits_total Queries answered from a fresh cache entry.",
            "# TYPE nodecache_cache_hits_total counter",
            "nodecache_cache_hits_total 3.0",
            "nodecache_admin_requests_total{method=\"GET\",path=\"/flush\"} 2.0",
            "nodecache_dropped_total{reason=\"malformed\"} 1.0",
            "# TYPE nodecache_cache_entries gauge",
            "nodecache_cache_entries 7.0",
            "nodecache_cache_bytes 1234.5",
            "nodecache_upstream_up{upstream=\"10.0.0.10:53\"} 0.0",
            "nodecache_invalidation_applied_batch 42.0",
            "# TYPE nodecache_request_duration_seconds histogram",
            hit + "\"5.0E-5\"} 1",
            hit + "\"1.0E-4\"} 1",
            hit + "\"2.5E-4\"} 2",
            hit + "\"5.0\"} 2",
            hit + "\"+Inf\"} 3",
            "nodecache_request_duration_seconds_count{result=\"hit\"} 3",
            "nodecache_request_duration_seconds_sum{result=\"hit\"} 10.00024",
            "nodecache_request_duration_seconds_count{result=\"stale\"} 0",
            "nodecache_upstream_duration_seconds_bucket{upstream=\"a\\\"b\\\\c\\nd\",le=\"0.001\"} 1",
            "nodecache_invalidation_lag_seconds_bucket{le=\"+Inf\"} 0")) {
      assertTrue(
          text.contains("\n" + line + "\n") || text.startsWith(line + "\n"),
          line + " not in\n" + text);
    }
    String[] lines = text.split("\n");
    String previous = "";
    for (String line : lines) {
      if (line.startsWith("# HELP ")) {
        String family = line.split(" ")[2];
        assertTrue(family.compareTo(previous) > 0, family + " after " + previous);
        previous = family;
      } else if (!line.startsWith("# TYPE ")) {
        assertTrue(
            line.startsWith(previous.replaceAll("_total$", "")),
            line + " outside its family " + previous);
      }
    }
  }
}
