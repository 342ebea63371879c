package dev.nodecache.agent;

import static dev.nodecache.agent.testing.PackagedAgent.gauge;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.agent.config.ProcessEnvironment;
import dev.nodecache.agent.testing.PackagedAgent;
import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.ScriptedUpstream.Via;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The memory rule, proven on the real process: the packaged agent run with the JVM flags and cache
 * bytes that {@link MemoryRule} gives the smallest pod limit, its largest allowed {@code
 * maxEntries} filled first with the largest answers there are (60 kB over TCP) and then with small
 * ones past maxEntries, never has more resident memory than the limit, and still answers.
 */
class MemoryLimitIT {
  static final String IP = "127.0.0.48";
  static final long LIMIT = MemoryRule.SMALLEST_LIMIT;
  static final InetAddress SMALL_ADDRESS = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  /** About 60 kB of TXT: 230 distinct strings of 250 bytes. */
  static Record[] largest(Name name) {
    Record[] rs = new Record[230];
    for (int i = 0; i < rs.length; i++) {
      String s = String.format("%03d", i) + String.valueOf((char) ('a' + i % 26)).repeat(247);
      rs[i] = new TXTRecord(name, 1, 3600, s);
    }
    return rs;
  }

  @Test
  void theLargestAllowedCacheFilledWithTheLargestAnswersStaysUnderTheLimit() throws Exception {
    int maxEntries = (int) (MemoryRule.cacheBytesForHeap(LIMIT - MemoryRule.NON_HEAP) / 256);
    MemoryRule rule = MemoryRule.forLimit(LIMIT, maxEntries);
    try (ScriptedUpstream upstream = new ScriptedUpstream("127.0.0.49")) {
      upstream.otherwise(
          (q, via) -> {
            Name name = q.getQuestion().getName();
            Message m =
                name.toString().startsWith("big")
                    ? Replies.answer(q, largest(name))
                    : Replies.answer(q, new ARecord(name, 1, 3600, SMALL_ADDRESS));
            if (via == Via.UDP && m.toWire().length > 512) {
              m = Replies.reply(q);
              m.getHeader().setFlag(Flags.TC); // as a real server: the rest over TCP
            }
            return List.of(send(m));
          });
      int adminPort = TestAgent.freePort(IP);
      Path config =
          TestAgent.configFile(
              dir,
              IP,
              upstream,
              """
              {"listen": {"threads": 1},
               "upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp"}],
               "cache": {"maxEntries": %d, "maxBytes": %d},
               "admin": {"port": %d}, "log": {"level": "warn"}}"""
                  .formatted(upstream.address(), maxEntries, rule.cacheBytes(), adminPort));
      int dnsPort = TestAgent.parser().parse(Files.readString(config)).listen().port();
      try (PackagedAgent p =
          PackagedAgent.start(
              config,
              IP,
              adminPort,
              List.of(rule.javaOptions().split(" ")),
              ProcessEnvironment.variables(),
              dir.resolve("agent.log"))) {
        InetSocketAddress agent = new InetSocketAddress(IP, dnsPort);
        p.awaitReady();
        TestClient client = new TestClient(agent);
        for (int i = 0; i < 600; i++) { // 36 MB offered to a cache of rule.cacheBytes()
          Message m = client.tcp(TestClient.query("big" + i + ".example.", Type.TXT));
          assertEquals(230, m.getSection(1).size(), "big" + i);
        }
        assertTrue(p.isAlive());
        int answered = udpLoad(agent, "small", maxEntries + maxEntries / 4);
        assertTrue(answered > maxEntries, "answered " + answered);
        String metrics = p.get("/metrics");
        assertTrue(gauge(metrics, "nodecache_cache_bytes") <= rule.cacheBytes(), metrics);
        assertTrue(gauge(metrics, "nodecache_cache_entries") <= maxEntries, metrics);
        assertEquals(1, client.udp("small7.example.", Type.A).getSection(1).size());
        long peak = statusKib(p.pid(), "VmHWM") * 1024;
        System.out.printf(
            "memory rule: limit %s, %s; %d entries, %.0f bytes cached; peak RSS %d KiB%n",
            MemoryRule.mib(LIMIT),
            rule.javaOptions(),
            (long) gauge(metrics, "nodecache_cache_entries"),
            gauge(metrics, "nodecache_cache_bytes"),
            peak / 1024);
        assertTrue(
            peak <= LIMIT,
            "peak RSS " + peak / 1024 + " KiB, limit " + LIMIT / 1024 + " KiB; " + rule);
      }
    }
  }

  /**
   * Sends one query for each of {@code count} names, at most 200 unanswered at a time (those
   * unanswered for half a second are counted lost); returns how many were answered.
   */
  static int udpLoad(InetSocketAddress agent, String prefix, int count) throws IOException {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(agent);
      ch.configureBlocking(false);
      ByteBuffer in = ByteBuffer.allocate(4096);
      int sent = 0;
      int outstanding = 0;
      int answered = 0;
      long lastReply = System.nanoTime();
      long deadline = lastReply + 120_000_000_000L;
      while ((sent < count || outstanding > 0) && System.nanoTime() < deadline) {
        while (sent < count && outstanding < 200) {
          ch.write(ByteBuffer.wrap(TestClient.query(prefix + sent + ".example.", Type.A).toWire()));
          sent++;
          outstanding++;
        }
        in.clear();
        if (ch.read(in) > 0) {
          answered++;
          outstanding--;
          lastReply = System.nanoTime();
        } else if (System.nanoTime() - lastReply > 500_000_000L) {
          outstanding = 0; // lost
          lastReply = System.nanoTime();
        } else {
          Thread.onSpinWait();
        }
      }
      return answered;
    }
  }

  static long statusKib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/status");
  }
}
