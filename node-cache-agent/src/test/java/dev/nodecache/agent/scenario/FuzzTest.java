package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.RecordingLeakDetector;
import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestClient;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Random and mutated packets over UDP and TCP from clients, and garbage from the upstream; then the
 * agent must still answer correctly and no buffer may have leaked. Bounded in count and time.
 */
class FuzzTest extends ScenarioTest {
  /** 4s by default; -Dfuzz.seconds=N for a longer local run. */
  static final long BUDGET_NANOS = Long.getLong("fuzz.seconds", 4) * 1_000_000_000L;

  /** 200,000 by default; -Dfuzz.packets=N (with fuzz.seconds) for a deeper run. */
  static final long MAX_PACKETS = Long.getLong("fuzz.packets", 200_000);

  static final int BURST = 200;

  @Test
  void badInputNeverStopsTheAgentNorLeaks() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    upstream.answer("ok.example.", Type.A, rr("ok.example. 300 IN A 192.0.2.1"));
    for (int i = 0; i < 16; i++) {
      String n = "g" + i + ".example.";
      long s = random.nextLong();
      upstream.on(n, Type.A, (q, via) -> List.of(ScriptedUpstream.send(garbageReply(q, s))));
    }
    // One event loop, one socket: a reply to the probe sent after a burst means the agent has
    // read the whole burst and still answers (back-pressure for the fuzzer, too).
    startAgent(
        """
        {"listen": {"threads": 1},
         "upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp",
                        "timeout": "100ms"}]}"""
            .formatted(upstream.address()));
    byte[][] seeds = {
      TestClient.query("ok.example.", Type.A).toWire(),
      TestClient.ednsQuery("ok.example.", Type.AAAA, 4096, true).toWire(),
      TestClient.query("g3.example.", Type.A).toWire(),
    };

    long deadline = System.nanoTime() + BUDGET_NANOS;
    long sent = 0;
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(10_000);
      while (sent < MAX_PACKETS && System.nanoTime() < deadline) {
        for (int i = 0; i < BURST; i++, sent++) {
          byte[] p =
              random.nextInt(4) == 0
                  ? randomBytes(random)
                  : mutate(seeds[random.nextInt(3)], random);
          udp.send(new DatagramPacket(p, p.length, agent.address()));
        }
        tcpBurst(random, seeds);
        assertStillAnswers(udp, sent, seed);
      }
    }
    for (int i = 0; i < 16; i++) { // upstream garbage: answered SERVFAIL or from the valid part
      Message m = client.udp("g" + i + ".example.", Type.A);
      assertTrue(m.getRcode() == 0 || m.getRcode() == 2, "rcode " + m.getRcode());
    }

    Message ok = client.udp("ok.example.", Type.A);
    assertEquals("192.0.2.1", ok.getSection(Section.ANSWER).get(0).rdataToString(), "seed " + seed);
    assertEquals(
        Type.A,
        client
            .tcp(TestClient.query("ok.example.", Type.A))
            .getSection(Section.ANSWER)
            .get(0)
            .getType());

    agent.close();
    agent = null;
    for (int i = 0; i < 5; i++) { // leaks are reported when a collected buffer is noticed
      System.gc();
      Thread.sleep(50);
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64).release();
    }
    assertEquals(List.of(), RecordingLeakDetector.leaks(), "seed " + seed + ", sent " + sent);
    assertTrue(sent > 1000 || BUDGET_NANOS == 0, "sent " + sent);
    System.out.printf(
        "fuzz: %,d packets (UDP, plus a TCP burst each %d), seed %d%n", sent, BURST, seed);
  }

  /** A valid query from the fuzzer's own socket; its reply must come (others are skipped). */
  private void assertStillAnswers(DatagramSocket udp, long sent, long seed) throws Exception {
    Message probe = TestClient.query("ok.example.", Type.A);
    byte[] wire = probe.toWire();
    udp.send(new DatagramPacket(wire, wire.length, agent.address()));
    byte[] buf = new byte[65535];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("no answer after " + sent + " fuzz packets, seed " + seed);
      }
      if (p.getLength() >= 2
          && (((buf[0] & 0xff) << 8) | (buf[1] & 0xff)) == probe.getHeader().getID()
          && p.getLength() > 12
          && (buf[3] & 0xf) == 0) {
        return;
      }
    }
  }

  private void tcpBurst(SplittableRandom random, byte[][] seeds) {
    try (Socket s = new Socket(agent.address().getAddress(), agent.address().getPort())) {
      s.setSoTimeout(200);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      for (int i = 0; i < 5; i++) {
        byte[] p = mutate(seeds[random.nextInt(seeds.length)], random);
        int declared = random.nextInt(8) == 0 ? random.nextInt(65536) : p.length;
        out.writeShort(declared);
        out.write(p);
      }
      out.flush();
    } catch (java.io.IOException e) {
      // the agent may close a garbage connection; that is fine
    }
  }

  static byte[] randomBytes(SplittableRandom r) {
    byte[] b = new byte[r.nextInt(600)];
    r.nextBytes(b);
    return b;
  }

  static byte[] mutate(byte[] seed, SplittableRandom r) {
    byte[] b = seed.clone();
    int flips = 1 + r.nextInt(4);
    for (int i = 0; i < flips; i++) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    if (r.nextInt(5) == 0) {
      b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 40));
    }
    return b;
  }

  /** A reply with the right id and question but a corrupted body. */
  static byte[] garbageReply(Message q, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] good =
        Replies.answer(
                q,
                rr(q.getQuestion().getName() + " 300 IN A 192.0.2.1"),
                rr(q.getQuestion().getName() + " 300 IN CNAME x.example."))
            .toWire();
    int questionEnd = 12 + q.getQuestion().getName().length() + 4;
    for (int i = 0; i < 6; i++) {
      good[questionEnd + r.nextInt(good.length - questionEnd)] = (byte) r.nextInt(256);
    }
    return good;
  }
}
