package dev.nodecache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.local.testing.LocalClusterProcess;
import dev.nodecache.local.testing.LocalClusterProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's quick start, end to end, with the packaged jars, the real kubectl and dig: {@code
 * java -jar local-cluster/target/nodecache-local.jar --nodes 3}, then apply the example policy,
 * query each node, flush, change the spec, delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  static LocalClusterProcess cluster;
  static Path dir;
  static long startedAt;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        LocalClusterProcess.onPath("kubectl"),
        "kubectl is not on the PATH: local mode e2e skipped");
    Assumptions.assumeTrue(
        LocalClusterProcess.onPath("dig"), "dig is not installed (apt-get install dnsutils)");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the example policy listens on port 53 of 127.0.100.N, which needs root");
    dir = Files.createTempDirectory("local-it");
    startedAt = System.nanoTime();
    cluster = LocalClusterProcess.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      assertTrue(cluster.stop(), "local mode stops on SIGTERM");
      assertFalse(Files.exists(cluster.kubeconfig()), "the stopped cluster removed its kubeconfig");
    }
    if (dir != null) {
      try (var left = Files.walk(dir)) {
        for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  @Order(1)
  void applyingTheExamplePolicyBringsEveryNodeReady() throws Exception {
    long apply = System.nanoTime();
    assertTrue(kubectl("apply", "-f", "examples/default-policy.yaml").ok());
    waitFor(
        "3/3 ready",
        () ->
            kubectl("get", "dcp", "default", "-o", "jsonpath={.status.nodes.summary}")
                .out()
                .equals("3/3"),
        60);
    System.out.printf(
        "local mode: start to ready %.1f s, apply to ready %.1f s%n",
        (System.nanoTime() - startedAt) / 1e9, (System.nanoTime() - apply) / 1e9);
    Result table = kubectl("get", "dcp");
    assertTrue(table.out().contains("READY") && table.out().contains("3/3"), table.out());
    Result pods = kubectl("get", "pods", "-o", "wide");
    for (int n = 1; n <= 3; n++) {
      assertTrue(pods.out().contains("127.0.100." + n), pods.out());
    }
  }

  @Test
  @Order(2)
  void digReachesEveryNodesAgent() throws Exception {
    for (int n = 1; n <= 3; n++) {
      assertEquals("192.0.2.10", dig("127.0.100." + n, "53", "www.example.com"));
      assertEquals(
          "10.96.0.1", dig("127.0.100." + n, "53", "kubernetes.default.svc.cluster.local"));
    }
  }

  @Test
  @Order(3)
  void aFlushAnnotationCompletesOnEveryNode() throws Exception {
    assertTrue(
        kubectl("annotate", "dcp", "default", "nodecache.dev/flush=it-1", "--overwrite").ok());
    waitFor(
        "flush it-1 Completed",
        () ->
            kubectl(
                    "get",
                    "dcp",
                    "default",
                    "-o",
                    "jsonpath={.status.lastFlush.id}/{.status.lastFlush.phase}/{.status.lastFlush.acknowledged}")
                .out()
                .equals("it-1/Completed/3"),
        30);
  }

  @Test
  @Order(4)
  void aSpecChangeRollsOut() throws Exception {
    assertTrue(
        kubectl(
                "patch",
                "dcp",
                "default",
                "--type=merge",
                "-p",
                "{\"spec\":{\"listen\":{\"port\":5353}}}")
            .ok());
    waitFor(
        "agents on port 5353",
        () -> {
          try {
            for (int n = 1; n <= 3; n++) {
              if (!"192.0.2.10".equals(dig("127.0.100." + n, "5353", "www.example.com"))) {
                return false;
              }
            }
            return true;
          } catch (Exception e) {
            return false;
          }
        },
        60);
  }

  @Test
  @Order(5)
  void deletingThePolicyRemovesTheAgents() throws Exception {
    assertTrue(kubectl("delete", "dcp", "default").ok());
    waitFor("no agent pods", () -> kubectl("get", "pods", "-o", "name").out().isEmpty(), 30);
    waitFor(
        "no agent answers",
        () -> {
          try {
            return !dig("127.0.100.1", "5353", "www.example.com").contains("192.0.2.10");
          } catch (Exception e) {
            return true;
          }
        },
        30);
    assertTrue(kubectl("get", "ds", "-o", "name").out().isEmpty(), "DaemonSet collected");
  }

  static Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  static String dig(String server, String port, String name) {
    return LocalClusterProcess.dig(server, port, name);
  }

  static void waitFor(String what, java.util.function.BooleanSupplier ok, int seconds)
      throws Exception {
    cluster.waitFor(what, ok, seconds);
  }
}
