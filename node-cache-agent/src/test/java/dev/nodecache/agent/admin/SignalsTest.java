package dev.nodecache.agent.admin;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.Main;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The real agent process and real signals: USR1 statistics, USR2 flush, TERM drain and exit 0. */
class SignalsTest {
  static final String IP = "127.0.0.45";

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void usr1LogsStatisticsUsr2FlushesTermDrainsThenExitsZero() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream("127.0.0.46")) {
      upstream.answer("api.example.", Type.A, rr("api.example. 300 IN A 192.0.2.1"));
      int adminPort = TestAgent.freePort(IP);
      Path config =
          TestAgent.configFile(
              dir,
              IP,
              upstream,
              """
          {"listen": {"threads": 1, "drainPeriod": "1500ms"},
           "admin": {"port": %d}, "log": {"level": "info"}}"""
                  .formatted(adminPort));
      int dnsPort = TestAgent.parser().parse(Files.readString(config)).listen().port();
      Path logFile = dir.resolve("agent.log");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      try {
        TestClient client = new TestClient(new InetSocketAddress(IP, dnsPort));
        waitFor("ready", () -> status(adminPort, "/readyz") == 200);
        client.udp("api.example.", Type.A);
        client.udp("api.example.", Type.A);
        assertEquals(1, upstream.count("api.example.", Type.A));

        signal(p, "USR1");
        waitFor("statistics logged", () -> log(logFile).contains("cache statistics: 1 entries"));

        signal(p, "USR2");
        waitFor("flush logged", () -> log(logFile).contains("flush from SIGUSR2"));
        client.udp("api.example.", Type.A);
        assertEquals(2, upstream.count("api.example.", Type.A), "flushed, asked again");

        p.destroy(); // SIGTERM
        waitFor("unready while draining", () -> status(adminPort, "/readyz") == 503);
        assertNotNull(
            client.udpRaw(TestClient.query("api.example.", Type.A).toWire(), 1000),
            "still answering during the drain");
        assertTrue(p.waitFor(15, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log(logFile));
        assertTrue(log(logFile).contains("draining: not ready"), log(logFile));
      } finally {
        p.destroyForcibly();
      }
    }
  }

  int status(int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://" + IP + ":" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static void signal(Process p, String name) throws Exception {
    assertEquals(
        0, new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor());
  }

  static String log(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "";
    }
  }

  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20s: " + what);
      }
      Thread.sleep(25);
    }
  }
}
