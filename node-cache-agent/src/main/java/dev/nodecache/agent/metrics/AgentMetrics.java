package dev.nodecache.agent.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's counters, cheap to bump from every event loop (LongAdder, no label lookups on the hot
 * path); the admin plane reads them when scraped.
 */
public final class AgentMetrics {
  public enum Proto {
    UDP,
    TCP
  }

  /** The query types counted by name; anything else is "other". */
  static final String[] TYPE_NAMES = new String[256];

  static {
    String[][] known = {
      {"1", "A"},
      {"2", "NS"},
      {"5", "CNAME"},
      {"6", "SOA"},
      {"12", "PTR"},
      {"15", "MX"},
      {"16", "TXT"},
      {"28", "AAAA"},
      {"33", "SRV"},
      {"43", "DS"},
      {"48", "DNSKEY"},
      {"64", "SVCB"},
      {"65", "HTTPS"},
      {"255", "ANY"}
    };
    for (String[] k : known) {
      TYPE_NAMES[Integer.parseInt(k[0])] = k[1];
    }
  }

  private final LongAdder[][] requests = new LongAdder[2][257];
  public final LongAdder cacheHits = new LongAdder();
  public final LongAdder cacheMisses = new LongAdder();
  public final LongAdder evictions = new LongAdder();
  public final LongAdder servedStale = new LongAdder();
  public final LongAdder prefetches = new LongAdder();
  public final LongAdder upstreamQueued = new LongAdder();
  public final LongAdder flushes = new LongAdder();
  public final LongAdder reloadsApplied = new LongAdder();
  public final LongAdder reloadsRefused = new LongAdder();
  public final LongAdder invalidationRequests = new LongAdder();
  public final LongAdder invalidatedEntries = new LongAdder();
  private final Map<String, LongAdder> resyncs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> adminRequests = new ConcurrentHashMap<>();

  /** Latency buckets in seconds: cache hits take tens of microseconds, upstreams milliseconds. */
  private static final double[] LATENCY_BUCKETS = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    2.5, 5
  };

  private static final double[] LAG_BUCKETS = {
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 50, 100, 500, 1000, 5000, 50000};

  final Histogram hitLatency = new Histogram(LATENCY_BUCKETS);
  final Histogram missLatency = new Histogram(LATENCY_BUCKETS);
  final Histogram staleLatency = new Histogram(LATENCY_BUCKETS);
  private final Map<String, Histogram> upstreamLatency = new ConcurrentHashMap<>();
  final Histogram invalidationLag = new Histogram(LAG_BUCKETS);
  final Histogram batchNames = new Histogram(BATCH_BUCKETS);

  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> upstreamRequests = new ConcurrentHashMap<>();

  public AgentMetrics() {
    for (LongAdder[] row : requests) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new LongAdder();
      }
    }
  }

  public void answered(long nanos, boolean hit, boolean stale) {
    (hit ? hitLatency : stale ? staleLatency : missLatency).observe(nanos / 1e9);
  }

  public void upstreamLatency(String upstream, long nanos) {
    upstreamLatency
        .computeIfAbsent(upstream, u -> new Histogram(LATENCY_BUCKETS))
        .observe(nanos / 1e9);
  }

  public void request(Proto proto, int type) {
    requests[proto.ordinal()][type < 256 && TYPE_NAMES[type] != null ? type : 256].increment();
  }

  /** The invalidation stream resynced (flushed its zones once), and why. */
  public void resynced(String reason) {
    resyncs.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /**
   * A request to the admin plane: its path (one of the served ones, or "other", so a scanner cannot
   * grow the label set) and method. Who polls an agent, and how often, is visible from outside.
   */
  public void adminRequest(String path, String method) {
    adminRequests.computeIfAbsent(path + "\u0000" + method, r -> new LongAdder()).increment();
  }

  /** Keyed "path\0method". */
  public Map<String, Long> adminRequests() {
    Map<String, Long> out = new TreeMap<>();
    adminRequests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public Map<String, Long> resyncsByReason() {
    Map<String, Long> out = new TreeMap<>();
    resyncs.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** A batch applied: its names, and the time since the operator saw its oldest change. */
  public void invalidationApplied(int names, double lagSeconds) {
    batchNames.observe(names);
    invalidationLag.observe(lagSeconds);
  }

  public void dropped(String reason) {
    dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public void upstreamRequest(String upstream, String rcode) {
    upstreamRequests.computeIfAbsent(upstream + "\u0000" + rcode, r -> new LongAdder()).increment();
  }

  /** Requests per (proto, type name), for exposition. */
  public Map<String, Long> requestsByLabel() {
    Map<String, Long> out = new TreeMap<>();
    for (Proto p : Proto.values()) {
      LongAdder[] row = requests[p.ordinal()];
      for (int t = 0; t < row.length; t++) {
        long n = row[t].sum();
        if (n > 0) {
          String type = t < 256 ? TYPE_NAMES[t] : "other";
          out.merge(p.name().toLowerCase() + "\u0000" + type, n, Long::sum);
        }
      }
    }
    return out;
  }

  public long droppedCount(String reason) {
    LongAdder a = dropped.get(reason);
    return a == null ? 0 : a.sum();
  }

  public Map<String, Long> droppedByReason() {
    Map<String, Long> out = new TreeMap<>();
    dropped.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The upstream exchanges' latencies, by upstream, sorted. */
  Map<String, Histogram> upstreamLatencies() {
    return new TreeMap<>(upstreamLatency);
  }

  /** Keyed "upstream\0rcode". */
  public Map<String, Long> upstreamRequests() {
    Map<String, Long> out = new TreeMap<>();
    upstreamRequests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
