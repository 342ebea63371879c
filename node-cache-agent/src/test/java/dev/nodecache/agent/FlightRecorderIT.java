package dev.nodecache.agent;

import static dev.nodecache.agent.testing.PackagedAgent.gauge;
import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.agent.config.ProcessEnvironment;
import dev.nodecache.agent.testing.PackagedAgent;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * SIGUSR2 flushes the cache, and nothing else does: the packaged agent, started with the process
 * environment the operator gives it, profiled by the flight recorder (which suspends a thread with
 * a signal for every stack sample, SIGUSR2 unless the environment moves it) flushes nothing until
 * it is sent SIGUSR2, and then flushes once.
 */
class FlightRecorderIT {
  static final String IP = "127.0.0.50";

  @TempDir Path dir;

  @Test
  void onlySigusr2FlushesEvenWhileTheFlightRecorderSamplesStacks() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream("127.0.0.51")) {
      upstream.answer("api.example.", Type.A, rr("api.example. 300 IN A 192.0.2.1"));
      int adminPort = TestAgent.freePort(IP);
      Path config =
          TestAgent.configFile(
              dir,
              IP,
              upstream,
              """
              {"admin": {"port": %d}, "log": {"level": "warn"}}"""
                  .formatted(adminPort));
      int dnsPort = TestAgent.parser().parse(Files.readString(config)).listen().port();
      List<String> options =
          new ArrayList<>(List.of(MemoryRule.forEntries(10_000).javaOptions().split(" ")));
      options.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("a.jfr"));
      try (PackagedAgent agent =
          PackagedAgent.start(
              config,
              IP,
              adminPort,
              options,
              ProcessEnvironment.variables(),
              dir.resolve("agent.log"))) {
        agent.awaitReady();
        // Answers for 2 s keep the event loops in Java code, where the recorder samples them
        // (every 10-20 ms with the profile settings); a thread waiting in epoll is not sampled.
        TestClient client = new TestClient(new InetSocketAddress(IP, dnsPort));
        long end = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 20_000 && System.nanoTime() < end; i++) {
          client.udp("api.example.", Type.A);
        }
        assertEquals(0, flushes(agent), "flushes while the flight recorder sampled");
        new ProcessBuilder("kill", "-USR2", String.valueOf(agent.pid())).start().waitFor();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (flushes(agent) < 1 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Thread.sleep(500);
        assertEquals(1, flushes(agent), "flushes after one SIGUSR2");
      }
    }
  }

  private static double flushes(PackagedAgent agent) {
    return gauge(agent.get("/metrics"), "nodecache_flushes_total");
  }
}
