package dev.nodecache.kubectl;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code status [POLICY]}: one line per node from its own agent (ready, version, entries, hit rate,
 * stale answers, upstreams, last flush, invalidation), then a summary for the policy in the spirit
 * of {@code resolvectl statistics}.
 */
final class StatusCommand {
  private final Cluster cluster;
  private final Console console;

  StatusCommand(Cluster cluster, Console console) {
    this.cluster = cluster;
    this.console = console;
  }

  int run(Args args) {
    boolean json = args.json();
    DnsCachePolicy policy = cluster.policy(args.word(1));
    DnsCachePolicyStatus status = policy.getStatus();
    DnsCachePolicyStatus.Flush flush = status == null ? null : status.lastFlush;
    List<NodeReport> nodes =
        NodeReport.of(cluster, cluster.agents(policy), flush == null ? null : flush.id);
    Summary s = Summary.of(nodes);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("policy", policy.getMetadata().getName());
      o.put("state", status == null ? null : status.state);
      o.put("lastFlush", flush);
      o.put("invalidation", status == null ? null : status.invalidation);
      o.put("summary", s.toJson());
      o.put("nodes", nodes.stream().map(NodeReport::toJson).toList());
      console.json(o);
      return 0;
    }
    console.out.println(header(policy, status));
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "NODE",
            "READY",
            "VERSION",
            "ENTRIES",
            "HIT RATE",
            "STALE",
            "UPSTREAMS",
            "LAST FLUSH",
            "INVALIDATION"));
    for (NodeReport r : nodes) {
      if (!r.reachable()) {
        rows.add(
            List.of(
                r.agent().node(),
                r.agent().ready() ? "yes" : "no",
                r.agent().version(),
                "unreachable: " + r.error()));
        continue;
      }
      rows.add(
          List.of(
              r.agent().node(),
              r.agent().ready() ? "yes" : "no",
              r.agent().version(),
              String.valueOf(r.entries()),
              Console.percent(r.hitRate()),
              String.valueOf((long) r.servedStale()),
              r.upstreamsUp() + "/" + r.upstreams() + " up",
              r.flushDone() == null ? "-" : r.flushDone() ? "done" : "NOT DONE",
              invalidation(r)));
    }
    Console.table(rows).forEach(console.out::println);
    console.out.println(s.line());
    return 0;
  }

  private static String header(DnsCachePolicy p, DnsCachePolicyStatus st) {
    StringBuilder b = new StringBuilder("policy " + p.getMetadata().getName());
    if (st == null) {
      return b.append(": no status yet (is the operator running?)").toString();
    }
    b.append(": ").append(st.state == null ? "-" : st.state);
    if (st.nodes != null) {
      b.append(" · nodes ").append(st.nodes.ready).append("/").append(st.nodes.desired);
      b.append(" ready");
    }
    if (st.lastFlush != null) {
      b.append(" · last flush ")
          .append(st.lastFlush.id)
          .append(" ")
          .append(st.lastFlush.phase)
          .append(" (")
          .append(st.lastFlush.acknowledged)
          .append(" acknowledged, ")
          .append(st.lastFlush.failed)
          .append(" failed)");
    }
    if (st.invalidation != null && st.invalidation.phase != null) {
      b.append(" · invalidation ").append(st.invalidation.phase);
    }
    return b.toString();
  }

  private static String invalidation(NodeReport r) {
    if (r.invalidationLive() == null) {
      return "-";
    }
    String lag =
        r.invalidationMeanLagSeconds() == null
            ? ""
            : String.format(Locale.ROOT, ", lag %.2fs", r.invalidationMeanLagSeconds());
    return (r.invalidationLive() ? "live" : "not live") + lag;
  }

  /** The whole policy's figures. */
  record Summary(
      int nodes,
      int reachable,
      long entries,
      double hits,
      double misses,
      double stale,
      int upstreamsUp,
      int upstreams) {
    static Summary of(List<NodeReport> nodes) {
      int reachable = 0;
      long entries = 0;
      double hits = 0;
      double misses = 0;
      double stale = 0;
      int up = 0;
      int total = 0;
      for (NodeReport r : nodes) {
        if (r.reachable()) {
          reachable++;
          entries += r.entries();
          hits += r.hits();
          misses += r.misses();
          stale += r.servedStale();
          up += r.upstreamsUp();
          total += r.upstreams();
        }
      }
      return new Summary(nodes.size(), reachable, entries, hits, misses, stale, up, total);
    }

    Double hitRate() {
      return hits + misses == 0 ? null : hits / (hits + misses);
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "total: %d node(s), %d reachable · %d entries cached · %d lookups, hit rate %s · %d stale"
              + " answers · upstreams %d/%d up",
          nodes,
          reachable,
          entries,
          (long) (hits + misses),
          Console.percent(hitRate()),
          (long) stale,
          upstreamsUp,
          upstreams);
    }

    Map<String, Object> toJson() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("nodes", nodes);
      o.put("reachable", reachable);
      o.put("entries", entries);
      o.put("lookups", (long) (hits + misses));
      o.put("hitRate", hitRate());
      o.put("servedStale", (long) stale);
      o.put("upstreamsUp", upstreamsUp);
      o.put("upstreams", upstreams);
      return o;
    }
  }
}
