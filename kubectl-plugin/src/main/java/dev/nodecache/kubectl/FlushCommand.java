package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.operator.flush.FlushRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code flush [POLICY] [--names a,*.b] [--wait] [--timeout 60s]}: the annotation with a fresh id
 * (SPEC §3), then, with --wait, every node's progress (each agent says whether it did the flush)
 * until the operator reports the flush Completed or Failed.
 */
final class FlushCommand {
  static final int FAILED = 1;
  static final int TIMED_OUT = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Cluster cluster;
  private final Console console;

  FlushCommand(Cluster cluster, Console console) {
    this.cluster = cluster;
    this.console = console;
  }

  int run(Args args) throws InterruptedException {
    List<String> names = names(args.flag("--names"));
    Duration timeout = args.duration("--timeout", Duration.ofSeconds(60));
    boolean json = args.json();
    DnsCachePolicy policy = cluster.policy(args.word(1));
    String name = policy.getMetadata().getName();
    String id =
        "kubectl-"
            + ID_TIME.format(Instant.now())
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    cluster.patchPolicy(policy, annotations(id, names));
    String what = names.isEmpty() ? "everything" : String.join(",", names);
    if (!args.on("--wait")) {
      if (json) {
        console.json(Map.of("policy", name, "id", id, "names", names, "phase", "Requested"));
      } else {
        console.out.println("flush " + id + " requested on policy " + name + " (" + what + ")");
        console.out.println(
            "follow it: kubectl nodecache flush --wait, or kubectl nodecache status");
      }
      return 0;
    }
    console.progress("flush " + id + " requested on policy " + name + " (" + what + ")");
    return follow(policy, id, timeout, json);
  }

  /** Names as the agents will read them; a bad one is refused before anything is changed. */
  static List<String> names(String flag) {
    List<String> out = new ArrayList<>();
    if (flag == null) {
      return out;
    }
    for (String n : flag.split(",")) {
      if (n.isBlank()) {
        continue;
      }
      try {
        out.add(ConfigParser.flushName(n.strip()));
      } catch (IllegalArgumentException e) {
        throw new UserError("--names " + n.strip() + ": " + e.getMessage());
      }
    }
    if (out.size() > FlushRequest.MAX_NAMES) {
      throw new UserError(
          "--names has " + out.size() + " names; a flush takes at most " + FlushRequest.MAX_NAMES);
    }
    return out;
  }

  /** The merge patch: the new id, and the names (or none: a previous names annotation goes). */
  static String annotations(String id, List<String> names) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode a = patch.putObject("metadata").putObject("annotations");
    a.put(FlushRequest.FLUSH, id);
    if (names.isEmpty()) {
      a.putNull(FlushRequest.FLUSH_NAMES);
    } else {
      a.put(FlushRequest.FLUSH_NAMES, String.join(",", names));
    }
    return patch.toString();
  }

  private int follow(DnsCachePolicy policy, String id, Duration timeout, boolean json)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    TreeSet<String> acknowledged = new TreeSet<>();
    String lastLine = "";
    DnsCachePolicyStatus.Flush flush = null;
    List<AgentPod> agents = List.of();
    while (true) {
      DnsCachePolicy now = cluster.reread(policy);
      flush = now.getStatus() == null ? null : now.getStatus().lastFlush;
      boolean ours = flush != null && id.equals(flush.id);
      agents = cluster.agents(now);
      // one small request per node that has not flushed yet: on a big cluster this goes through
      // the API server's proxy, so nodes that are done are not asked again
      List<AgentPod> pending =
          agents.stream().filter(a -> !acknowledged.contains(a.node())).toList();
      for (String node : flushed(pending, id)) {
        acknowledged.add(node);
        if (!console.terminal()) {
          console.progress(node + " flushed");
        }
      }
      if (ours && ("Completed".equals(flush.phase) || "Failed".equals(flush.phase))) {
        break;
      }
      String line =
          Console.bar(acknowledged.size(), agents.size(), 30)
              + " nodes flushed"
              + (ours ? " · " + flush.phase : " · waiting for the operator");
      if (console.terminal() || !line.equals(lastLine)) {
        console.progress(line);
        lastLine = line;
      }
      if (System.nanoTime() - deadline >= 0) {
        console.endProgress();
        return timedOut(policy, id, timeout, ours ? flush : null, agents, acknowledged, json);
      }
      Thread.sleep(500);
    }
    console.endProgress();
    return finished(policy, flush, json);
  }

  /** The nodes of {@code agents} whose agent says it did flush {@code id}. */
  private List<String> flushed(List<AgentPod> agents, String id) {
    List<CompletableFuture<Boolean>> asked = new ArrayList<>();
    for (AgentPod a : agents) {
      asked.add(
          a.ip() == null
              ? CompletableFuture.completedFuture(false)
              : NodeReport.askFlush(cluster, a, id)
                  .thenApply(NodeReport::flushDone)
                  .exceptionally(e -> false));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < agents.size(); i++) {
      if (asked.get(i).join()) {
        out.add(agents.get(i).node());
      }
    }
    return out;
  }

  private int finished(DnsCachePolicy policy, DnsCachePolicyStatus.Flush f, boolean json) {
    boolean ok = "Completed".equals(f.phase);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("policy", policy.getMetadata().getName());
      o.put("id", f.id);
      o.put("phase", f.phase);
      o.put("acknowledged", f.acknowledged);
      o.put("failed", f.failed);
      o.put("failedNodes", f.failedNodes);
      o.put("message", f.message);
      console.json(o);
    } else {
      console.out.println(
          "flush "
              + f.id
              + " "
              + f.phase.toLowerCase(java.util.Locale.ROOT)
              + ": "
              + n(f.acknowledged)
              + " acknowledged, "
              + n(f.failed)
              + " failed"
              + (f.failedNodes == null || f.failedNodes.isEmpty()
                  ? ""
                  : " (" + String.join(", ", f.failedNodes) + ")"));
      if (!ok) {
        console.out.println(
            f.failedNodes == null || f.failedNodes.isEmpty()
                ? String.valueOf(f.message)
                : "a failed node flushes when its agent next reads its config (the id is in it);"
                    + " check it: kubectl nodecache status "
                    + policy.getMetadata().getName());
      }
    }
    return ok ? 0 : FAILED;
  }

  private int timedOut(
      DnsCachePolicy policy,
      String id,
      Duration timeout,
      DnsCachePolicyStatus.Flush f,
      List<AgentPod> agents,
      TreeSet<String> acknowledged,
      boolean json) {
    List<String> pending = new ArrayList<>();
    for (AgentPod a : agents) {
      if (!acknowledged.contains(a.node())) {
        pending.add(a.node());
      }
    }
    String why =
        f == null
            ? "the operator has not taken the flush up (is it running? kubectl -n "
                + cluster.namespace()
                + " get pods)"
            : "the flush is still " + f.phase;
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("policy", policy.getMetadata().getName());
      o.put("id", id);
      o.put("phase", "TimedOut");
      o.put("flushedNodes", List.copyOf(acknowledged));
      o.put("pendingNodes", pending);
      o.put("message", why);
      console.json(o);
    } else {
      console.out.println(
          "flush "
              + id
              + " timed out after "
              + timeout.toSeconds()
              + "s: "
              + acknowledged.size()
              + "/"
              + agents.size()
              + " nodes flushed"
              + (pending.isEmpty() ? "" : ", pending: " + String.join(", ", pending))
              + "; "
              + why);
    }
    return TIMED_OUT;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
