package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nodecache.agent.testing.TestClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Bad queries: FORMERR where the header can be read, dropped and counted otherwise. */
class MalformedQueryScenariosTest extends ScenarioTest {

  @BeforeEach
  void start() throws Exception {
    upstream.answer("ok.example.", Type.A, rr("ok.example. 300 IN A 192.0.2.1"));
    startAgent();
  }

  @Test
  void aShortPacketIsDroppedAndCounted() {
    assertNull(client.udpRaw(new byte[] {1, 2, 3}, 300));
    assertEquals(1, agent.agent().metrics().droppedCount("short"));
    assertOkStillAnswered();
  }

  @Test
  void twoQuestionsGetFormerr() {
    byte[] q = TestClient.query("ok.example.", Type.A).toWire();
    q[5] = 2; // QDCOUNT 2, with only one question present
    Message m = TestClient.parse(client.udpRaw(q, 2000));
    assertEquals(Rcode.FORMERR, m.getRcode());
    assertOkStillAnswered();
  }

  @Test
  void aTruncatedNameGetsFormerrWithTheClientsId() {
    byte[] q = TestClient.query("ok.example.", Type.A).toWire();
    byte[] cut = java.util.Arrays.copyOf(q, 16);
    byte[] reply = client.udpRaw(cut, 2000);
    assertEquals(Rcode.FORMERR, reply[3] & 0xf);
    assertEquals(q[0], reply[0]);
    assertEquals(q[1], reply[1]);
  }

  @Test
  void anotherOpcodeGetsNotimp() {
    Message q = TestClient.query("ok.example.", Type.A);
    q.getHeader().setOpcode(Opcode.NOTIFY);
    assertEquals(Rcode.NOTIMP, client.udp(q).getRcode());
  }

  @Test
  void aResponseSentToTheAgentIsDropped() {
    byte[] q = TestClient.query("ok.example.", Type.A).toWire();
    q[2] |= (byte) 0x80; // QR: a response, not a query
    assertNull(client.udpRaw(q, 300));
    assertEquals(1, agent.agent().metrics().droppedCount("not_a_query"));
  }

  @Test
  void anUnknownEdnsVersionGetsBadvers() {
    Message q = TestClient.query("ok.example.", Type.A);
    q.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 1, 0), org.xbill.DNS.Section.ADDITIONAL);
    Message m = client.udp(q);
    assertEquals(Rcode.BADVERS, m.getRcode());
  }

  @Test
  void aLabelPointerInTheQuestionGetsFormerr() {
    byte[] q = TestClient.query("ok.example.", Type.A).toWire();
    q[12] = (byte) 0xc0; // compression pointer where the name starts
    q[13] = 12;
    assertEquals(Rcode.FORMERR, client.udpRaw(q, 2000)[3] & 0xf);
  }

  @Test
  void garbageOverTcpClosesOnlyThatConnection() throws Exception {
    try (Socket s = new Socket(agent.address().getAddress(), agent.address().getPort())) {
      s.setSoTimeout(2000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(3);
      out.write(new byte[] {9, 9, 9}); // a frame too short for a header: dropped
      byte[] q = TestClient.query("ok.example.", Type.A).toWire();
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] r = new byte[in.readUnsignedShort()];
      in.readFully(r);
      assertEquals(Rcode.NOERROR, TestClient.parse(r).getRcode());
    }
    assertOkStillAnswered();
  }

  void assertOkStillAnswered() {
    assertEquals("192.0.2.1", answers(client.udp("ok.example.", Type.A)).get(0).rdataToString());
  }
}
