package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl logs} of a pod: the kubelet's file for it, tail and follow; 404 otherwise. */
class PodLogsTest {
  @TempDir static Path dir;
  static TestApi api;
  static Path log;

  @BeforeAll
  static void start() throws Exception {
    log = dir.resolve("agent-2.log");
    Files.writeString(dir.resolve("agent-1.log"), "one\ntwo\nthree\n");
    Files.writeString(log, "one\ntwo\nthree\n");
    api =
        new TestApi(1000, (ns, pod) -> pod.startsWith("agent-") ? dir.resolve(pod + ".log") : null);
    for (String name : new String[] {"agent-1", "agent-2", "other"}) {
      api.client
          .pods()
          .inNamespace("default")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("agent")
                  .withImage("a")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void aPodsLogIsItsAgentsOutput() throws Exception {
    String base = "/api/v1/namespaces/default/pods/";
    assertEquals("one\ntwo\nthree\n", api.get(base + "agent-1/log").raw().body());
    assertEquals("three\n", api.get(base + "agent-1/log?tailLines=1").raw().body());
    assertEquals("two\nthree\n", api.get(base + "agent-1/log?tailLines=2").raw().body());
    TestApi.Response missing = api.get(base + "nope/log");
    assertEquals(404, missing.code());
    assertEquals("NotFound", missing.body().path("reason").asText());
    assertEquals(400, api.get(base + "other/log").code(), "no container output here");
  }

  @Test
  void followingALogSendsWhatIsAppended() throws Exception {
    var follow =
        api.client.pods().inNamespace("default").withName("agent-2").tailingLines(1).watchLog();
    try {
      Files.writeString(log, "four\n", java.nio.file.StandardOpenOption.APPEND);
      byte[] buf = new byte[64];
      StringBuilder got = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!got.toString().contains("four") && System.nanoTime() < deadline) {
        int n = follow.getOutput().read(buf);
        if (n < 0) {
          break;
        }
        got.append(new String(buf, 0, n));
      }
      assertTrue(
          got.toString().startsWith("three\n") && got.toString().contains("four"), got.toString());
    } finally {
      follow.close();
    }
  }
}
