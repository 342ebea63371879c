package dev.nodecache.local.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.api.Migration;
import dev.nodecache.local.api.TestApi;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.flush.FlushRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Coordinated flush and migrations with the operator and three real agent processes on loopback
 * addresses (run by the simulated kubelet), against the local cluster's API with every watch event
 * held back {@link #WATCH_LAG}: the operator's cache is always behind what is stored, as on a
 * loaded API server. This is what froze the status after two flushes in a row (issue 11), when
 * status patches were computed against the cached copy.
 */
class FlushAndMigrationTest {
  static final Duration WATCH_LAG = Duration.ofMillis(1500);
  static final String NS = "nodecache-system";
  static final List<SimulatedNode> NODES = List.of(node(1), node(2), node(3));
  static final Path AGENT_JAR =
      Fixtures.ROOT.resolve("node-cache-agent/target/node-cache-agent.jar");

  TestApi api;
  KubernetesClient client;
  @TempDir Path work;
  TestUpstream upstream;
  NodeCacheOperator operator;
  TestPolicy policy;
  SimulatedKubelet kubelet;
  int dnsPort;
  int adminPort;

  static SimulatedNode node(int n) {
    return new SimulatedNode(
        "local-node-" + n, "127.0.61." + n, Map.of("kubernetes.io/hostname", "local-node-" + n));
  }

  @BeforeEach
  void start() throws Exception {
    assertTrue(AGENT_JAR.toFile().exists(), "build the agent first: " + AGENT_JAR);
    api = TestApi.withNamespaces(WATCH_LAG, NS);
    client = api.client;
    upstream = new TestUpstream("127.0.61.100");
    dnsPort = freePort(NODES);
    adminPort = freePort(NODES);
    operator =
        new NodeCacheOperator(
            client, new OperatorSettings(NS, "agent:test"), false, Clock.systemUTC());
    operator.start();
    policy = new TestPolicy(client, dnsPort, adminPort, upstream);
    kubelet = new SimulatedKubelet(client, NS, NODES, AGENT_JAR, work);
    kubelet.start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    operator.close();
    upstream.close();
    api.close();
  }

  void createPolicy(UnaryOperator<DnsCachePolicy> change) throws Exception {
    policy.create(change, 40);
  }

  DnsCachePolicyStatus status() {
    return policy.status();
  }

  void annotate(String id, String names) {
    policy.edit(
        p -> {
          p.getMetadata().getAnnotations().put(FlushRequest.FLUSH, id);
          if (names != null) {
            p.getMetadata().getAnnotations().put(FlushRequest.FLUSH_NAMES, names);
          }
          return p;
        });
  }

  double agentFlushes(SimulatedNode node) throws Exception {
    return policy.agentFlushes(node);
  }

  DnsCachePolicyStatus.Flush flushDone(String id) throws Exception {
    return eventually(
        "flush "
            + id
            + " done; status: "
            + io.fabric8.kubernetes.client.utils.Serialization.asJson(
                client.resources(DnsCachePolicy.class).withName("default").get()),
        () -> {
          DnsCachePolicyStatus s = status();
          return s != null
                  && s.lastFlush != null
                  && id.equals(s.lastFlush.id)
                  && (s.lastFlush.phase.equals("Completed") || s.lastFlush.phase.equals("Failed"))
              ? s.lastFlush
              : null;
        });
  }

  String query(SimulatedNode node, String name) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName(node.ip()));
    r.setPort(dnsPort);
    r.setTimeout(java.time.Duration.ofSeconds(3));
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(org.xbill.DNS.Name.fromString(name + "."), Type.A, 1)));
    List<Record> a = m.getSection(Section.ANSWER);
    return a.isEmpty() ? "" : a.get(0).rdataToString() + "/" + a.get(0).getTTL();
  }

  void queryAll(String name) throws Exception {
    for (SimulatedNode n : NODES) {
      query(n, name);
    }
  }

  @Test
  void aFullFlushIsAcknowledgedByEveryNode() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    createPolicy(p -> p);
    queryAll("a.example");
    queryAll("a.example");
    assertEquals(3, upstream.asked("a.example"), "cached on each node");

    annotate("f1", null);
    DnsCachePolicyStatus.Flush f = flushDone("f1");
    assertEquals("Completed", f.phase);
    assertEquals(3, f.acknowledged);
    assertEquals(0, f.failed);
    assertTrue(f.requestedAt != null && f.completedAt != null);
    queryAll("a.example");
    assertEquals(6, upstream.asked("a.example"), "every node asked again");
    List<String> reasons =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .map(Event::getReason)
            .toList();
    assertTrue(
        reasons.contains("FlushStarted") && reasons.contains("FlushCompleted"), reasons.toString());
  }

  @Test
  void aNamedFlushRemovesOnlyThoseNames() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    upstream.answer("b.example", "192.0.2.2");
    upstream.answer("x.shop.example", "192.0.2.3");
    createPolicy(p -> p);
    for (String n : List.of("a.example", "b.example", "x.shop.example")) {
      queryAll(n);
    }
    annotate("f2", "a.example,*.shop.example");
    assertEquals("Completed", flushDone("f2").phase);
    for (String n : List.of("a.example", "b.example", "x.shop.example")) {
      queryAll(n);
    }
    assertEquals(6, upstream.asked("a.example"));
    assertEquals(3, upstream.asked("b.example"), "not flushed");
    assertEquals(6, upstream.asked("x.shop.example"), "subtree flushed");
  }

  /** Issue 11, finding 2: the status froze after a named flush followed a full one. */
  @Test
  void flushesInARowWithTheNamesAnnotationRemovedAllCompleteAndTheSpecIsStillObserved()
      throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    createPolicy(p -> p);
    annotate("r1", null);
    assertEquals("Completed", flushDone("r1").phase);
    annotate("r2", "a.example");
    DnsCachePolicyStatus.Flush named = flushDone("r2");
    assertEquals("Completed", named.phase);
    assertEquals(List.of("a.example"), named.names);
    assertEquals(3, named.acknowledged);
    // kubectl annotate ... flush-names- as the mock stored it: a null value.
    policy.edit(
        p -> {
          p.getMetadata().getAnnotations().put(FlushRequest.FLUSH_NAMES, null);
          p.getMetadata().getAnnotations().put(FlushRequest.FLUSH, "r3");
          return p;
        });
    DnsCachePolicyStatus.Flush all = flushDone("r3");
    assertEquals("Completed", all.phase);
    assertEquals(List.of(), all.names, "everything");
    assertEquals(null, all.message);
    policy.edit(
        p -> {
          p.getSpec().cache.maxTtl = "10m";
          return p;
        });
    eventually(
        "the spec change observed",
        () -> {
          DnsCachePolicy p = client.resources(DnsCachePolicy.class).withName("default").get();
          return p.getStatus() != null
                  && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration)
                  && p.getMetadata().getGeneration() > 1
              ? true
              : null;
        });
    for (SimulatedNode n : NODES) {
      assertEquals(3.0, agentFlushes(n), "three flushes on " + n.name());
    }
    String metrics =
        new String(operator.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        metrics
            .lines()
            .noneMatch(
                l -> l.startsWith("nodecache_operator_reconciles_total{result=\"failure\"}")),
        "no reconcile failed (a status write against a stale copy fails): " + metrics);
  }

  @Test
  void anUnreachableNodeIsListedAndFlushesLaterFromItsConfig() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    createPolicy(p -> p);
    queryAll("a.example");
    kubelet.partition("local-node-3", true);
    eventually(
        "node 3 unreachable",
        () ->
            client.pods().inNamespace(NS).list().getItems().stream()
                    .anyMatch(p -> "127.255.255.254".equals(p.getStatus().getPodIP()))
                ? true
                : null);

    annotate("f3", null);
    DnsCachePolicyStatus.Flush f = flushDone("f3");
    assertEquals("Failed", f.phase);
    assertEquals(2, f.acknowledged);
    assertEquals(List.of("local-node-3"), f.failedNodes);
    // The flush id is in the config too: node 3's agent flushes when it reads it.
    eventually(
        "node 3 flushed from its config",
        () -> {
          try {
            return agentFlushes(NODES.get(2)) == 1.0 ? true : null;
          } catch (Exception e) {
            return null;
          }
        });
    query(NODES.get(2), "a.example");
    assertEquals(4, upstream.asked("a.example"));
  }

  @Test
  void anOperatorRestartInTheMiddleFinishesTheFlushOnce() throws Exception {
    upstream.answer("a.example", "192.0.2.1");
    createPolicy(p -> p);
    annotate("f4", null);
    flushDone("f4");
    // As if the operator had died after sending, before writing the outcome:
    operator.close();
    DnsCachePolicy p = client.resources(DnsCachePolicy.class).withName("default").get();
    p.getStatus().lastFlush.phase = "InProgress";
    p.getStatus().lastFlush.acknowledged = 0;
    p.getStatus().lastFlush.completedAt = null;
    client.resource(p).updateStatus();
    operator =
        new NodeCacheOperator(
            client, new OperatorSettings(NS, "agent:test"), false, Clock.systemUTC());
    operator.start();
    DnsCachePolicyStatus.Flush f = flushDone("f4");
    assertEquals("Completed", f.phase);
    assertEquals(3, f.acknowledged);
    for (SimulatedNode n : NODES) {
      assertEquals(1.0, agentFlushes(n), "each agent flushed once: " + n.name());
    }
  }

  @Test
  void aMigrationGoesFromScheduledToCompletedAndNoNodeKeepsTheOldAnswer() throws Exception {
    upstream.answer("api.example", "192.0.2.1");
    Instant cutover = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
    createPolicy(
        p -> {
          Migration m = TestPolicy.migration("api-cutover", "api.example", cutover, "2s", "4s");
          p.getSpec().migrations = List.of(m);
          return p;
        });
    assertEquals("Scheduled", migration().phase);
    queryAll("api.example"); // cached with TTL 300 before the drain
    eventually("Draining", () -> "Draining".equals(migration().phase) ? true : null);
    for (SimulatedNode n : NODES) {
      assertTrue(
          query(n, "api.example").endsWith("/2")
              || query(n, "api.example").endsWith("/1")
              || query(n, "api.example").endsWith("/0"),
          "TTL capped while draining");
    }
    while (Instant.now().isBefore(cutover)) {
      Thread.sleep(20);
    }
    upstream.answer("api.example", "192.0.2.2"); // the DNS change the migration is for
    DnsCachePolicyStatus.MigrationStatus done =
        eventually(
            "Completed",
            () ->
                "Completed".equals(migration().phase) && "3/3".equals(migration().nodesServingNew)
                    ? migration()
                    : null);
    assertTrue(done.flushedAt != null);
    for (SimulatedNode n : NODES) {
      assertTrue(query(n, "api.example").startsWith("192.0.2.2/"), "new answer on " + n.name());
    }
  }

  DnsCachePolicyStatus.MigrationStatus migration() {
    DnsCachePolicyStatus s = status();
    return s == null || s.migrations == null || s.migrations.isEmpty()
        ? new DnsCachePolicyStatus.MigrationStatus()
        : s.migrations.get(0);
  }

  static <T> T eventually(String what, Supplier<T> value) throws InterruptedException {
    return TestPolicy.eventually(what, value, 40);
  }

  /** A port free for UDP and TCP on every node address and on the wildcard. */
  static int freePort(List<SimulatedNode> nodes) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      boolean free = true;
      for (SimulatedNode n : nodes) {
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(n.ip(), port));
            ServerSocket t = new ServerSocket(port, 1, InetAddress.getByName(n.ip()))) {
          // free here
        } catch (java.io.IOException e) {
          free = false;
        }
      }
      if (free) {
        return port;
      }
    }
    throw new IllegalStateException("no free port");
  }
}
