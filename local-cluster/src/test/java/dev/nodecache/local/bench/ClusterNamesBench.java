package dev.nodecache.local.bench;

import dev.nodecache.local.testing.LocalClusterProcess;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Cluster names with invalidation on against off, in one run of the local mode (3 real agents, the
 * real cluster DNS of the local mode, bench/cluster-names-bench.sh). Lag: a name is asked on every
 * node (its NXDOMAIN cached), then, after a random pause of up to 1 s, its Service is created; the
 * lag is from just before the API call to each node answering the ClusterIP, polled every 10 ms.
 * Workload: 200 Service names asked round robin on every node at 100 queries/s per node while one
 * Service changes every 2 s; the cluster DNS's query rate (all the agents' upstream exchanges) and
 * the nodes' hit rate. Then the policy's {@code invalidation.enabled} is set to false and both are
 * measured again.
 */
public final class ClusterNamesBench {
  static final List<String> NODES = List.of("127.0.100.1", "127.0.100.2", "127.0.100.3");
  static final int WORKLOAD_NAMES = 200;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int samples = Integer.parseInt(args.length > 0 ? args[0] : "30");
    int seconds = Integer.parseInt(args.length > 1 ? args[1] : "90");
    Path csv = Path.of(args.length > 2 ? args[2] : "cluster-names-lag.csv");
    Path dir = Files.createTempDirectory("cluster-names-bench");
    try (LocalClusterProcess cluster = LocalClusterProcess.start(dir)) {
      check(cluster.kubectl("apply", "-f", "examples/default-policy.yaml"));
      cluster.waitFor(
          "3/3 Ready and every node following",
          () ->
              cluster
                  .kubectl(
                      "get",
                      "dcp",
                      "default",
                      "-o",
                      "jsonpath={.status.nodes.summary} {.status.invalidation.summary}")
                  .out()
                  .equals("3/3 3/3"),
          90);
      try (KubernetesClient api =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())))
              .build()) {
        for (int i = 0; i < WORKLOAD_NAMES; i++) {
          api.resource(service("wl-" + i, 80)).create();
        }
        List<String> rows = new ArrayList<>();
        rows.add("mode,sample,node1_ms,node2_ms,node3_ms,every_node_ms");
        System.out.println("agents' RSS at the start: " + agentRss());
        System.out.println("invalidation on (the example policy: cluster answers held 5m)");
        long[] on = lags(api, "on", samples, rows);
        Workload won = workload(api, seconds);
        System.out.println("agents' RSS after the phase: " + agentRss());
        check(
            cluster.kubectl(
                "patch",
                "dcp",
                "default",
                "--type",
                "merge",
                "-p",
                "{\"spec\":{\"invalidation\":{\"enabled\":false}}}"));
        cluster.waitFor(
            "every agent's invalidation off",
            () ->
                NODES.stream()
                    .allMatch(n -> agentGet(n, "/invalidation").contains("\"enabled\":false")),
            60);
        System.out.println("invalidation off (cluster.local capped at 30 s, negative 5 s)");
        long[] off = lags(api, "off", samples, rows);
        Workload woff = workload(api, seconds);
        System.out.println("agents' RSS after the phase: " + agentRss());
        Files.write(csv, rows);
        System.out.println();
        System.out.println(
            "| | every node p50 | p90 | p99 | max | cluster-DNS queries/s | node hit rate |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        System.out.println(row("invalidation on", on, won));
        System.out.println(row("invalidation off", off, woff));
        System.out.println("lag samples written to " + csv);
      }
    }
  }

  static String row(String what, long[] lags, Workload w) {
    long[] s = lags.clone();
    Arrays.sort(s);
    return String.format(
        "| %s | %d ms | %d ms | %d ms | %d ms | %.1f | %.2f%% |",
        what,
        pct(s, 50),
        pct(s, 90),
        pct(s, 99),
        s[s.length - 1],
        w.upstreamPerSecond,
        w.hitRate * 100);
  }

  static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  static Service service(String name, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  /** Every node's lag for {@code samples} new Services; each row goes to {@code rows}. */
  static long[] lags(KubernetesClient api, String mode, int samples, List<String> rows)
      throws Exception {
    Random random = new Random(42);
    long[] every = new long[samples];
    for (int i = 0; i < samples; i++) {
      String name = "lag-" + mode + "-" + i;
      String fqdn = name + ".default.svc.cluster.local.";
      for (String node : NODES) {
        int rcode = ask(node, fqdn).getRcode();
        if (rcode != Rcode.NXDOMAIN) {
          throw new IllegalStateException(
              node + " answers " + Rcode.string(rcode) + " for " + fqdn);
        }
      }
      Thread.sleep(random.nextInt(1000)); // the NXDOMAINs are of every age up to 1 s
      long t0 = System.nanoTime();
      api.resource(service(name, 80)).create();
      long[] lag = new long[NODES.size()];
      Arrays.fill(lag, -1);
      long deadline = t0 + Duration.ofSeconds(60).toNanos();
      while (Arrays.stream(lag).anyMatch(l -> l < 0)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(fqdn + " not answered by every node in 60 s");
        }
        for (int n = 0; n < NODES.size(); n++) {
          if (lag[n] < 0 && !ask(NODES.get(n), fqdn).getSection(Section.ANSWER).isEmpty()) {
            lag[n] = (System.nanoTime() - t0) / 1_000_000;
          }
        }
        Thread.sleep(10);
      }
      every[i] = Arrays.stream(lag).max().orElseThrow();
      rows.add(mode + "," + i + "," + lag[0] + "," + lag[1] + "," + lag[2] + "," + every[i]);
    }
    long[] s = every.clone();
    Arrays.sort(s);
    System.out.printf(
        "  lag every node over %d creates: p50 %d ms, p90 %d ms, max %d ms%n",
        samples, pct(s, 50), pct(s, 90), s[s.length - 1]);
    return every;
  }

  record Workload(double upstreamPerSecond, double hitRate) {}

  /** The repeated workload with churn; the cluster DNS's query rate and the nodes' hit rate. */
  static Workload workload(KubernetesClient api, int seconds) throws Exception {
    for (String node : NODES) { // warm: every name once on every node
      for (int i = 0; i < WORKLOAD_NAMES; i++) {
        ask(node, "wl-" + i + ".default.svc.cluster.local.");
      }
    }
    double upstream0 = sum("nodecache_upstream_requests_total");
    double requests0 = sum("nodecache_requests_total");
    double hits0 = sum("nodecache_cache_hits_total");
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long queries = 0;
    int changes = 0;
    long nextChange = start + Duration.ofSeconds(2).toNanos();
    long nextSample = start;
    while (System.nanoTime() < end) {
      long due = start + queries * 10_000_000L; // 100 rounds/s: one query per node per round
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String fqdn = "wl-" + (queries % WORKLOAD_NAMES) + ".default.svc.cluster.local.";
      for (String node : NODES) {
        ask(node, fqdn);
      }
      queries++;
      if (System.nanoTime() - nextSample >= 0) {
        nextSample += Duration.ofSeconds(60).toNanos();
        System.out.printf(
            "  at %3d s: agents' RSS %s%n",
            (System.nanoTime() - start) / 1_000_000_000L, agentRss());
      }
      if (System.nanoTime() - nextChange >= 0) {
        nextChange += Duration.ofSeconds(2).toNanos();
        String churned = "wl-" + (changes * 37 % WORKLOAD_NAMES);
        Service s = api.services().inNamespace("default").withName(churned).get();
        s.getSpec().getPorts().get(0).setPort(8000 + changes);
        api.resource(s).update();
        changes++;
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    double upstream = sum("nodecache_upstream_requests_total") - upstream0;
    double requests = sum("nodecache_requests_total") - requests0;
    double hits = sum("nodecache_cache_hits_total") - hits0;
    Workload w = new Workload(upstream / secs, hits / requests);
    System.out.printf(
        "  workload: %.0f queries in %.1f s over 3 nodes, %d Service changes; cluster DNS %.1f"
            + " queries/s; hit rate %.2f%%%n",
        requests, secs, changes, w.upstreamPerSecond, w.hitRate * 100);
    return w;
  }

  static Message ask(String node, String fqdn) throws IOException {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName(node));
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(fqdn), Type.A, DClass.IN)));
  }

  /** A metric summed over every series and every node. */
  static double sum(String metric) {
    double total = 0;
    for (String node : NODES) {
      for (String line : agentGet(node, "/metrics").split("\n")) {
        if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }

  static String agentGet(String node, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + node + ":9253" + path))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The agent processes the local cluster runs (its children started with a config file). */
  static List<ProcessHandle> agents() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("--config")).orElse(false))
        .sorted(java.util.Comparator.comparingLong(ProcessHandle::pid))
        .toList();
  }

  /** Each agent's resident memory and, after a full GC it is asked for, its heap in use (MiB). */
  static String agentRss() {
    List<String> out = new ArrayList<>();
    for (ProcessHandle p : agents()) {
      String rss = "?";
      try {
        for (String line : Files.readAllLines(Path.of("/proc", p.pid() + "", "status"))) {
          if (line.startsWith("VmRSS:")) {
            rss = String.format("%.1f", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
          }
        }
      } catch (IOException e) {
        // gone meanwhile
      }
      out.add(rss + " MiB (heap after GC " + heapAfterGc(p.pid()) + " MiB)");
    }
    return String.join(", ", out);
  }

  /** jcmd GC.run, then the "used" of every generation in GC.heap_info. */
  static String heapAfterGc(long pid) {
    LocalClusterProcess.run(List.of("jcmd", String.valueOf(pid), "GC.run"), 20);
    String info =
        LocalClusterProcess.run(List.of("jcmd", String.valueOf(pid), "GC.heap_info"), 20).out();
    long kib = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    while (m.find()) {
      kib += Long.parseLong(m.group(1));
    }
    return kib == 0 ? "?" : String.format("%.1f", kib / 1024.0);
  }

  static void check(LocalClusterProcess.Result r) {
    if (!r.ok()) {
      throw new IllegalStateException(r.out());
    }
  }
}
