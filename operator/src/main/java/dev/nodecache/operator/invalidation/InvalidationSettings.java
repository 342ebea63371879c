package dev.nodecache.operator.invalidation;

import dev.nodecache.api.DnsCachePolicySpec;
import dev.nodecache.api.UpstreamGroup;
import java.util.Locale;

/** A policy's invalidation settings with their defaults (SPEC §2, §3a), in one place. */
public final class InvalidationSettings {
  public static final String DEFAULT_DOMAIN = "cluster.local";

  /**
   * How long a cluster answer stays cached while its node follows the API. Chosen from the bench
   * (bench/invalidation-bench.sh): past a few minutes the cluster DNS saves hardly anything more,
   * and a node cut off from the operator still drops everything it holds after its lease.
   */
  public static final String DEFAULT_HOLD = "5m";

  /** An agent that has heard nothing for this long stops holding and flushes the domain. */
  public static final String LEASE = "15s";

  /** An invalidation applied again after this: answers in flight or from a lagging DNS. */
  public static final String SETTLE = "2s";

  private InvalidationSettings() {}

  public static String domain(DnsCachePolicySpec spec) {
    return spec.clusterDomain == null || spec.clusterDomain.isBlank()
        ? DEFAULT_DOMAIN
        : spec.clusterDomain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
  }

  public static boolean enabled(DnsCachePolicySpec spec) {
    return spec.invalidation == null
        || spec.invalidation.enabled == null
        || spec.invalidation.enabled;
  }

  public static String holdFor(DnsCachePolicySpec spec) {
    return spec.invalidation == null || spec.invalidation.holdFor == null
        ? DEFAULT_HOLD
        : spec.invalidation.holdFor;
  }

  /** Whether its agents ask some upstream for the cluster domain (a zone at or above it). */
  public static boolean forwardsClusterDomain(DnsCachePolicySpec spec) {
    String domain = domain(spec);
    if (spec.upstreams == null) {
      return false;
    }
    for (UpstreamGroup g : spec.upstreams) {
      if (g.zones == null) {
        continue;
      }
      for (String z : g.zones) {
        String zone = z.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (zone.isEmpty()
            || zone.equals(".")
            || domain.equals(zone)
            || domain.endsWith("." + zone)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Enabled and forwarded: the policy's agents follow the API. */
  public static boolean follows(DnsCachePolicySpec spec) {
    return enabled(spec) && forwardsClusterDomain(spec);
  }
}
