package dev.nodecache.local.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.api.CacheSpec;
import dev.nodecache.api.Migration;
import dev.nodecache.local.api.TestApi;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.local.testing.LocalClusterProcess;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.flush.AgentPods;
import dev.nodecache.operator.flush.FlushRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code kubectl nodecache …} as a user runs it: the real kubectl finds the plugin on the PATH and
 * runs it against the local cluster's API (kubectl proxy, the pod proxy to each agent), with the
 * operator and three real agents. Output is read piped, and once on a pseudo-terminal.
 */
class KubectlPluginTest {
  static final String NS = "nodecache-system";
  static final List<SimulatedNode> NODES = List.of(node(1), node(2), node(3));
  static final Path PLUGIN_BIN = Fixtures.ROOT.resolve("kubectl-plugin/bin");
  static final ObjectMapper JSON = new ObjectMapper();

  TestApi api;
  KubernetesClient client;
  @TempDir Path work;
  TestUpstream upstream;
  NodeCacheOperator operator;
  TestPolicy policy;
  SimulatedKubelet kubelet;
  Path kubeconfig;
  int dnsPort;
  int adminPort;

  record Run(int code, String out, String err) {}

  static SimulatedNode node(int n) {
    return new SimulatedNode(
        "local-node-" + n, "127.0.62." + n, Map.of("kubernetes.io/hostname", "local-node-" + n));
  }

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(LocalClusterProcess.onPath("kubectl"), "kubectl is not on the PATH");
    assertTrue(
        Files.exists(Fixtures.ROOT.resolve("kubectl-plugin/target/kubectl-nodecache.jar")),
        "build the plugin first");
    api = TestApi.withNamespaces(Duration.ZERO, NS);
    client = api.client;
    upstream = new TestUpstream("127.0.62.100");
    dnsPort = FlushAndMigrationTest.freePort(NODES);
    adminPort = FlushAndMigrationTest.freePort(NODES);
    operator =
        new NodeCacheOperator(
            client, new OperatorSettings(NS, "agent:v9.8.7"), false, Clock.systemUTC());
    operator.start();
    policy = new TestPolicy(client, dnsPort, adminPort, upstream);
    kubelet = new SimulatedKubelet(client, NS, NODES, FlushAndMigrationTest.AGENT_JAR, work);
    kubelet.start();
    kubeconfig = work.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s"}
        contexts:
        - name: local
          context: {cluster: local, user: local}
        users:
        - name: local
          user: {token: local}
        current-context: local
        """
            .formatted(api.uri()));
  }

  @AfterEach
  void stop() {
    if (client == null) {
      return;
    }
    kubelet.close();
    if (operator != null) {
      operator.close();
    }
    upstream.close();
    api.close();
  }

  /** {@code kubectl nodecache ARGS}, output piped. */
  Run plugin(String... args) throws Exception {
    return started(args).await();
  }

  /** {@code kubectl nodecache ARGS} started, output piped: the test goes on while it runs. */
  Started started(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "nodecache"));
    cmd.addAll(List.of(args));
    return start(cmd);
  }

  Run run(List<String> cmd) throws Exception {
    return start(cmd).await();
  }

  record Started(List<String> cmd, Process process, Path out, Path err) {
    Run await() throws Exception {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the plugin ended: " + cmd);
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  Started start(List<String> cmd) throws Exception {
    ProcessBuilder b = new ProcessBuilder(cmd);
    b.environment().put("KUBECONFIG", kubeconfig.toString());
    b.environment().put("PATH", PLUGIN_BIN + ":" + System.getenv("PATH"));
    b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path out = Files.createTempFile(work, "out", "");
    Path err = Files.createTempFile(work, "err", "");
    b.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Started(cmd, b.start(), out, err);
  }

  String query(SimulatedNode node, String name) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName(node.ip()));
    r.setPort(dnsPort);
    r.setTimeout(Duration.ofSeconds(3));
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(org.xbill.DNS.Name.fromString(name + "."), Type.A, 1)));
    List<Record> a = m.getSection(Section.ANSWER);
    return a.isEmpty() ? "" : a.get(0).rdataToString();
  }

  @Test
  void aFlushWithWaitNamesTheNodeThatCouldNotBeReachedAndFails() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    policy.create(p -> p, 40);
    kubelet.partition("local-node-3", true);
    TestPolicy.eventually(
        "node 3 unreachable",
        () ->
            client.pods().inNamespace(NS).list().getItems().stream()
                    .anyMatch(p -> "127.255.255.254".equals(p.getStatus().getPodIP()))
                ? true
                : null,
        20);

    Run r = plugin("flush", "--wait", "--timeout", "90s");
    assertEquals(1, r.code(), "a failed flush exits 1: " + r);
    assertTrue(r.out().contains("failed: 2 acknowledged, 1 failed (local-node-3)"), r.out());
    assertTrue(r.err().contains("local-node-1 flushed"), "piped: one line per node\n" + r.err());
    assertFalse(r.err().contains("\033["), "no terminal codes when piped");

    Run json = plugin("flush", "--names", "a.example", "--wait", "-o", "json");
    assertEquals(1, json.code(), json.toString());
    JsonNode f = JSON.readTree(json.out());
    assertEquals("Failed", f.get("phase").asText());
    assertEquals(List.of("local-node-3"), List.of(f.get("failedNodes").get(0).asText()));
    assertEquals(
        "a.example", policy.get().getMetadata().getAnnotations().get(FlushRequest.FLUSH_NAMES));

    Run status = plugin("status");
    assertEquals(0, status.code(), status.toString());
    assertTrue(
        status
            .out()
            .lines()
            .anyMatch(l -> l.startsWith("local-node-3") && l.contains("unreachable")),
        status.out());
  }

  /**
   * --wait asks only the nodes that have not flushed yet (on a big cluster every request goes
   * through the API server): with the operator down, nodes 1 and 2 get the flush another way and
   * are not asked again; node 3 is asked every round until the timeout, which names it.
   */
  @Test
  void aFlushWithWaitAsksOnlyTheNodesNotYetFlushedAndTimesOutWithoutTheOperator() throws Exception {
    policy.create(p -> p, 40);
    operator.close();
    operator = null;
    String asked = "nodecache_admin_requests_total{method=\"GET\",path=\"/flush\"}";
    Started waiting = started("flush", "--wait", "--timeout", "8s");
    String id =
        TestPolicy.eventually(
            "the flush asked for",
            () -> policy.get().getMetadata().getAnnotations().get(FlushRequest.FLUSH),
            30);
    String token =
        AgentPods.token(
            client.secrets().inNamespace(NS).withName(PolicyNames.token(policy.get())).get());
    HttpClient http = HttpClient.newHttpClient();
    for (SimulatedNode n : NODES.subList(0, 2)) {
      HttpResponse<String> done =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + n.ip() + ":" + adminPort + "/flush"))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"" + id + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, done.statusCode(), done.body());
    }

    Run r = waiting.await();
    assertEquals(3, r.code(), "a timed-out flush exits 3: " + r);
    assertTrue(
        r.out().contains("2/3 nodes flushed, pending: local-node-3; the operator has not taken"),
        r.out());
    double node1 = policy.metric(NODES.get(0), asked);
    double node2 = policy.metric(NODES.get(1), asked);
    double node3 = policy.metric(NODES.get(2), asked);
    assertTrue(node3 >= 6, "node 3 asked every round of 8 s: " + node3);
    assertTrue(
        node1 <= 3 && node2 <= 3,
        "nodes 1 and 2 are not asked once flushed: "
            + node1
            + ", "
            + node2
            + " (node 3: "
            + node3
            + ")");
  }

  /**
   * {@code migrate status --watch} follows a migration from the drain to every node serving new.
   */
  @Test
  void migrateStatusWatchFollowsAMigrationToTheEnd() throws Exception {
    upstream.answer("api.example", "192.0.2.1");
    Instant cutover = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
    policy.create(
        p -> {
          Migration m = TestPolicy.migration("api-move", "api.example", cutover, "2s", "8s");
          p.getSpec().migrations = List.of(m);
          return p;
        },
        40);
    Started watching =
        started("migrate", "status", "--watch", "--interval", "1s", "--timeout", "90s");
    while (Instant.now().isBefore(cutover)) {
      Thread.sleep(20);
    }
    upstream.answer("api.example", "192.0.2.2");

    Run r = watching.await();
    assertEquals(0, r.code(), "the watch ends when the migration is done: " + r);
    List<String> rows = r.out().lines().filter(l -> l.startsWith("api-move")).toList();
    assertTrue(rows.size() >= 2, "every change is shown:\n" + r.out());
    assertTrue(rows.get(0).contains("Scheduled") || rows.get(0).contains("Draining"), r.out());
    String last = rows.get(rows.size() - 1);
    assertTrue(last.contains("Completed") && last.contains("3/3"), r.out());
    assertFalse(r.out().contains("\033["), "no redraw when piped");
  }

  @Test
  void statusAndCacheShowEveryNodeAfterAFlush() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    policy.create(p -> p, 40);
    for (SimulatedNode n : NODES) {
      assertEquals("192.0.2.1", query(n, "a.example"));
    }
    Run flush = plugin("flush", "default", "--names", "a.example", "--wait");
    assertEquals(0, flush.code(), flush.toString());
    assertTrue(flush.out().contains("completed: 3 acknowledged, 0 failed"), flush.out());
    String id = policy.status().lastFlush.id;
    assertTrue(id.startsWith("kubectl-"), id);
    upstream.answer("a.example", "192.0.2.2");
    assertEquals("192.0.2.2", query(NODES.get(1), "a.example"), "node 2 asked again");

    Run cache = plugin("cache", "a.example", "-o", "json");
    assertEquals(0, cache.code(), cache.toString());
    JsonNode nodes = JSON.readTree(cache.out()).get("nodes");
    assertEquals(3, nodes.size());
    assertEquals(0, nodes.get(0).get("entries").size(), "node 1 holds nothing after the flush");
    assertEquals(1, nodes.get(1).get("entries").size());
    assertTrue(nodes.get(1).at("/entries/0/records/0").asText().endsWith("192.0.2.2"));
    assertEquals(0, nodes.get(2).get("entries").size());
    Run table = plugin("cache", "a.example");
    assertTrue(
        table.out().lines().anyMatch(l -> l.startsWith("local-node-2") && l.contains("192.0.2.2")),
        table.out());
    assertTrue(
        table.out().lines().anyMatch(l -> l.startsWith("local-node-1") && l.contains("nothing")),
        table.out());

    Run status = plugin("status", "-o", "json");
    assertEquals(0, status.code(), status.toString());
    JsonNode s = JSON.readTree(status.out());
    assertEquals(id, s.at("/lastFlush/id").asText());
    assertEquals(3, s.at("/summary/reachable").asInt());
    for (JsonNode n : s.get("nodes")) {
      assertTrue(n.get("lastFlushDone").asBoolean(), n.toString());
      assertEquals("v9.8.7", n.get("version").asText());
      assertEquals(1, n.get("upstreamsUp").asInt());
    }
    assertEquals(1, s.at("/nodes/1/entries").asInt());
    assertEquals(2, s.at("/nodes/1/misses").asInt(), "before and after the flush");
    Run text = plugin("status");
    assertTrue(text.out().contains("total: 3 node(s), 3 reachable"), text.out());

    Run missing = plugin("status", "nope");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("policy `nope` not found; policies: default"), missing.err());
  }

  @Test
  void aMigrationPlanUsesThePolicysPerZoneCaps() throws Exception {
    policy.create(
        p -> {
          if (p.getSpec().cache == null) {
            p.getSpec().cache = new CacheSpec();
          }
          p.getSpec().cache.maxTtl = "1h";
          CacheSpec.ZoneRules shop = new CacheSpec.ZoneRules();
          shop.zones = List.of("shop.example");
          shop.maxTtl = "10m";
          p.getSpec().cache.zones = new ArrayList<>(List.of(shop));
          return p;
        },
        40);
    Run plan =
        plugin(
            "migrate",
            "plan",
            "default",
            "--names",
            "api.shop.example",
            "--cutover",
            "2030-01-01T00:00:00Z",
            "-o",
            "json");
    assertEquals(0, plan.code(), plan.toString());
    JsonNode p = JSON.readTree(plan.out());
    assertEquals("2029-12-31T23:48:00Z", p.get("drainStartsAt").asText(), "10m + 20% before");
    assertEquals("2030-01-01T00:00:30Z", p.get("capLiftedAt").asText());

    Run mixed =
        plugin(
            "migrate",
            "plan",
            "--names",
            "api.shop.example,*.www.example",
            "--cutover",
            "2030-01-01T00:00:00Z",
            "--ttl",
            "1m");
    assertEquals(0, mixed.code(), mixed.toString());
    assertTrue(mixed.out().contains("2029-12-31T22:48:00Z"), "the longest max TTL, 1h:\n" + mixed);
    assertTrue(mixed.out().contains("kubectl patch dcp default --type=merge"), mixed.out());
    List<?> migrations = policy.get().getSpec().migrations;
    assertTrue(migrations == null || migrations.isEmpty(), "a plan changes nothing");

    Run bad = plugin("migrate", "plan", "--names", "a.example", "--cutover", "tomorrow");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--cutover tomorrow"), bad.err());
  }

  @Test
  void onATerminalProgressIsOneLineRedrawnAndCompletionKnowsThePolicies() throws Exception {
    Assumptions.assumeTrue(LocalClusterProcess.onPath("script"), "script (util-linux) is missing");
    policy.create(p -> p, 40);
    Run tty =
        run(List.of("script", "-qec", "kubectl nodecache flush --wait --timeout 60s", "/dev/null"));
    assertEquals(0, tty.code(), tty.toString());
    assertTrue(tty.out().contains("\r\033[K[##############################] 3/3"), tty.out());
    assertTrue(tty.out().contains("completed: 3 acknowledged"), tty.out());
    assertFalse(tty.out().contains("local-node-1 flushed"), "no per-node lines on a terminal");

    Run commands = run(List.of(PLUGIN_BIN + "/kubectl_complete-nodecache", "st"));
    assertEquals("status\n:4\n", commands.out());
    Run policies = run(List.of(PLUGIN_BIN + "/kubectl_complete-nodecache", "flush", ""));
    assertEquals("default\n:4\n", policies.out());
  }
}
