package dev.nodecache.local.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.local.api.TestApi;
import dev.nodecache.local.dns.LocalDns;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Cluster names under the failures issue 13 names, with the operator in-process, three real agent
 * processes and the local DNS answering from the API: the operator stopped and started again in the
 * middle of a burst of Service changes, and an agent cut off from the operator during one. Either
 * way every node ends with the API's answer for every name, and the cut-off node never keeps a held
 * answer longer than its TTL from the moment it stopped hearing.
 */
class ClusterNamesFollowTest {
  static final String NS = "nodecache-system";
  static final List<SimulatedNode> NODES = List.of(node(1), node(2), node(3));
  static final Path AGENT_JAR =
      Fixtures.ROOT.resolve("node-cache-agent/target/node-cache-agent.jar");

  @TempDir Path work;
  TestApi api;
  KubernetesClient client;
  LocalDns dns;
  NodeCacheOperator operator;
  TestPolicy policy;
  SimulatedKubelet kubelet;
  int dnsPort;
  int adminPort;

  static SimulatedNode node(int n) {
    return new SimulatedNode(
        "local-node-" + n, "127.0.64." + n, Map.of("kubernetes.io/hostname", "local-node-" + n));
  }

  @BeforeEach
  void start() throws Exception {
    assertTrue(AGENT_JAR.toFile().exists(), "build the agent first: " + AGENT_JAR);
    api = TestApi.withNamespaces(Duration.ZERO, NS, "default");
    client = api.client;
    int port = FlushAndMigrationTest.freePort(List.of(node(100)));
    dns = new LocalDns(new InetSocketAddress("127.0.64.100", port));
    dns.follow(client);
    dnsPort = FlushAndMigrationTest.freePort(NODES);
    adminPort = FlushAndMigrationTest.freePort(NODES);
    operator = newOperator();
    policy = new TestPolicy(client, dnsPort, adminPort, dns.address());
    kubelet = new SimulatedKubelet(client, NS, NODES, AGENT_JAR, work);
    kubelet.start();
    policy.create(p -> p, 40);
    followedBy(3);
  }

  NodeCacheOperator newOperator() {
    NodeCacheOperator o =
        new NodeCacheOperator(
            client, new OperatorSettings(NS, "agent:test"), false, Clock.systemUTC());
    o.start();
    return o;
  }

  @AfterEach
  void stop() {
    kubelet.close();
    operator.close();
    dns.close();
    api.close();
  }

  void followedBy(int nodes) throws Exception {
    try {
      awaitFollowedBy(nodes);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; status " + policy.statusJson(), e);
    }
  }

  void awaitFollowedBy(int nodes) throws Exception {
    TestPolicy.eventually(
        nodes + " nodes following",
        () -> {
          DnsCachePolicyStatus s = policy.status();
          return s != null
                  && s.invalidation != null
                  && "Following".equals(s.invalidation.phase)
                  && (nodes + "/3").equals(s.invalidation.summary)
              ? true
              : null;
        },
        40);
  }

  /** "NXDOMAIN", or the first address answered. */
  String ask(SimulatedNode node, String service) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName(node.ip()));
    r.setPort(dnsPort);
    r.setTimeout(java.time.Duration.ofSeconds(3));
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(
                    Name.fromString(service + ".default.svc.cluster.local."), Type.A, 1)));
    if (m.getRcode() == Rcode.NXDOMAIN) {
      return "NXDOMAIN";
    }
    List<Record> a = m.getSection(Section.ANSWER);
    return a.isEmpty() ? Rcode.string(m.getRcode()) : a.get(0).rdataToString();
  }

  String create(String name) {
    Service s =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewPort()
            .withPort(80)
            .endPort()
            .endSpec()
            .build();
    return client.services().inNamespace("default").resource(s).create().getSpec().getClusterIP();
  }

  /** Within {@code seconds}, every node answers every name with what the API says. */
  void everyNodeAnswers(Map<String, String> expected, List<SimulatedNode> nodes, int seconds)
      throws Exception {
    TestPolicy.eventually(
        "every node answers " + expected,
        () -> {
          try {
            for (SimulatedNode n : nodes) {
              for (var e : expected.entrySet()) {
                if (!ask(n, e.getKey()).equals(e.getValue())) {
                  return null;
                }
              }
            }
            return true;
          } catch (Exception e) {
            return null;
          }
        },
        seconds);
  }

  @Test
  void anOperatorRestartedInTheMiddleOfABurstLosesNothing() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      names.add("burst" + i);
    }
    for (SimulatedNode n : NODES) {
      for (String name : names) {
        assertEquals("NXDOMAIN", ask(n, name)); // cached, and held while the stream is live
      }
    }
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      expected.put(names.get(i), create(names.get(i)));
    }
    operator.close(); // maybe before, maybe after its batch went out
    for (int i = 10; i < 20; i++) {
      expected.put(names.get(i), create(names.get(i)));
    }
    operator = newOperator();
    // A new stream: each agent cannot know what it missed, flushes cluster.local once.
    everyNodeAnswers(expected, NODES, 20);
    for (SimulatedNode n : NODES) {
      assertTrue(
          policy.metric(n, "nodecache_invalidation_resyncs_total{reason=\"new-stream\"}") >= 1,
          n.name() + " resynced on the new stream");
    }
    followedBy(3);
  }

  @Test
  void anAgentCutOffDuringABurstKeepsNoHeldAnswerPastItsTtl() throws Exception {
    List<String> names = List.of("cut0", "cut1", "cut2", "cut3", "cut4");
    for (SimulatedNode n : NODES) {
      for (String name : names) {
        assertEquals("NXDOMAIN", ask(n, name));
      }
    }
    kubelet.partition("local-node-3", true);
    long cut = System.nanoTime();
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    for (String name : names) {
      expected.put(name, create(name));
    }
    everyNodeAnswers(expected, NODES.subList(0, 2), 5);
    // Node 3 heard nothing of it: its held NXDOMAINs (TTL 5 s in the example policy) go no later
    // than 5 s after the last message it got, then it asks the cluster DNS again.
    everyNodeAnswers(expected, List.of(NODES.get(2)), 12);
    long tookMillis = (System.nanoTime() - cut) / 1_000_000;
    assertTrue(tookMillis < 12_000, "cut off for " + tookMillis + " ms");
    TestPolicy.eventually(
        "an InvalidationBehind event",
        () ->
            client.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "InvalidationBehind".equals(e.getReason())
                                && e.getMessage().contains("local-node-3"))
                ? true
                : null,
        30);
    kubelet.partition("local-node-3", false);
    followedBy(3);
  }
}
