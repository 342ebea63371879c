package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream.Via;
import dev.nodecache.agent.testing.TestClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** TC and TCP upstream, and client UDP sizes (RFC 1035 §4.2.1, RFC 6891 §6.2.5, RFC 7766). */
class TransportScenariosTest extends ScenarioTest {
  /** 40 A records: about 700 bytes, more than 512. */
  static Record[] big(String name) {
    Record[] rs = new Record[40];
    for (int i = 0; i < rs.length; i++) {
      rs[i] = rr(name + " 300 IN A 192.0.2." + (i + 1));
    }
    return rs;
  }

  void scriptTruncatingUpstream() {
    upstream.on(
        "big.example.",
        Type.A,
        (q, via) ->
            via == Via.UDP
                ? List.of(send(Replies.truncated(q)))
                : List.of(send(Replies.answer(q, big("big.example.")))));
  }

  @Test
  void preferUdpRetriesATruncatedReplyOverTcp() throws Exception {
    scriptTruncatingUpstream();
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp"}]}"""
            .formatted(upstream.address()));

    Message m = client.tcp(TestClient.query("big.example.", Type.A));
    assertEquals(40, answers(m).size());
    assertEquals(1, upstream.count("big.example.", Type.A, Via.UDP));
    assertEquals(1, upstream.count("big.example.", Type.A, Via.TCP));
  }

  @Test
  void aTruncatedReplyCutInTheMiddleOfARecordIsRetriedOverTcpToo() throws Exception {
    upstream.on(
        "big.example.",
        Type.A,
        (q, via) -> {
          if (via == Via.TCP) {
            return List.of(send(Replies.answer(q, big("big.example."))));
          }
          Message tc = Replies.answer(q, big("big.example."));
          tc.getHeader().setFlag(Flags.TC);
          byte[] wire = tc.toWire();
          return List.of(send(Arrays.copyOf(wire, 500))); // cut at 500, the counts say 40
        });
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp"}]}"""
            .formatted(upstream.address()));

    assertEquals(40, answers(client.tcp(TestClient.query("big.example.", Type.A))).size());
    assertEquals(1, upstream.count("big.example.", Type.A, Via.TCP));
  }

  @Test
  void tcpTransportNeverUsesUdp() throws Exception {
    scriptTruncatingUpstream();
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "tcp"}]}"""
            .formatted(upstream.address()));

    assertEquals(40, answers(client.tcp(TestClient.query("big.example.", Type.A))).size());
    assertEquals(0, upstream.count("big.example.", Type.A, Via.UDP));
  }

  @Test
  void udpTransportPassesTruncationOnAndDoesNotCacheIt() throws Exception {
    scriptTruncatingUpstream();
    startAgent(); // transport udp

    Message m = client.udp("big.example.", Type.A);
    assertTrue(m.getHeader().getFlag(Flags.TC));
    client.udp("big.example.", Type.A);
    assertEquals(2, upstream.count("big.example.", Type.A, Via.UDP));
  }

  @Test
  void aClientWithoutEdnsGetsTcSetWhenTheAnswerExceeds512Bytes() throws Exception {
    upstream.answer("big.example.", Type.A, big("big.example."));
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp"}]}"""
            .formatted(upstream.address()));

    Message plain = client.udp("big.example.", Type.A);
    assertTrue(plain.getHeader().getFlag(Flags.TC));
    assertEquals(0, answers(plain).size());

    Message edns = client.udp(TestClient.ednsQuery("big.example.", Type.A, 4096, false));
    assertFalse(edns.getHeader().getFlag(Flags.TC));
    assertEquals(40, answers(edns).size());

    Message small = client.udp(TestClient.ednsQuery("big.example.", Type.A, 600, false));
    assertTrue(small.getHeader().getFlag(Flags.TC)); // 600 is honoured too

    Message tcp = client.tcp(TestClient.query("big.example.", Type.A));
    assertEquals(40, answers(tcp).size());
    assertEquals(1, upstream.count("big.example.", Type.A)); // one entry served four ways
  }

  @Test
  void severalQueriesOnOneTcpConnectionAreAllAnswered() throws Exception {
    for (int i = 0; i < 5; i++) {
      upstream.answer(
          "t" + i + ".example.", Type.A, rr("t" + i + ".example. 300 IN A 192.0.2." + (i + 1)));
    }
    startAgent();
    try (java.net.Socket s =
        new java.net.Socket(agent.address().getAddress(), agent.address().getPort())) {
      s.setSoTimeout(3000);
      var out = new java.io.DataOutputStream(s.getOutputStream());
      for (int i = 0; i < 5; i++) { // pipelined: all written before any reply is read
        byte[] q = TestClient.query("t" + i + ".example.", Type.A).toWire();
        out.writeShort(q.length);
        out.write(q);
      }
      out.flush();
      var in = new java.io.DataInputStream(s.getInputStream());
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < 5; i++) {
        byte[] r = new byte[in.readUnsignedShort()];
        in.readFully(r);
        names.add(TestClient.parse(r).getQuestion().getName().toString());
      }
      assertEquals(5, names.size());
    }
  }

  @Test
  void anIdleTcpConnectionIsClosed() throws Exception {
    startAgent(
        """
        {"listen": {"tcpIdleTimeout": "200ms"}}""");
    try (java.net.Socket s =
        new java.net.Socket(agent.address().getAddress(), agent.address().getPort())) {
      s.setSoTimeout(3000);
      assertEquals(-1, s.getInputStream().read(), "closed by the agent");
    }
  }

  @Test
  void tcpConnectionsBeyondTheLimitAreRefused() throws Exception {
    startAgent(
        """
        {"listen": {"maxTcpConnections": 2}}""");
    java.net.Socket[] held = new java.net.Socket[2];
    try {
      for (int i = 0; i < 2; i++) {
        held[i] = new java.net.Socket(agent.address().getAddress(), agent.address().getPort());
      }
      eventually("two connections counted", () -> agent.agent().server().tcpConnections() == 2);
      try (java.net.Socket third =
          new java.net.Socket(agent.address().getAddress(), agent.address().getPort())) {
        third.setSoTimeout(3000);
        assertEquals(-1, third.getInputStream().read(), "third connection closed");
      }
      assertEquals(1, agent.agent().metrics().droppedCount("tcp_connection_limit"));
    } finally {
      for (java.net.Socket s : held) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  @Test
  void ipv4AndIpv6ListenAddressesBothAnswer() throws Exception {
    upstream.answer("dual.example.", Type.AAAA, rr("dual.example. 300 IN AAAA 2001:db8::1"));
    startAgent(
        """
        {"listen": {"addresses": ["%s", "::1"]}}"""
            .formatted(AGENT_IP));
    TestClient v6 =
        new TestClient(new java.net.InetSocketAddress("::1", agent.address().getPort()));
    assertEquals(
        "2001:db8:0:0:0:0:0:1", answers(v6.udp("dual.example.", Type.AAAA)).get(0).rdataToString());
    assertEquals(
        "2001:db8:0:0:0:0:0:1",
        answers(v6.tcp(TestClient.query("dual.example.", Type.AAAA))).get(0).rdataToString());
    assertEquals(
        "2001:db8:0:0:0:0:0:1",
        answers(client.udp("dual.example.", Type.AAAA)).get(0).rdataToString());
    assertEquals(1, upstream.count("dual.example.", Type.AAAA));
  }
}
