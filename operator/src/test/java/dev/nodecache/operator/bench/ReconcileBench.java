package dev.nodecache.operator.bench;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reconcile latency and operator heap with POLICIES policies and NODES nodes' worth of DaemonSet
 * status: the fabric8 mock API server (CRUD mode) runs here, the operator jar as a separate process
 * so that its heap is its own. Run by bench/operator-bench.sh.
 */
public final class ReconcileBench {
  public static void main(String[] args) throws Exception {
    int policies = Integer.parseInt(args.length > 0 ? args[0] : "50");
    int nodes = Integer.parseInt(args.length > 1 ? args[1] : "5000");
    Path jar = Path.of(args.length > 2 ? args[2] : "operator/target/nodecache-operator.jar");
    int perPolicy = nodes / policies;

    KubernetesMockServer server = dev.nodecache.operator.MockApi.crud();
    KubernetesClient client = server.createClient();
    Fixtures.prepareCluster(client);

    OperatorProcess operator = OperatorProcess.start(jar, server.getPort());
    try {
      long[] created = new long[policies];
      for (int i = 0; i < policies; i++) {
        DnsCachePolicy p = Fixtures.examplePolicy("default-policy.yaml");
        p.getMetadata().setName("p" + i);
        p.getSpec().nodeSelector = Map.of("pool", "p" + i);
        created[i] = System.nanoTime();
        client.resource(p).create();
      }
      long[] reconciled =
          waitForEach(client, policies, p -> p.getStatus() != null && p.getStatus().nodes != null);

      long[] statusSet = new long[policies];
      for (int i = 0; i < policies; i++) {
        DaemonSet ds =
            client
                .apps()
                .daemonSets()
                .inNamespace("nodecache-system")
                .withName("nodecache-p" + i)
                .get();
        ds.setStatus(
            new DaemonSetStatusBuilder()
                .withDesiredNumberScheduled(perPolicy)
                .withCurrentNumberScheduled(perPolicy)
                .withNumberReady(perPolicy)
                .withUpdatedNumberScheduled(perPolicy)
                .withNumberAvailable(perPolicy)
                .withObservedGeneration(ds.getMetadata().getGeneration())
                .build());
        statusSet[i] = System.nanoTime();
        client.resource(ds).updateStatus();
      }
      String summary = perPolicy + "/" + perPolicy;
      long[] ready =
          waitForEach(
              client,
              policies,
              p ->
                  p.getStatus() != null
                      && p.getStatus().nodes != null
                      && summary.equals(p.getStatus().nodes.summary));

      List<Double> createMs = new ArrayList<>();
      List<Double> statusMs = new ArrayList<>();
      for (int i = 0; i < policies; i++) {
        createMs.add((reconciled[i] - created[i]) / 1e6);
        statusMs.add((ready[i] - statusSet[i]) / 1e6);
      }
      double heap = operator.heapAfterGcMiB();
      String rss = operator.rss();
      System.out.printf("policies %d, nodes %d (%d per policy)%n", policies, nodes, perPolicy);
      System.out.printf(
          "create -> status written: median %.0f ms, max %.0f ms%n",
          median(createMs), Collections.max(createMs));
      System.out.printf(
          "DaemonSet status -> policy status: median %.0f ms, max %.0f ms%n",
          median(statusMs), Collections.max(statusMs));
      System.out.printf("operator heap after GC: %.1f MiB; %s%n", heap, rss);
    } finally {
      operator.close();
      client.close();
      server.destroy();
    }
  }

  /** The time each policy p0..p(n-1) first met {@code done}, polling every 10 ms. */
  static long[] waitForEach(KubernetesClient client, int n, Predicate<DnsCachePolicy> done)
      throws InterruptedException {
    long[] at = new long[n];
    int left = n;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (left > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(left + " policies not done within 300 s");
      }
      long now = System.nanoTime();
      for (DnsCachePolicy p : client.resources(DnsCachePolicy.class).list().getItems()) {
        int i = Integer.parseInt(p.getMetadata().getName().substring(1));
        if (at[i] == 0 && done.test(p)) {
          at[i] = now;
          left--;
        }
      }
      Thread.sleep(10);
    }
    return at;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
