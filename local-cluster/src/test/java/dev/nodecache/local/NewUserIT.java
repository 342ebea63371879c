package dev.nodecache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nodecache.local.testing.LocalClusterProcess;
import dev.nodecache.local.testing.LocalClusterProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a new user did after the README's quick start (issue 12), with the packaged local cluster
 * and the real kubectl: flushes in a row, an annotation removed, a typo, an invalid value, one
 * example applied over another, explain, logs, describe, get of every kind, a second local.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewUserIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static LocalClusterProcess cluster;
  static Path dir;
  static Path second;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(LocalClusterProcess.onPath("kubectl"), "kubectl is not on the PATH");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the example policy listens on port 53 of 127.0.100.N, which needs root");
    dir = Files.createTempDirectory("new-user-it");
    cluster = LocalClusterProcess.start(dir);
    assertTrue(cluster.kubectl("apply", "-f", "examples/default-policy.yaml").ok());
    cluster.waitFor(
        "3/3 Ready",
        () ->
            cluster
                .kubectl(
                    "get",
                    "dcp",
                    "default",
                    "-o",
                    "jsonpath={.status.nodes.summary} {.status.state}")
                .out()
                .equals("3/3 Ready"),
        60);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      assertTrue(cluster.stop(), "stops on SIGTERM");
    }
    for (Path d : new Path[] {dir, second}) {
      if (d != null) {
        try (Stream<Path> files = Files.walk(d)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  JsonNode policy() throws Exception {
    return JSON.readTree(cluster.kubectl("get", "dcp", "default", "-o", "json").out());
  }

  void flushCompletes(String id) throws Exception {
    cluster.waitFor(
        "flush " + id + " Completed",
        () ->
            cluster
                .kubectl(
                    "get",
                    "dcp",
                    "default",
                    "-o",
                    "jsonpath={.status.lastFlush.id}/{.status.lastFlush.phase}")
                .out()
                .equals(id + "/Completed"),
        30);
  }

  @Test
  @Order(1)
  void getDcpTellsHealthAtAGlance() {
    Result table = cluster.kubectl("get", "dcp");
    assertTrue(
        table.out().matches("(?s)NAME\\s+READY\\s+STATUS\\s+LAST FLUSH\\s+AGE.*"), table.out());
    assertTrue(table.out().contains("3/3") && table.out().contains("Ready"), table.out());
    Result wide = cluster.kubectl("get", "dcp", "-o", "wide");
    assertTrue(
        wide.out().split("\n")[0].split("\\s{2,}").length > 5,
        "-o wide adds columns: " + wide.out());
  }

  @Test
  @Order(2)
  void aNamedFlushAfterAFullFlushAndThenAnAnnotationRemoved() throws Exception {
    assertTrue(
        cluster
            .kubectl("annotate", "dcp", "default", "nodecache.dev/flush=u1", "--overwrite")
            .ok());
    flushCompletes("u1");
    assertTrue(
        cluster
            .kubectl(
                "annotate",
                "dcp",
                "default",
                "nodecache.dev/flush-names=api.example.com",
                "nodecache.dev/flush=u2",
                "--overwrite")
            .ok());
    flushCompletes("u2");
    assertEquals("[\"api.example.com\"]", policy().at("/status/lastFlush/names").toString());
    assertTrue(cluster.kubectl("annotate", "dcp", "default", "nodecache.dev/flush-names-").ok());
    assertFalse(
        policy().at("/metadata/annotations").has("nodecache.dev/flush-names"),
        "a removed annotation is gone, not null");
    assertTrue(
        cluster
            .kubectl("annotate", "dcp", "default", "nodecache.dev/flush=u3", "--overwrite")
            .ok());
    flushCompletes("u3");
    assertEquals("[]", policy().at("/status/lastFlush/names").toString());
    assertTrue(cluster.kubectl("get", "dcp").out().contains("u3 Completed 3/3"));
  }

  @Test
  @Order(3)
  void aTypoIsRefusedAndTheClusterKeepsRunning() throws Exception {
    String typo =
        Files.readString(LocalClusterProcess.ROOT.resolve("examples/default-policy.yaml"))
            .replace("maxTtl: 1h", "maxTTL: 2h");
    assertTrue(typo.contains("maxTTL"), "the example has maxTtl: 1h");
    Result r = cluster.kubectlWithInput(typo, "apply", "-f", "-");
    assertFalse(r.ok(), r.out());
    assertTrue(r.out().contains("unknown field \"spec.cache.maxTTL\""), r.out());
    assertTrue(cluster.kubectl("get", "dcp", "default").ok(), "still answering");
    assertEquals("Ready", policy().at("/status/state").asText());
  }

  @Test
  @Order(4)
  void anInvalidValueIsRefusedAsAClusterRefusesIt() throws Exception {
    Result ttl =
        cluster.kubectl(
            "patch",
            "dcp",
            "default",
            "--type=merge",
            "-p",
            "{\"spec\":{\"cache\":{\"maxTtl\":\"forever\"}}}");
    assertFalse(ttl.ok(), ttl.out());
    // kubectl patch prints `The DnsCachePolicy "default" is invalid: spec.cache.maxTtl: …`,
    // as against a cluster.
    assertTrue(
        ttl.out().contains("\"default\" is invalid")
            && ttl.out().contains("spec.cache.maxTtl: Invalid value: \"forever\""),
        ttl.out());
    Result port =
        cluster.kubectl(
            "patch",
            "dcp",
            "default",
            "--type=merge",
            "-p",
            "{\"spec\":{\"listen\":{\"port\":70000}}}");
    assertFalse(port.ok(), port.out());
    assertTrue(port.out().contains("spec.listen.port"), port.out());
    assertEquals(53, policy().at("/spec/listen/port").asInt(), "nothing stored");
  }

  @Test
  @Order(5)
  void oneExampleAppliedOverAnotherLeavesExactlyTheSecond() throws Exception {
    assertTrue(cluster.kubectl("apply", "-f", "examples/per-zone-ttl-policy.yaml").ok());
    JsonNode expected =
        new YAMLMapper()
            .readTree(
                LocalClusterProcess.ROOT.resolve("examples/per-zone-ttl-policy.yaml").toFile())
            .get("spec");
    JsonNode spec = policy().get("spec");
    assertEquals(expected.get("upstreams").size(), spec.get("upstreams").size(), spec.toString());
    assertFalse(spec.toString().contains("null"), "no null members: " + spec);
    assertEquals(expected.get("cache"), spec.get("cache"), "cache exactly as in the file");
    assertTrue(cluster.kubectl("apply", "-f", "examples/default-policy.yaml").ok());
  }

  @Test
  @Order(6)
  void explainDescribeAndLogsWork() throws Exception {
    Result explain = cluster.kubectl("explain", "dnscachepolicy.spec");
    assertTrue(explain.ok() && explain.out().contains("listen"), explain.out());
    Result describe = cluster.kubectl("describe", "dcp", "default");
    assertTrue(describe.out().contains("FlushCompleted"), "events in describe: " + describe.out());
    String pod = cluster.kubectl("get", "pods", "-o", "name").out().split("\n")[0];
    Result logs = cluster.kubectl("logs", pod);
    assertTrue(logs.ok() && !logs.out().isEmpty(), logs.out());
    assertFalse(
        logs.out().contains("\"apiVersion\"") || logs.out().contains("kind: "),
        "the agent's log, never the API store: "
            + logs.out().substring(0, Math.min(300, logs.out().length())));
    String token =
        cluster
            .kubectl(
                "get", "secret", "nodecache-default-admin-token", "-o", "jsonpath={.data.token}")
            .out();
    assertFalse(token.isEmpty(), "the README's token recipe");
  }

  @Test
  @Order(7)
  void everyKindHasATable() {
    for (List<String> kind :
        List.of(
            List.of("ds", "DESIRED"),
            List.of("nodes", "STATUS"),
            List.of("secrets", "TYPE"),
            List.of("events", "REASON"),
            List.of("cm", "DATA"))) {
      Result r = cluster.kubectl("get", kind.get(0));
      assertTrue(r.ok() && r.out().contains(kind.get(1)), kind + ": " + r.out());
    }
  }

  @Test
  @Order(8)
  void aSecondLocalClusterSaysWhatIsTakenAndExits() throws Exception {
    Path other = Files.createTempDirectory("second-local");
    second = other;
    Process second =
        new ProcessBuilder(
                LocalClusterProcess.javaBin(),
                "-jar",
                LocalClusterProcess.JAR,
                "--nodes",
                "3",
                "--kubeconfig",
                other.resolve("kubeconfig").toString())
            .directory(LocalClusterProcess.ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    assertTrue(second.waitFor(30, TimeUnit.SECONDS), "exits, does not hang");
    String out = new String(second.getInputStream().readAllBytes()).trim();
    assertEquals(1, second.exitValue(), out);
    assertTrue(out.contains("127.0.100.") && out.lines().count() <= 2, out);
    try (Stream<Path> left = Files.list(other)) {
      assertEquals(0, left.count(), "nothing written by the refused second cluster");
    }
  }
}
