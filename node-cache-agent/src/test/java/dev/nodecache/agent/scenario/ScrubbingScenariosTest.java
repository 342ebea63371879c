package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Only the answer chain of the question is kept (and served); the rest is scrubbed. */
class ScrubbingScenariosTest extends ScenarioTest {

  @Test
  void recordsOutsideTheAnswerChainAreScrubbed() throws Exception {
    upstream.on(
        "www.example.",
        Type.A,
        (q, via) -> {
          Message m =
              Replies.answer(
                  q,
                  rr("www.example. 300 IN CNAME cdn.example.net."),
                  rr("cdn.example.net. 60 IN A 192.0.2.10"),
                  rr("victim.example.org. 86400 IN A 203.0.113.66"), // out of the chain: poison
                  rr("www.example. 300 IN TXT \"not asked\""));
          m.addRecord(rr("example. 86400 IN NS ns.evil.example."), Section.AUTHORITY);
          m.addRecord(rr("ns.evil.example. 86400 IN A 203.0.113.67"), Section.ADDITIONAL);
          return List.of(send(m));
        });
    upstream.answer("victim.example.org.", Type.A, rr("victim.example.org. 300 IN A 192.0.2.99"));
    startAgent();

    Message m = client.udp("www.example.", Type.A);
    assertEquals(
        List.of("www.example.", "cdn.example.net."),
        answers(m).stream().map(r -> r.getName().toString()).toList());
    assertEquals(0, m.getSection(Section.AUTHORITY).size());
    assertEquals(0, m.getSection(Section.ADDITIONAL).size());

    // The poisoned record was not cached: the victim name is asked upstream and answered truly.
    assertEquals(
        "192.0.2.99", answers(client.udp("victim.example.org.", Type.A)).get(0).rdataToString());
  }

  @Test
  void aLongCnameChainIsFollowed() throws Exception {
    upstream.answer(
        "a.example.",
        Type.AAAA,
        rr("a.example. 300 IN CNAME b.example."),
        rr("b.example. 300 IN CNAME c.example."),
        rr("c.example. 300 IN AAAA 2001:db8::1"));
    startAgent();
    assertEquals(3, answers(client.udp("a.example.", Type.AAAA)).size());
  }

  @Test
  void signaturesOfTheChainAreKeptForDnssecClients() throws Exception {
    Record sig =
        rr(
            "s.example. 300 IN RRSIG A 13 2 300 20300101000000 20200101000000 12345 example. "
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    Record foreignSig =
        rr(
            "x.example. 300 IN RRSIG A 13 2 300 20300101000000 20200101000000 1 "
                + "example. AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    upstream.answer("s.example.", Type.A, rr("s.example. 300 IN A 192.0.2.1"), sig, foreignSig);
    startAgent();

    Message m = client.udp(TestClient.ednsQuery("s.example.", Type.A, 1232, true));
    List<Record> records = answers(m);
    assertEquals(2, records.size(), m.toString());
    assertEquals(Type.RRSIG, records.get(1).getType());
    assertEquals(300, records.get(1).getTTL());
  }
}
