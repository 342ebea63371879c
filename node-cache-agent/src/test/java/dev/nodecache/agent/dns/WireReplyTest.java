package dev.nodecache.agent.dns;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireReplyTest {
  private static Message reply(String name, int type) throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    return m;
  }

  @Test
  void readsEveryRecordWhereItIsNamesComparedThroughPointers() throws Exception {
    Message m = reply("www.Example.", Type.A);
    m.addRecord(rr("WWW.example. 300 IN CNAME web.example."), Section.ANSWER);
    m.addRecord(rr("web.example. 60 IN A 192.0.2.1"), Section.ANSWER);
    m.addRecord(rr("example. 900 IN SOA ns.example. host.example. 1 2 3 4 5"), Section.AUTHORITY);
    m.addRecord(
        rr("example. 900 IN RRSIG SOA 8 1 900 20300101000000 20200101000000 1 example. AAAA"),
        Section.AUTHORITY);
    m.addRecord(rr("ns.example. 60 IN AAAA 2001:db8::1"), Section.ADDITIONAL);
    WireReply r = WireReply.read(m.toWire());

    assertNotNull(r);
    assertEquals(2, r.answerCount());
    assertEquals(2, r.authorityCount());
    assertEquals(Type.CNAME, r.type(0));
    assertEquals(300, r.ttl(0));
    byte[] w = r.wire();
    assertTrue(WireNames.equal(w, r.owner(0), w, DnsWire.HEADER), "WWW.example = www.Example");
    assertTrue(WireNames.equal(w, r.rdata(0), w, r.owner(1)), "the CNAME's target, compressed");
    assertFalse(WireNames.equal(w, r.owner(1), w, DnsWire.HEADER));
    assertTrue(WireNames.below(w, r.owner(1), w, r.owner(2)), "web.example is below example");
    assertFalse(WireNames.below(w, r.owner(2), w, r.owner(2)), "not below itself");
    assertEquals(1, r.dnsClass(1));
    assertEquals(4, r.rdataLength(1));
    assertEquals(5, r.soaMinimum(2));
    assertEquals(Type.SOA, r.typeCovered(3));
    assertEquals(Rcode.NOERROR, r.rcode());
    assertTrue(r.flag(DnsWire.FLAG_QR));
    assertFalse(r.flag(DnsWire.FLAG_TC));
  }

  @Test
  void theRcodeIsExtendedByTheOptRecord() throws Exception {
    Message m = reply("example.", Type.A);
    m.addRecord(new OPTRecord(1232, 1, 0), Section.ADDITIONAL); // upper bits 1: BADVERS
    assertEquals(Rcode.BADVERS, WireReply.read(m.toWire()).rcode());
  }

  @Test
  void refusesWhatIsNotAWellFormedMessage() throws Exception {
    Message m = reply("a.example.", Type.A);
    m.addRecord(rr("a.example. 300 IN A 192.0.2.1"), Section.ANSWER);
    byte[] good = m.toWire();
    int owner = 12 + 11 + 4; // the answer's owner: a pointer to the question
    assertNotNull(WireReply.read(good));

    assertNull(WireReply.read(Arrays.copyOf(good, good.length - 1)), "record past the end");
    assertNull(WireReply.read(Arrays.copyOf(good, 11)), "short header");
    assertNull(WireReply.read(with(good, 5, 0)), "no question");
    assertNull(WireReply.read(with(good, 5, 2)), "two questions");
    assertNull(WireReply.read(with(good, 7, 2)), "more records than there are");
    assertNull(WireReply.read(with(good, owner + 1, owner)), "pointer to itself");
    assertNull(WireReply.read(with(good, owner + 1, owner + 2)), "pointer forwards");
    assertNull(WireReply.read(with(good, owner, 0x40)), "label type 01");
    assertNull(WireReply.read(longer(good, owner + 11)), "an A of five octets");
    assertNull(WireReply.read(with(good, owner + 3, Type.NS)), "an NS whose RDATA is no name");
  }

  @Test
  void aTruncatedReplyNeedsOnlyItsQuestionToBeRead() throws Exception {
    Message m = reply("a.example.", Type.A);
    m.getHeader().setFlag(Flags.TC);
    m.addRecord(rr("a.example. 300 IN A 192.0.2.1"), Section.ANSWER);
    byte[] wire = m.toWire();
    byte[] cut = Arrays.copyOf(wire, wire.length - 6); // the counts still say one answer

    WireReply r = WireReply.read(cut);
    assertNotNull(r);
    assertTrue(r.flag(DnsWire.FLAG_TC));
    assertEquals(0, r.answerCount());
    assertNull(WireReply.read(with(cut, 2, 0x81)), "the same without TC is malformed");
    assertNull(WireReply.read(Arrays.copyOf(wire, 20)), "TC, but the question cut");
  }

  @Test
  void namesLongerThan255OctetsAreRefusedEvenWhenPointersMakeThem() throws Exception {
    // A question of 4 labels of 60 octets (245 with the root), then an owner that puts one more
    // label of 60 in front of a pointer to it: 306 octets.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0, 1, (byte) 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0});
    for (int i = 0; i < 4; i++) {
      b.write(60);
      b.writeBytes("x".repeat(60).getBytes());
    }
    b.writeBytes(new byte[] {0, 0, 1, 0, 1});
    b.write(60);
    b.writeBytes("y".repeat(60).getBytes());
    b.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, 1});
    assertNull(WireReply.read(b.toByteArray()));
  }

  @Test
  void soaAndRrsigMustHoldTheirFieldsOpaqueTypesAnything() throws Exception {
    Message soa = reply("example.", Type.SOA);
    soa.addRecord(rr("example. 900 IN SOA ns.example. host.example. 1 2 3 4 5"), Section.ANSWER);
    byte[] w = soa.toWire();
    int rdlength = WireReply.read(w).rdata(0) - 1; // its low octet
    assertNull(WireReply.read(with(w, rdlength, (w[rdlength] & 0xff) - 1)), "one octet short");
    assertNull(WireReply.read(longer(w, rdlength)), "one octet long");

    Message txt = reply("example.", Type.TXT);
    txt.addRecord(rr("example. 900 IN TXT \"any\""), Section.ANSWER);
    byte[] t = txt.toWire();
    int text = WireReply.read(t).rdata(0);
    assertNotNull(WireReply.read(with(t, text, 200)), "opaque: passed on as it came");
    assertNull(WireReply.read(with(t, text - 9, Type.RRSIG)), "an RRSIG of 4 octets");
  }

  /** The message with one more octet at its end, counted in the RDLENGTH whose low octet is at. */
  private static byte[] longer(byte[] wire, int at) {
    byte[] b = Arrays.copyOf(wire, wire.length + 1);
    b[at]++;
    return b;
  }

  private static byte[] with(byte[] wire, int at, int value) {
    byte[] b = wire.clone();
    b[at] = (byte) value;
    return b;
  }
}
