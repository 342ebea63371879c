package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.TestClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
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

  /** Error replies and the query each answers, built without and then with an OPT record. */
  static Stream<Arguments> errorReplies() {
    return Stream.of(
        Arguments.of("IQUERY", opcode(plain(Type.A), Opcode.IQUERY), Rcode.NOTIMP),
        Arguments.of("IQUERY without question", opcode(noQuestion(), Opcode.IQUERY), Rcode.NOTIMP),
        Arguments.of("STATUS", opcode(plain(Type.A), Opcode.STATUS), Rcode.NOTIMP),
        Arguments.of("NOTIFY", opcode(plain(Type.SOA), Opcode.NOTIFY), Rcode.NOTIMP),
        Arguments.of("UPDATE", opcode(plain(Type.SOA), Opcode.UPDATE), Rcode.NOTIMP),
        Arguments.of("no question", noQuestion(), Rcode.FORMERR),
        Arguments.of("TYPE0", plain(0), Rcode.FORMERR),
        Arguments.of("OPT question", plain(Type.OPT), Rcode.FORMERR),
        Arguments.of("TSIG question", plain(Type.TSIG), Rcode.FORMERR),
        Arguments.of("TKEY question", plain(Type.TKEY), Rcode.NOTIMP),
        Arguments.of("AXFR", plain(Type.AXFR), Rcode.REFUSED),
        Arguments.of("IXFR", plain(Type.IXFR), Rcode.REFUSED),
        Arguments.of("MAILA", plain(Type.MAILA), Rcode.NOTIMP),
        Arguments.of("MAILB", plain(Type.MAILB), Rcode.NOTIMP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorReplies")
  void anErrorReplyHasAnOptExactlyWhenTheQueryHadOne(String what, byte[] query, int rcode) {
    Message without = TestClient.parse(client.udpRaw(query, 2000));
    assertEquals(rcode, without.getRcode(), what);
    assertEquals(0, optCount(without), "no OPT asked, none sent: " + without);
    assertEquals(0, without.getSection(Section.ADDITIONAL).size());

    for (boolean dnssecOk : new boolean[] {false, true}) {
      Message with = TestClient.parse(client.udpRaw(withOpt(query, 0, dnssecOk), 2000));
      assertEquals(rcode, with.getRcode(), what);
      assertEquals(1, optCount(with), "RFC 6891 §7: " + with);
      assertEquals(1232, with.getOPT().getPayloadSize());
      assertEquals(dnssecOk, (with.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO copied");
    }
    assertOkStillAnswered();
  }

  @Test
  void aBrokenOptGetsFormerrWithOneOpt() {
    byte[] twoOpts = withOpt(withOpt(plain(Type.A), 0, false), 0, false);
    byte[] nonRoot = withRecord(plain(Type.A), new byte[] {1, 'x', 0}, Type.OPT, 0, false);
    for (byte[] q : List.of(twoOpts, nonRoot)) {
      Message m = TestClient.parse(client.udpRaw(q, 2000));
      assertEquals(Rcode.FORMERR, m.getRcode());
      assertEquals(1, optCount(m), m.toString());
      assertEquals(Type.A, m.getQuestion().getType(), "the question is echoed");
    }
    assertEquals(0, upstream.count("ok.example.", Type.A));
  }

  @Test
  void badversCopiesTheDoBit() {
    Message m = TestClient.parse(client.udpRaw(withOpt(plain(Type.A), 1, true), 2000));
    assertEquals(Rcode.BADVERS, m.getRcode());
    assertEquals(1, optCount(m));
    assertTrue((m.getOPT().getFlags() & ExtendedFlags.DO) != 0);
  }

  static byte[] plain(int type) {
    return TestClient.query("ok.example.", type).toWire();
  }

  static byte[] noQuestion() {
    byte[] q = new byte[12];
    q[0] = 0x12;
    q[1] = 0x34;
    q[2] = 0x01; // RD
    return q;
  }

  static byte[] opcode(byte[] q, int opcode) {
    q[2] = (byte) ((q[2] & 0x87) | (opcode << 3));
    return q;
  }

  static byte[] withOpt(byte[] q, int version, boolean dnssecOk) {
    return withRecord(q, new byte[] {0}, Type.OPT, version, dnssecOk);
  }

  /** {@code q} with one more additional record: an empty OPT-shaped record owned by owner. */
  static byte[] withRecord(byte[] q, byte[] owner, int type, int version, boolean dnssecOk) {
    byte[] out = Arrays.copyOf(q, q.length + owner.length + 10);
    System.arraycopy(owner, 0, out, q.length, owner.length);
    int at = q.length + owner.length;
    out[at] = (byte) (type >> 8);
    out[at + 1] = (byte) type;
    out[at + 2] = 0x10; // UDP size 4096
    out[at + 5] = (byte) version;
    out[at + 6] = (byte) (dnssecOk ? 0x80 : 0);
    int arcount = ((out[10] & 0xff) << 8 | (out[11] & 0xff)) + 1;
    out[10] = (byte) (arcount >> 8);
    out[11] = (byte) arcount;
    return out;
  }

  static long optCount(Message m) {
    List<Record> additional = m.getSection(Section.ADDITIONAL);
    return additional.stream().filter(r -> r.getType() == Type.OPT).count();
  }

  void assertOkStillAnswered() {
    assertEquals("192.0.2.1", answers(client.udp("ok.example.", Type.A)).get(0).rdataToString());
  }
}
