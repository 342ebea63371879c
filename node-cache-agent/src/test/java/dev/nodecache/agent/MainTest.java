package dev.nodecache.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class MainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void helpExplainsUsageAndExitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--config FILE"));
  }

  @Test
  void aBadConfigIsRefusedNamingTheField(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("agent.json");
    Files.writeString(
        config,
        """
        {"listen": {"addresses": ["127.0.0.20"], "port": 5353},
         "upstreams": [{"zones": ["."], "servers": ["127.0.0.2:5300"]}],
         "cache": {"maxTtl": "forever"}}""");
    assertEquals(2, run("--config", config.toString()));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("cache.maxTtl: expected a duration"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingFileOrArgumentIsAUsageError(@TempDir Path dir) {
    assertEquals(2, run("--config", dir.resolve("nope.json").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
    assertEquals(2, run());
    assertEquals(2, run("--bogus"));
  }

  /** The real process: answers over UDP, then SIGTERM stops it with exit code 0. */
  @Test
  void sigtermStopsTheAgentGracefullyWithExitZero(@TempDir Path dir) throws Exception {
    int port = TestAgent.freePort("127.0.0.33");
    Path config = dir.resolve("agent.json");
    // The upstream is a closed loopback port: the query is answered SERVFAIL, never leaves.
    Files.writeString(
        config,
        """
        {"listen": {"addresses": ["127.0.0.33"], "port": %d, "threads": 1, "drainPeriod": "200ms"},
         "admin": {"port": 0},
         "upstreams": [{"zones": ["."], "servers": ["127.0.0.34:9"], "timeout": "200ms"}]}"""
            .formatted(port));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile())
            .start();
    try {
      TestClient client = new TestClient(new InetSocketAddress("127.0.0.33", port));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      byte[] reply = null;
      while (reply == null && System.nanoTime() < deadline) {
        reply = client.udpRaw(TestClient.query("x.example.", Type.A).toWire(), 500);
      }
      assertTrue(
          reply != null, "the agent never answered: " + Files.readString(dir.resolve("agent.log")));
      assertEquals(Rcode.SERVFAIL, TestClient.parse(reply).getRcode());
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stopped within 15s");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("agent.log")));
      assertTrue(Files.readString(dir.resolve("agent.log")).contains("node cache agent stopped"));
    } finally {
      p.destroyForcibly();
    }
  }
}
