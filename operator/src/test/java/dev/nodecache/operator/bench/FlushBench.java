package dev.nodecache.operator.bench;

import com.sun.net.httpserver.HttpServer;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.PolicyNames;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from the flush annotation to status Completed, for 10, 100 and 1,000 agents: the agents are
 * real HTTP endpoints on distinct loopback addresses (one server on the wildcard address answers
 * them all, as an agent's POST /flush does), their pods in the fabric8 mock API server.
 */
public final class FlushBench {
  static final String NS = "nodecache-system";

  public static void main(String[] args) throws Exception {
    int repeats = Integer.parseInt(args.length > 0 ? args[0] : "5");
    KubernetesMockServer server = dev.nodecache.operator.MockApi.crud();
    KubernetesClient client = server.createClient();
    try (FileInputStream crd = new FileInputStream(Fixtures.crd().toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    AtomicLong calls = new AtomicLong();
    HttpServer agents = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 1024);
    agents.setExecutor(Executors.newFixedThreadPool(8));
    agents.createContext(
        "/flush",
        x -> {
          x.getRequestBody().readAllBytes();
          calls.incrementAndGet();
          byte[] b =
              "{\"id\":\"x\",\"removed\":0,\"duplicate\":false}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(b);
          }
        });
    agents.start();
    NodeCacheOperator operator =
        new NodeCacheOperator(
            client, new OperatorSettings(NS, "agent:bench"), false, Clock.systemUTC());
    operator.start();
    try {
      DnsCachePolicy p = Fixtures.examplePolicy("default-policy.yaml");
      UpstreamGroup all = new UpstreamGroup();
      all.zones = List.of(".");
      all.servers = List.of("127.0.0.1:53");
      p.getSpec().upstreams = new ArrayList<>(List.of(all));
      p.getSpec().agent = new dev.nodecache.api.AgentSpec();
      p.getSpec().agent.adminPort = agents.getAddress().getPort();
      client.resource(p).create();
      waitFor(
          () ->
              client.apps().daemonSets().inNamespace(NS).withName("nodecache-default").get()
                  != null);
      int pods = 0;
      System.out.printf("agents | median ms | max ms | runs (ms)%n");
      for (int n : new int[] {10, 100, 1000}) {
        for (; pods < n; pods++) {
          String ip = "127.0." + (70 + pods / 250) + "." + (pods % 250 + 1);
          client
              .pods()
              .inNamespace(NS)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("agent-" + pods)
                      .withNamespace(NS)
                      .withLabels(PolicyNames.selector(p))
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName("node-" + pods)
                      .endSpec()
                      .withNewStatus()
                      .withPhase("Running")
                      .withPodIP(ip)
                      .withHostIP(ip)
                      .endStatus()
                      .build())
              .create();
        }
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < repeats + 1; r++) { // the first run warms the JIT up, not counted
          String id = "bench-" + n + "-" + r;
          long start = System.nanoTime();
          annotate(client, id);
          waitFor(
              () -> {
                DnsCachePolicy now =
                    client.resources(DnsCachePolicy.class).withName("default").get();
                return now.getStatus() != null
                    && now.getStatus().lastFlush != null
                    && id.equals(now.getStatus().lastFlush.id)
                    && "Completed".equals(now.getStatus().lastFlush.phase)
                    && now.getStatus().lastFlush.acknowledged == n;
              });
          if (r > 0) {
            ms.add((System.nanoTime() - start) / 1e6);
          }
        }
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf(
            "%d | %.0f | %.0f | %s%n",
            n,
            sorted.get(sorted.size() / 2),
            sorted.get(sorted.size() - 1),
            ms.stream().map(d -> String.format("%.0f", d)).toList());
      }
      System.out.printf("flush calls answered: %d%n", calls.get());
    } finally {
      operator.close();
      agents.stop(0);
      client.close();
      server.destroy();
      System.exit(0);
    }
  }

  static void annotate(KubernetesClient client, String id) {
    for (int attempt = 0; ; attempt++) {
      try {
        DnsCachePolicy p = client.resources(DnsCachePolicy.class).withName("default").get();
        p.getMetadata().getAnnotations().put("nodecache.dev/flush", id);
        client.resource(p).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 50) {
          throw e;
        }
      }
    }
  }

  static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within 120 s");
      }
      Thread.sleep(5);
    }
  }
}
