package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CNAME chains in one upstream reply: passed complete up to the limit (16 CNAMEs), SERVFAIL beyond
 * it and for loops, never an answer silently cut short; a chain the upstream left partial is its
 * business and passed on as it is.
 */
class CnameChainScenariosTest extends ScenarioTest {

  /** {@code cnames} CNAMEs c0 -> c1 -> ... and the A record at the end when {@code complete}. */
  static Record[] chain(int cnames, boolean complete) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < cnames; i++) {
      out.add(rr("c" + i + ".example. 300 IN CNAME c" + (i + 1) + ".example."));
    }
    if (complete) {
      out.add(rr("c" + cnames + ".example. 300 IN A 192.0.2.53"));
    }
    return out.toArray(Record[]::new);
  }

  @ParameterizedTest(name = "{0} CNAMEs")
  @ValueSource(ints = {1, 10, 15, 16})
  void aChainUpToTheLimitIsPassedComplete(int cnames) throws Exception {
    upstream.answer("c0.example.", Type.A, chain(cnames, true));
    startAgent();

    for (Message m :
        List.of(
            client.udp(TestClient.ednsQuery("c0.example.", Type.A, 4096, false)),
            client.tcp(TestClient.query("c0.example.", Type.A)))) {
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertFalse(m.getHeader().getFlag(Flags.TC));
      List<Record> records = answers(m);
      assertEquals(cnames + 1, records.size(), m.toString());
      assertEquals("192.0.2.53", records.get(cnames).rdataToString());
    }
    assertEquals(1, upstream.count("c0.example.", Type.A), "the complete answer was cached");
  }

  @ParameterizedTest(name = "{0} CNAMEs")
  @ValueSource(ints = {17, 20, 40})
  void aLongerChainIsServfailCachedOnlyForServfailTtl(int cnames) throws Exception {
    upstream.answer("c0.example.", Type.A, chain(cnames, true));
    startAgent(
        """
        {"cache": {"servfailTtl": "5s"}}\
        """);

    Message m = client.udp(TestClient.ednsQuery("c0.example.", Type.A, 4096, false));
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertEquals(0, answers(m).size());
    assertEquals(Rcode.SERVFAIL, client.tcp(TestClient.query("c0.example.", Type.A)).getRcode());
    assertEquals(1, upstream.count("c0.example.", Type.A));
    clock.advanceSeconds(5);
    assertEquals(Rcode.SERVFAIL, client.udp("c0.example.", Type.A).getRcode());
    assertEquals(2, upstream.count("c0.example.", Type.A), "not kept past servfailTtl");
  }

  @Test
  void aLongPartialChainIsServfailToo() throws Exception {
    upstream.answer("c0.example.", Type.A, chain(20, false));
    startAgent();
    assertEquals(Rcode.SERVFAIL, client.udp("c0.example.", Type.A).getRcode());
  }

  @Test
  void aCnameLoopIsServfail() throws Exception {
    upstream.answer(
        "l0.example.",
        Type.A,
        rr("l0.example. 300 IN CNAME l1.example."),
        rr("l1.example. 300 IN CNAME l2.example."),
        rr("l2.example. 300 IN CNAME L0.Example."));
    upstream.answer("self.example.", Type.AAAA, rr("self.example. 300 IN CNAME self.example."));
    startAgent();

    assertEquals(Rcode.SERVFAIL, client.udp("l0.example.", Type.A).getRcode());
    assertEquals(Rcode.SERVFAIL, client.udp("self.example.", Type.AAAA).getRcode());
  }

  @Test
  void aLoopBehindTheAnswerDoesNotMatter() throws Exception {
    // The loop is not on the way from the question to its data: it is scrubbed, not an error.
    upstream.answer(
        "ok.example.",
        Type.A,
        rr("ok.example. 300 IN A 192.0.2.1"),
        rr("x.example. 300 IN CNAME y.example."),
        rr("y.example. 300 IN CNAME x.example."));
    startAgent();

    Message m = client.udp("ok.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(1, answers(m).size());
  }

  @Test
  void aChainTheUpstreamLeftPartialIsPassedOnAsItIs() throws Exception {
    upstream.answer("c0.example.", Type.A, chain(3, false));
    upstream.on(
        "p0.example.",
        Type.A,
        (q, via) -> {
          Message m = Replies.nodata(q, NegativeScenariosTest.SOA);
          for (Record r :
              new Record[] {
                rr("p0.example. 300 IN CNAME p1.example."),
                rr("p1.example. 300 IN CNAME p2.example.")
              }) {
            m.addRecord(r, org.xbill.DNS.Section.ANSWER);
          }
          return List.of(send(m));
        });
    startAgent();

    Message partial = client.udp("c0.example.", Type.A);
    assertEquals(Rcode.NOERROR, partial.getRcode());
    assertEquals(3, answers(partial).size());
    Message nodata = client.udp("p0.example.", Type.A);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertEquals(2, answers(nodata).size());
    client.udp("p0.example.", Type.A);
    assertEquals(1, upstream.count("p0.example.", Type.A), "NODATA at the chain's end cached");
  }
}
