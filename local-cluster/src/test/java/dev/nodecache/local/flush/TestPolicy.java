package dev.nodecache.local.flush;

import dev.nodecache.api.AgentSpec;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.api.Migration;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The policy "default" of the flush tests: the example policy on the tests' ports with one loopback
 * upstream for everything; edited as a user would (retried on 409), and its agents' flush counters
 * read from their metrics.
 */
final class TestPolicy {
  private final KubernetesClient client;
  private final int dnsPort;
  private final int adminPort;
  private final String upstream;
  private final HttpClient http = HttpClient.newHttpClient();

  TestPolicy(KubernetesClient client, int dnsPort, int adminPort, TestUpstream upstream) {
    this(client, dnsPort, adminPort, upstream.address());
  }

  /** With {@code upstream} ("ip:port") as the only upstream, for everything. */
  TestPolicy(KubernetesClient client, int dnsPort, int adminPort, String upstream) {
    this.client = client;
    this.dnsPort = dnsPort;
    this.adminPort = adminPort;
    this.upstream = upstream;
  }

  /** Creates it, changed by {@code change}, and waits for three ready agents. */
  void create(UnaryOperator<DnsCachePolicy> change, int seconds) throws Exception {
    DnsCachePolicy p = Fixtures.examplePolicy("default-policy.yaml");
    p.getSpec().listen.port = dnsPort;
    p.getSpec().agent = new AgentSpec();
    p.getSpec().agent.adminPort = adminPort;
    UpstreamGroup all = new UpstreamGroup();
    all.zones = List.of(".");
    all.servers = List.of(upstream);
    all.transport = UpstreamGroup.Transport.UDP;
    p.getSpec().upstreams = new ArrayList<>(List.of(all));
    client.resource(change.apply(p)).create();
    eventually(
        "all three agents ready",
        () -> {
          DnsCachePolicyStatus s = status();
          return s != null && s.nodes != null && "3/3".equals(s.nodes.summary) ? true : null;
        },
        seconds);
  }

  DnsCachePolicy get() {
    return client.resources(DnsCachePolicy.class).withName("default").get();
  }

  DnsCachePolicyStatus status() {
    DnsCachePolicy p = get();
    return p == null ? null : p.getStatus();
  }

  /** The stored status as JSON, for failure messages. */
  String statusJson() {
    return io.fabric8.kubernetes.client.utils.Serialization.asJson(status());
  }

  /** A change made on the stored policy, again if someone wrote it in between (409). */
  void edit(UnaryOperator<DnsCachePolicy> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        client.resource(change.apply(get())).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  double agentFlushes(SimulatedNode node) throws Exception {
    return metric(node, "nodecache_flushes_total");
  }

  /** A series of the agent's /metrics on {@code node}; 0 for a counter not counted yet. */
  double metric(SimulatedNode node, String series) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://" + node.ip() + ":" + adminPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return 0;
  }

  /** A migration of one name: capped to {@code ttl} from {@code drainLead} before the cutover. */
  static Migration migration(
      String name, String dnsName, Instant cutover, String ttl, String drainLead) {
    Migration m = new Migration();
    m.name = name;
    m.names = List.of(dnsName);
    m.cutoverAt = cutover.toString();
    m.ttlDuringMigration = ttl;
    m.drainLead = drainLead;
    return m;
  }

  /** The first non-null value of {@code value} within {@code seconds}. */
  static <T> T eventually(String what, Supplier<T> value, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within " + seconds + " s: " + what);
  }
}
