package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.api.DnsCachePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code cache NAME [POLICY]}: what every node holds for NAME, side by side, so that "which node
 * still has the old address" is one command. Each agent's {@code GET /cache?name=} needs the
 * agents' token, which the plugin reads from its Secret and keeps in memory.
 */
final class CacheCommand {
  private final Cluster cluster;
  private final Console console;

  CacheCommand(Cluster cluster, Console console) {
    this.cluster = cluster;
    this.console = console;
  }

  int run(Args args) {
    String name = args.word(1);
    if (name == null) {
      throw new UserError("which name? kubectl nodecache cache NAME [POLICY]");
    }
    try {
      ConfigParser.flushName(name);
    } catch (IllegalArgumentException e) {
      throw new UserError(name + ": " + e.getMessage());
    }
    boolean json = args.json();
    DnsCachePolicy policy = cluster.policy(args.word(2));
    String token = cluster.token(policy);
    List<AgentPod> agents = cluster.agents(policy);
    List<CompletableFuture<Object>> held = new ArrayList<>();
    for (AgentPod a : agents) {
      held.add(
          a.ip() == null
              ? CompletableFuture.completedFuture("no pod IP yet")
              : cluster
                  .agentGet(a, "/cache?name=" + Cluster.query(name), token)
                  .<Object>thenApply(r -> r.code() == 200 ? r.json() : "HTTP " + r.code())
                  .exceptionally(NodeReport::reason));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NODE", "TYPE", "RCODE", "TTL", "AGE", "STALE", "RECORDS"));
    for (int i = 0; i < agents.size(); i++) {
      AgentPod a = agents.get(i);
      Object r = held.get(i).join();
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("node", a.node());
      if (!(r instanceof JsonNode held1)) {
        node.put("error", r);
        rows.add(List.of(a.node(), "unreachable: " + r));
        out.add(node);
        continue;
      }
      node.put("entries", held1.path("entries"));
      out.add(node);
      if (held1.path("entries").isEmpty()) {
        rows.add(List.of(a.node(), "-", "-", "-", "-", "-", "(nothing cached)"));
      }
      for (JsonNode e : held1.path("entries")) {
        List<String> records = new ArrayList<>();
        e.path("records").forEach(x -> records.add(x.asText()));
        rows.add(
            List.of(
                a.node(),
                e.path("type").asText(),
                e.path("rcode").asText(),
                e.path("ttl").asText(),
                e.path("age").asText() + "s",
                e.path("stale").asBoolean()
                    ? "stale " + e.path("staleFor").asText() + "s left"
                    : "no",
                records.isEmpty() ? "" : records.get(0)));
        for (String more : records.subList(Math.min(1, records.size()), records.size())) {
          rows.add(List.of("", "", "", "", "", "", more));
        }
      }
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("policy", policy.getMetadata().getName());
      o.put("name", name);
      o.put("nodes", out);
      console.json(o);
    } else {
      Console.table(rows).forEach(console.out::println);
    }
    return 0;
  }
}
