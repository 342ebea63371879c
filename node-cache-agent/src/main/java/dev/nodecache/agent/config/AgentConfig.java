package dev.nodecache.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agent's whole configuration: the JSON the operator renders into the policy's ConfigMap (SPEC
 * §5). Immutable; a reload builds a new one.
 */
public record AgentConfig(
    Listen listen,
    List<UpstreamGroup> upstreams,
    Cache cache,
    Admin admin,
    Flush flush,
    List<Migration> migrations,
    Network network,
    Log log,
    Invalidation invalidation) {

  /**
   * Where clients reach the agent. {@code threads} event loops, each with its own socket; on
   * SIGTERM the agent goes unready and keeps answering for {@code drainPeriod}.
   */
  public record Listen(
      List<InetAddress> addresses,
      int port,
      int threads,
      Duration tcpIdleTimeout,
      int maxTcpConnections,
      Duration drainPeriod) {}

  public enum Transport {
    UDP,
    TCP,
    PREFER_UDP
  }

  public enum Policy {
    SEQUENTIAL,
    ROUND_ROBIN,
    RANDOM
  }

  /**
   * Upstream servers for some zones. {@code zones} hold lower-case names without the trailing dot
   * ("." is the root); {@code servers} is never empty once parsed (resolv.conf already applied).
   * {@code maxConcurrent} bounds the queries outstanding to each server; the rest wait their turn.
   */
  public record UpstreamGroup(
      List<String> zones,
      List<InetSocketAddress> servers,
      Transport transport,
      Policy policy,
      Duration timeout,
      int maxConcurrent) {
    /** As dnsmasq's dns-forward-max: far above what a node needs from a healthy cluster DNS. */
    public static final int DEFAULT_MAX_CONCURRENT = 150;

    /** The resolver's own bound on upstream queries in flight; a higher bound would be moot. */
    public static final int MAX_CONCURRENT_CEILING = 4096;
  }

  public record ServeStale(
      boolean enabled, Duration maxStale, Duration clientTimeout, Duration answerTtl) {}

  public record Prefetch(boolean enabled, int minHits, int remainingPercent) {}

  /** The TTL rules of one zone (or the defaults), after merging overrides. */
  public record CacheRules(
      Duration minTtl,
      Duration maxTtl,
      Duration negativeMaxTtl,
      Duration servfailTtl,
      ServeStale serveStale,
      Prefetch prefetch) {}

  public record ZoneRules(List<String> zones, CacheRules rules) {}

  /** {@code maxBytes} 0: {@link MemoryRule#cacheBytesForHeap} of the agent's own heap. */
  public record Cache(int maxEntries, long maxBytes, CacheRules defaults, List<ZoneRules> zones) {
    /** The bytes the cache may hold in this JVM. */
    public long maxBytesIn(Runtime runtime) {
      return maxBytes > 0 ? maxBytes : MemoryRule.cacheBytesForHeap(runtime.maxMemory());
    }
  }

  public record Admin(InetAddress address, int port, String tokenFile) {}

  public record Flush(String id, List<String> names) {}

  public record Migration(
      String name,
      List<String> names,
      Instant cutoverAt,
      Duration ttlDuringMigration,
      Duration drainLead) {}

  public enum LogFormat {
    TEXT,
    JSON
  }

  public record Log(String level, LogFormat format) {}

  /**
   * Following the operator's invalidation stream (README, "Invalidation"): answers under {@code
   * zones} are removed as the API changes and, while the stream's lease is live, kept for {@code
   * hold}; {@code lease} without a message ends that; each invalidation is applied again after
   * {@code settle}. No zones: off.
   */
  public record Invalidation(List<String> zones, Duration hold, Duration lease, Duration settle) {
    public static final Invalidation OFF =
        new Invalidation(List.of(), Duration.ZERO, Duration.ofSeconds(15), Duration.ofSeconds(2));

    public boolean enabled() {
      return !zones.isEmpty();
    }
  }

  public record Network(
      boolean setupInterface,
      String interfaceName,
      boolean setupRules,
      List<InetAddress> interceptClusterDns) {}
}
