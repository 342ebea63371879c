package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Meta and obsolete question types get the agent's own, defined answer and are never forwarded; the
 * types that are forwarded are cached for their own (name, type) only.
 */
class QueryTypeScenariosTest extends ScenarioTest {
  static final Record SOA = NegativeScenariosTest.SOA;

  @Test
  void typeZeroIsFormerrAndLeavesEveryOtherTypeOfTheNameAlone() throws Exception {
    // An upstream that answers TYPE0 with NODATA: cached as "every type", this was a DoS.
    upstream.on("victim.example.", 0, (q, via) -> List.of(send(Replies.nodata(q, SOA))));
    upstream.answer("victim.example.", Type.A, rr("victim.example. 300 IN A 192.0.2.1"));
    upstream.answer("victim.example.", Type.AAAA, rr("victim.example. 300 IN AAAA 2001:db8::1"));
    upstream.answer("victim.example.", Type.TXT, rr("victim.example. 300 IN TXT \"hello\""));
    startAgent();

    Message zero = client.udp("victim.example.", 0);
    for (int type : new int[] {Type.A, Type.AAAA, Type.TXT}) {
      Message m = client.udp("victim.example.", type);
      assertEquals(Rcode.NOERROR, m.getRcode(), Type.string(type));
      assertEquals(1, answers(m).size(), "answered from the upstream, not NODATA: " + m);
      assertEquals(type, answers(m).get(0).getType());
      assertEquals(1, upstream.count("victim.example.", type), Type.string(type));
    }
    assertEquals(Rcode.FORMERR, zero.getRcode()); // RFC 6895 §3.1: type 0 is reserved
    assertEquals(0, zero.getQuestion().getType());
    assertEquals(0, upstream.count("victim.example.", 0));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
    "TYPE0, 0, FORMERR", // RFC 6895 §3.1: reserved
    "OPT, 41, FORMERR", // RFC 6891 §6.1.1: a pseudo-RR
    "TYPE128, 128, FORMERR", // RFC 6895 §3.1: unassigned QTYPE/meta-TYPE range
    "TYPE248, 248, FORMERR",
    "TKEY, 249, NOTIMP", // RFC 2930 §4: no key agreement here
    "TSIG, 250, FORMERR", // RFC 8945: a meta-RR
    "IXFR, 251, REFUSED", // RFC 1995, RFC 1035 §4.1.1: no zone to transfer
    "AXFR, 252, REFUSED", // RFC 5936 §4.2
    "MAILB, 253, NOTIMP", // RFC 1035 §3.2.3: obsolete
    "MAILA, 254, NOTIMP",
  })
  void aMetaTypeGetsItsOwnRcodeWithoutForwarding(String name, int type, String rcode)
      throws Exception {
    upstream.answer("meta.example.", type, rr("meta.example. 300 IN A 192.0.2.1"));
    startAgent();

    Message udp = client.udp("meta.example.", type);
    assertEquals(rcode, Rcode.string(udp.getRcode()), name + " over UDP");
    assertEquals(type, udp.getQuestion().getType());
    assertEquals(0, answers(udp).size());
    Message tcp = client.tcp(TestClient.query("meta.example.", type));
    assertEquals(rcode, Rcode.string(tcp.getRcode()), name + " over TCP");
    assertEquals(0, upstream.received().size(), "nothing forwarded");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ANY, 255", "RRSIG, 46", "NSEC, 47"})
  void anyRrsigAndNsecAreForwardedAndCachedForThemselvesOnly(String name, int type)
      throws Exception {
    upstream.on("signed.example.", type, (q, via) -> List.of(send(Replies.nodata(q, SOA))));
    upstream.answer("signed.example.", Type.A, rr("signed.example. 300 IN A 192.0.2.7"));
    startAgent();

    for (boolean dnssecOk : new boolean[] {false, true}) {
      Message m = client.udp(TestClient.ednsQuery("signed.example.", type, 1232, dnssecOk));
      assertEquals(Rcode.NOERROR, m.getRcode(), name);
      assertEquals(0, answers(m).size());
      assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType());
    }
    client.udp(TestClient.ednsQuery("signed.example.", type, 1232, true));
    assertEquals(2, upstream.count("signed.example.", type), "one per DO bit, then cached");

    for (boolean dnssecOk : new boolean[] {false, true}) {
      Message a = client.udp(TestClient.ednsQuery("signed.example.", Type.A, 1232, dnssecOk));
      assertEquals("192.0.2.7", answers(a).get(0).rdataToString(), name + " poisoned A");
    }
    assertEquals(2, upstream.count("signed.example.", Type.A));
  }

  @Test
  void anAnyAnswerIsNotServedForOtherTypes() throws Exception {
    upstream.answer(
        "any.example.", Type.ANY, rr("any.example. 300 IN HINFO \"RFC8482\" \"\"")); // RFC 8482
    upstream.answer("any.example.", Type.A, rr("any.example. 300 IN A 192.0.2.8"));
    startAgent();

    assertEquals(Type.HINFO, answers(client.udp("any.example.", Type.ANY)).get(0).getType());
    assertEquals(Type.A, answers(client.udp("any.example.", Type.A)).get(0).getType());
    assertEquals(1, upstream.count("any.example.", Type.A));
  }
}
