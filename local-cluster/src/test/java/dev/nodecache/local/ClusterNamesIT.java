package dev.nodecache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.local.testing.LocalClusterProcess;
import dev.nodecache.local.testing.LocalClusterProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cluster names follow the API (issue 13), end to end: the packaged local cluster, the real kubectl
 * creating, patching and deleting Services and EndpointSlices, and dig asking each node's agent.
 * Every node caches a cluster answer for minutes (held while it follows the stream), yet answers
 * what the API says on the next query after a change: well before any TTL could have run out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNamesIT {
  static final List<String> NODES = List.of("127.0.100.1", "127.0.100.2", "127.0.100.3");

  /** Far below the 5 s negative TTL of the example policy and the 5 min hold. */
  static final long FOLLOWS_WITHIN_MILLIS = 3_000;

  static LocalClusterProcess cluster;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(LocalClusterProcess.onPath("kubectl"), "kubectl is not on the PATH");
    Assumptions.assumeTrue(LocalClusterProcess.onPath("dig"), "dig is not on the PATH");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the example policy listens on port 53 of 127.0.100.N, which needs root");
    dir = Files.createTempDirectory("cluster-names-it");
    cluster = LocalClusterProcess.start(dir);
    assertTrue(cluster.kubectl("apply", "-f", "examples/default-policy.yaml").ok());
    cluster.waitFor(
        "3/3 Ready and every node following",
        () ->
            cluster
                .kubectl(
                    "get",
                    "dcp",
                    "default",
                    "-o",
                    "jsonpath={.status.nodes.summary} {.status.invalidation.phase}"
                        + " {.status.invalidation.summary}")
                .out()
                .equals("3/3 Following 3/3"),
        90);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      assertTrue(cluster.stop(), "stops on SIGTERM");
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** What one node answers: "NXDOMAIN", "NOERROR" with no data, or the data of each record. */
  record Answer(String status, List<String> data) {
    @Override
    public String toString() {
      return status + " " + data;
    }
  }

  static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

  static Answer ask(String node, String name, String type) {
    Result r =
        LocalClusterProcess.run(
            List.of(
                "dig",
                "@" + node,
                "-p",
                "53",
                "+tries=1",
                "+time=2",
                "+noall",
                "+comments",
                "+answer",
                name,
                type),
            10);
    Matcher m = STATUS.matcher(r.out());
    List<String> data = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (!line.isBlank() && !line.startsWith(";")) {
        String[] f = line.trim().split("\\s+", 5);
        if (f.length == 5) {
          data.add(f[3] + " " + f[4]);
        }
      }
    }
    return new Answer(m.find() ? m.group(1) : "no answer: " + r.out(), data);
  }

  /** Every node answers {@code expected} for NAME TYPE within the bound; returns the time taken. */
  static long everyNodeAnswers(String name, String type, String expected) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(FOLLOWS_WITHIN_MILLIS);
    for (String node : NODES) {
      Answer a = ask(node, name, type);
      while (!matches(a, expected)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              node
                  + " answers "
                  + a
                  + " for "
                  + name
                  + " "
                  + type
                  + ", expected "
                  + expected
                  + " within "
                  + FOLLOWS_WITHIN_MILLIS
                  + " ms\n"
                  + cluster.log());
        }
        Thread.sleep(20);
        a = ask(node, name, type);
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** "NXDOMAIN", "NODATA", or a piece of the data (e.g. "A 10.96.0.100"). */
  static boolean matches(Answer a, String expected) {
    return switch (expected) {
      case "NXDOMAIN" -> a.status().equals("NXDOMAIN");
      case "NODATA" -> a.status().equals("NOERROR") && a.data().isEmpty();
      default -> a.status().equals("NOERROR") && String.join("\n", a.data()).contains(expected);
    };
  }

  static String kubectlOut(String... args) {
    Result r = cluster.kubectl(args);
    assertTrue(r.ok(), String.join(" ", args) + ": " + r.out());
    return r.out();
  }

  static String clusterIp(String service) {
    return kubectlOut("get", "svc", service, "-n", "default", "-o", "jsonpath={.spec.clusterIP}");
  }

  static void applyYaml(String yaml) throws Exception {
    Result r = cluster.kubectlWithInput(yaml, "apply", "-f", "-");
    assertTrue(r.ok(), r.out());
  }

  static String slice(String service, int ready) {
    StringBuilder endpoints = new StringBuilder();
    for (int i = 0; i < ready; i++) {
      endpoints.append(
          """
            - addresses: ["10.244.0.%d"]
              hostname: %s-%d
              conditions: {ready: true}
          """
              .formatted(10 + i, service, i));
    }
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-abcde
          namespace: default
          labels: {kubernetes.io/service-name: %s}
        addressType: IPv4
        ports: [{name: pg, protocol: TCP, port: 5432}]
        endpoints:%s
        """
        .formatted(service, service, ready == 0 ? " []" : "\n" + endpoints);
  }

  /** A counter's value in an agent's /metrics, 0 when it is not there. */
  static double metric(String node, String series) throws Exception {
    String body =
        HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + node + ":9253/metrics"))
                    .timeout(java.time.Duration.ofSeconds(3))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  @Test
  @Order(0)
  void theStreamIsOneConnectionHeldOpenToEachAgent() throws Exception {
    Thread.sleep(4_500); // two heartbeats at least
    for (String node : NODES) {
      double upgrades =
          metric(node, "nodecache_admin_requests_total{method=\"GET\",path=\"/invalidate\"}");
      double posts =
          metric(node, "nodecache_admin_requests_total{method=\"POST\",path=\"/invalidate\"}");
      double messages = metric(node, "nodecache_invalidation_requests_total");
      assertEquals(1, upgrades, node + ": one WebSocket upgrade");
      assertEquals(0, posts, node + ": no POST /invalidate");
      assertTrue(messages >= 3, node + ": messages on it (first, heartbeats): " + messages);
    }
  }

  @Test
  @Order(1)
  void aNameAskedBeforeItsServiceExistsIsAnsweredOnTheNextQueryAfterCreate() throws Exception {
    for (String node : NODES) {
      assertEquals("NXDOMAIN", ask(node, "db.default.svc.cluster.local", "A").status());
    }
    // Cached NXDOMAIN on every node: the same answer without asking again.
    everyNodeAnswers("db.default.svc.cluster.local", "A", "NXDOMAIN");
    kubectlOut("create", "service", "clusterip", "db", "--tcp=5432:5432", "-n", "default");
    String ip = clusterIp("db");
    assertTrue(ip.startsWith("10."), "a ClusterIP from the service range: " + ip);
    long took = everyNodeAnswers("db.default.svc.cluster.local", "A", "A " + ip);
    System.out.println("ClusterNamesIT: created Service answered by 3 nodes in " + took + " ms");
    everyNodeAnswers("_5432-5432._tcp.db.default.svc.cluster.local", "SRV", "5432 db.default");
    everyNodeAnswers(reverse(ip), "PTR", "db.default.svc.cluster.local.");
  }

  @Test
  @Order(2)
  void aDeletedAndReCreatedServiceIsAnsweredWithItsNewClusterIp() throws Exception {
    String old = clusterIp("db");
    everyNodeAnswers("db.default.svc.cluster.local", "A", "A " + old);
    kubectlOut("delete", "service", "db", "-n", "default");
    everyNodeAnswers("db.default.svc.cluster.local", "A", "NXDOMAIN");
    everyNodeAnswers(reverse(old), "PTR", "NXDOMAIN");
    kubectlOut("create", "service", "clusterip", "db", "--tcp=5432:5432", "-n", "default");
    String now = clusterIp("db");
    assertNotEquals(old, now, "a re-created Service gets a new ClusterIP");
    everyNodeAnswers("db.default.svc.cluster.local", "A", "A " + now);
  }

  @Test
  @Order(3)
  void aHeadlessServiceScaledUpAndDownIsFollowed() throws Exception {
    kubectlOut(
        "create",
        "service",
        "clusterip",
        "pg",
        "--clusterip=None",
        "--tcp=5432:5432",
        "-n",
        "default");
    everyNodeAnswers("pg.default.svc.cluster.local", "A", "NXDOMAIN");
    applyYaml(slice("pg", 1));
    everyNodeAnswers("pg.default.svc.cluster.local", "A", "A 10.244.0.10");
    everyNodeAnswers("pg-0.pg.default.svc.cluster.local", "A", "A 10.244.0.10");
    everyNodeAnswers("pg-1.pg.default.svc.cluster.local", "A", "NXDOMAIN");
    applyYaml(slice("pg", 2));
    everyNodeAnswers("pg.default.svc.cluster.local", "A", "A 10.244.0.11");
    everyNodeAnswers("pg-1.pg.default.svc.cluster.local", "A", "A 10.244.0.11");
    everyNodeAnswers("_pg._tcp.pg.default.svc.cluster.local", "SRV", "pg-1.pg.default");
    applyYaml(slice("pg", 0));
    everyNodeAnswers("pg.default.svc.cluster.local", "A", "NXDOMAIN");
    everyNodeAnswers("pg-0.pg.default.svc.cluster.local", "A", "NXDOMAIN");
  }

  @Test
  @Order(4)
  void anExternalNameChangeIsFollowed() throws Exception {
    kubectlOut(
        "create",
        "service",
        "externalname",
        "ext",
        "--external-name",
        "www.example.com",
        "-n",
        "default");
    everyNodeAnswers("ext.default.svc.cluster.local", "A", "A 192.0.2.10");
    kubectlOut(
        "patch",
        "service",
        "ext",
        "-n",
        "default",
        "-p",
        "{\"spec\":{\"externalName\":\"api.example.com\"}}");
    everyNodeAnswers("ext.default.svc.cluster.local", "A", "A 192.0.2.20");
    everyNodeAnswers("ext.default.svc.cluster.local", "A", "CNAME api.example.com.");
  }

  @Test
  @Order(5)
  void endpointChurnBehindAClusterIpChangesNoAnswerAndIsNoBatch() throws Exception {
    long before = agentState(NODES.get(0)).path("applied").asLong();
    applyYaml(slice("db", 2));
    applyYaml(slice("db", 1));
    kubectlOut("delete", "endpointslice", "db-abcde", "-n", "default");
    Thread.sleep(1_000); // a batch would be on the agents within 50 ms
    everyNodeAnswers("db.default.svc.cluster.local", "A", "A " + clusterIp("db"));
    assertEquals(
        before,
        agentState(NODES.get(0)).path("applied").asLong(),
        "EndpointSlices of a ClusterIP Service make no batch");
  }

  @Test
  @Order(6)
  void anAgentRestartedDuringABurstEndsWithNoStaleClusterAnswer() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      names.add("burst" + i);
      for (String node : NODES) {
        ask(node, "burst" + i + ".default.svc.cluster.local", "A"); // NXDOMAIN, cached, held
      }
    }
    String pod =
        kubectlOut(
            "get",
            "pods",
            "-l",
            "app.kubernetes.io/name=nodecache-agent",
            "-o",
            "jsonpath={.items[0].metadata.name}");
    for (int i = 0; i < names.size(); i++) {
      kubectlOut("create", "service", "clusterip", names.get(i), "--tcp=80:80", "-n", "default");
      if (i == 3) {
        kubectlOut("delete", "pod", pod, "--wait=false");
      }
    }
    cluster.waitFor(
        "3/3 Following again",
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
        60);
    for (String n : names) {
      everyNodeAnswers(n + ".default.svc.cluster.local", "A", "A " + clusterIp(n));
    }
  }

  @Test
  @Order(7)
  void withInvalidationOffAnswersLiveByTheirTtlAgain() throws Exception {
    kubectlOut(
        "patch",
        "dcp",
        "default",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"invalidation\":{\"enabled\":false}}}");
    cluster.waitFor(
        "invalidation Off",
        () ->
            cluster
                .kubectl("get", "dcp", "default", "-o", "jsonpath={.status.invalidation.phase}")
                .out()
                .equals("Off"),
        30);
    // The agents read the config without an invalidation block within a few seconds.
    cluster.waitFor(
        "agents not following",
        () -> NODES.stream().allMatch(node -> !agentState(node).path("enabled").asBoolean(true)),
        30);
    for (String node : NODES) {
      assertEquals("NXDOMAIN", ask(node, "late.default.svc.cluster.local", "A").status());
    }
    kubectlOut("create", "service", "clusterip", "late", "--tcp=80:80", "-n", "default");
    Thread.sleep(1_000);
    for (String node : NODES) {
      assertEquals(
          "NXDOMAIN",
          ask(node, "late.default.svc.cluster.local", "A").status(),
          "without invalidation the cached NXDOMAIN stays until its 5 s TTL");
    }
    // And once that TTL is over, the answer is the API's.
    Thread.sleep(5_000);
    everyNodeAnswers("late.default.svc.cluster.local", "A", "A " + clusterIp("late"));
  }

  /** The agent's GET /invalidation (open, like /metrics). */
  static com.fasterxml.jackson.databind.JsonNode agentState(String node) {
    try {
      var r =
          HTTP.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://" + node + ":9253/invalidation"))
                  .timeout(java.time.Duration.ofSeconds(3))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    } catch (Exception e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  static String reverse(String ip) {
    String[] o = ip.split("\\.");
    return o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
  }
}
