package dev.nodecache.local.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.api.Migration;
import dev.nodecache.local.api.TestApi;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.flush.FlushRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator processes (the packaged jar, as two replicas of the chart's Deployment would run it)
 * against one API (the local cluster's, where kubectl and the kubelet meet the same rules): the
 * leader is killed (SIGKILL) right after a flush is asked for and in the middle of a migration; the
 * other takes the Lease over, finishes both, each exactly once on every agent, and no status is
 * lost.
 */
class LeaderElectionIT {
  static final String NS = "nodecache-system";
  static final Path OPERATOR_JAR = Fixtures.ROOT.resolve("operator/target/nodecache-operator.jar");
  static final Path AGENT_JAR =
      Fixtures.ROOT.resolve("node-cache-agent/target/node-cache-agent.jar");
  static final List<SimulatedNode> NODES = List.of(node(1), node(2), node(3));

  @TempDir Path work;
  TestApi api;
  KubernetesClient client;
  TestUpstream upstream;
  TestPolicy policy;
  SimulatedKubelet kubelet;
  final Map<String, Process> operators = new HashMap<>();
  int dnsPort;
  int adminPort;

  static SimulatedNode node(int n) {
    return new SimulatedNode(
        "local-node-" + n, "127.0.62." + n, Map.of("kubernetes.io/hostname", "local-node-" + n));
  }

  @BeforeEach
  void start() throws Exception {
    assertTrue(Files.isRegularFile(OPERATOR_JAR), "package first: " + OPERATOR_JAR);
    api = TestApi.withNamespaces(Duration.ZERO, NS);
    client = api.client;
    upstream = new TestUpstream("127.0.62.100");
    dnsPort = FlushAndMigrationTest.freePort(NODES);
    adminPort = FlushAndMigrationTest.freePort(NODES);
    policy = new TestPolicy(client, dnsPort, adminPort, upstream);
    kubelet = new SimulatedKubelet(client, NS, NODES, AGENT_JAR, work);
    kubelet.start();
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        users: [{name: u, user: {token: t}}]
        current-context: c
        """
            .formatted(api.uri()));
    for (String name : List.of("operator-a", "operator-b")) {
      ProcessBuilder b =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx128m",
              "-XX:+UseSerialGC",
              "-jar",
              OPERATOR_JAR.toString(),
              "--health-port",
              "0");
      b.environment().put("KUBECONFIG", kubeconfig.toString());
      b.environment().put("HOSTNAME", name); // the Lease identity, as a pod's name
      b.environment().put("NODECACHE_NAMESPACE", NS);
      b.environment().put("NODECACHE_AGENT_IMAGE", "agent:test");
      b.redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
      operators.put(name, b.start());
      if (name.equals("operator-a")) {
        eventually("operator-a leads", () -> "operator-a".equals(holder()) ? true : null);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Map.Entry<String, Process> e : operators.entrySet()) {
      e.getValue().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      List<String> log = Files.readAllLines(work.resolve(e.getKey() + ".log"));
      System.out.println("--- " + e.getKey() + "'s log, without stack frames:");
      log.stream().filter(l -> !l.startsWith("\tat ")).limit(40).forEach(System.out::println);
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (api != null) {
      api.close();
    }
  }

  String holder() {
    Lease l = client.leases().inNamespace(NS).withName("nodecache-operator").get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  /** SIGKILL to the leader; returns the one left. */
  String killLeader() throws Exception {
    String leader = holder();
    operators.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String other = leader.equals("operator-a") ? "operator-b" : "operator-a";
    return other;
  }

  void createPolicy(List<Migration> migrations) throws Exception {
    policy.create(
        p -> {
          p.getSpec().migrations = migrations;
          return p;
        },
        60);
  }

  DnsCachePolicyStatus status() {
    return policy.status();
  }

  void annotate(String id) {
    policy.edit(
        p -> {
          p.getMetadata().getAnnotations().put(FlushRequest.FLUSH, id);
          return p;
        });
  }

  double agentFlushes(SimulatedNode node) throws Exception {
    return policy.agentFlushes(node);
  }

  @Test
  void theOtherReplicaFinishesAFlushOnceWhenTheLeaderDies() throws Exception {
    createPolicy(List.of());
    annotate("lf1");
    String survivor = killLeader();
    DnsCachePolicyStatus.Flush f =
        eventually(
            "flush lf1 completed by " + survivor,
            () -> {
              DnsCachePolicyStatus s = status();
              return s != null
                      && s.lastFlush != null
                      && "lf1".equals(s.lastFlush.id)
                      && "Completed".equals(s.lastFlush.phase)
                  ? s.lastFlush
                  : null;
            });
    assertEquals(3, f.acknowledged);
    assertEquals(survivor, holder());
    for (SimulatedNode n : NODES) {
      assertEquals(1.0, agentFlushes(n), "each agent flushed once: " + n.name());
    }
    assertEquals("3/3", status().nodes.summary, "no status lost");
  }

  @Test
  void theOtherReplicaCarriesAMigrationThroughItsCutoverOnce() throws Exception {
    // Far enough ahead that the takeover (lease 15 s, a JVM start, a loaded 2-core CI machine:
    // 45 s was once not enough) always comes before the cutover.
    Instant cutover = Instant.now().plusSeconds(100).truncatedTo(ChronoUnit.SECONDS);
    Migration m = TestPolicy.migration("api-cutover", "api.example", cutover, "2s", "98s");
    upstream.answer("api.example", "192.0.2.1");
    createPolicy(List.of(m));
    eventually(
        "Draining",
        () ->
            status().migrations != null
                    && !status().migrations.isEmpty()
                    && "Draining".equals(status().migrations.get(0).phase)
                ? true
                : null);
    String survivor = killLeader();
    eventually(survivor + " leads", () -> survivor.equals(holder()) ? true : null);
    assertTrue(Instant.now().isBefore(cutover), "taken over before the cutover");
    DnsCachePolicyStatus.MigrationStatus done =
        TestPolicy.eventually(
            "Completed",
            () -> {
              DnsCachePolicyStatus s = status();
              return s.migrations != null
                      && !s.migrations.isEmpty()
                      && "Completed".equals(s.migrations.get(0).phase)
                  ? s.migrations.get(0)
                  : null;
            },
            150); // the cutover is up to 100 s away, then ttlDuringMigration
    assertNotEquals(null, done.flushedAt);
    for (SimulatedNode n : NODES) {
      assertEquals(1.0, agentFlushes(n), "the cutover flush ran once on " + n.name());
    }
  }

  static <T> T eventually(String what, Supplier<T> value) throws InterruptedException {
    return TestPolicy.eventually(what, value, 60);
  }
}
