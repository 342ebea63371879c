package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.TestClient;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Every upstream query has a socket of its own, of the server's address family, and whatever ends
 * the query closes it: the reply, the timeout, the agent stopping. Counted in this process's open
 * files, which hold the agent's.
 */
class UpstreamSocketsScenariosTest extends ScenarioTest {
  static final int SILENT = 20;

  String longTimeout() {
    return """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "udp", "timeout": "3s"}]}"""
        .formatted(upstream.address());
  }

  @Test
  void aQuerysSocketIsClosedByItsReplyAndByItsTimeout() throws Exception {
    for (int i = 0; i < 100; i++) {
      upstream.answer("n" + i + ".example.", Type.A, rr("n" + i + ".example. 300 IN A 192.0.2.1"));
    }
    upstream.otherwise((q, via) -> List.of()); // every other name: no answer, ever
    // the silent names' timeouts may mark the server down: its ". NS" probes are answered, so that
    // no probe's socket is left waiting while the count is taken
    upstream.answer(".", Type.NS);
    startAgent(longTimeout());
    client.udp("n0.example.", Type.A);
    int before = openFiles();

    for (int i = 1; i < 100; i++) {
      client.udp("n" + i + ".example.", Type.A);
    }
    askWithoutWaiting("silent");
    eventually("the silent names reached the upstream", () -> upstream.received().size() >= 120);
    int waiting = openFiles();
    assertTrue(waiting >= before + SILENT, before + " open files, " + waiting + " while waiting");
    eventually(
        "every socket closed, " + before + " open files before", () -> openFiles() <= before);
  }

  @Test
  void stoppingTheAgentClosesTheSocketsOfQueriesInFlight() throws Exception {
    upstream.answer("warm.example.", Type.A, rr("warm.example. 300 IN A 192.0.2.1"));
    upstream.otherwise((q, via) -> List.of());
    // a first agent, started and stopped, so that every file the JVM keeps open is open already
    startAgent(longTimeout());
    client.udp("warm.example.", Type.A);
    askWithoutWaiting("first");
    eventually(
        "the first agent's names reached the upstream", () -> upstream.received().size() > SILENT);
    agent.close();
    agent = null;
    int before = openFiles();

    startAgent(longTimeout());
    askWithoutWaiting("second");
    eventually(
        "the second agent's names reached the upstream",
        () -> upstream.received().size() > 2 * SILENT);
    assertTrue(openFiles() >= before + SILENT, "the queries' sockets are open");
    agent.close();
    agent = null;
    eventually(
        "every socket closed, " + before + " open files before", () -> openFiles() <= before);
  }

  @Test
  void anIpv6UpstreamIsAskedFromAnIpv6Socket() throws Exception {
    try (DatagramSocket v6 = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      Thread server = new Thread(() -> answerOnce(v6), "upstream-v6");
      server.setDaemon(true);
      server.start();
      startAgent(
          """
          {"upstreams": [{"zones": ["."], "servers": ["[::1]:%d"], "transport": "udp"}]}"""
              .formatted(v6.getLocalPort()));
      Message answer = client.udp("v6.example.", Type.A);
      assertEquals(Rcode.NOERROR, answer.getRcode(), answer.toString());
      assertEquals("192.0.2.6", answers(answer).get(0).rdataToString());
    }
  }

  private static void answerOnce(DatagramSocket s) {
    try {
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      s.receive(p);
      Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
      byte[] reply = Replies.answer(q, rr("v6.example. 300 IN A 192.0.2.6")).toWire();
      s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
    } catch (IOException e) {
      // the test sees no answer
    }
  }

  /** {@link #SILENT} names that the upstream leaves unanswered, sent at once. */
  private void askWithoutWaiting(String prefix) throws IOException {
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      for (int i = 0; i < SILENT; i++) {
        byte[] q = TestClient.query(prefix + i + ".example.", Type.A).toWire();
        s.send(new DatagramPacket(q, q.length, agent.address()));
      }
    }
  }

  private static int openFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
