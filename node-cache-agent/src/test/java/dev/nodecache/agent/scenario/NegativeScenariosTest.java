package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.testing.Replies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 2308 negative caching, and SERVFAIL caching. */
class NegativeScenariosTest extends ScenarioTest {
  /** SOA TTL 3600, MINIMUM 60: negative answers live min(3600, 60) = 60s. */
  static final Record SOA =
      rr("example. 3600 IN SOA ns.example. admin.example. 1 7200 900 1209600 60");

  @Test
  void nxdomainIsCachedForTheWholeNameForMinOfSoaTtlAndMinimum() throws Exception {
    upstream.on("gone.example.", Type.A, (q, via) -> List.of(send(Replies.nxdomain(q, SOA))));
    startAgent();

    Message first = client.udp("gone.example.", Type.A);
    assertEquals(Rcode.NXDOMAIN, first.getRcode());
    assertEquals(60, first.getSection(Section.AUTHORITY).get(0).getTTL());

    clock.advanceSeconds(20);
    Message aaaa = client.udp("gone.example.", Type.AAAA); // another type: same NXDOMAIN
    assertEquals(Rcode.NXDOMAIN, aaaa.getRcode());
    assertEquals(Type.AAAA, aaaa.getQuestion().getType());
    assertEquals(40, aaaa.getSection(Section.AUTHORITY).get(0).getTTL());
    assertEquals(0, upstream.count("gone.example.", Type.AAAA));

    clock.advanceSeconds(40);
    client.udp("gone.example.", Type.A);
    assertEquals(2, upstream.count("gone.example.", Type.A));
  }

  @Test
  void nodataIsCachedForThatTypeOnly() throws Exception {
    upstream.on("v4only.example.", Type.AAAA, (q, via) -> List.of(send(Replies.nodata(q, SOA))));
    upstream.answer("v4only.example.", Type.A, rr("v4only.example. 300 IN A 192.0.2.1"));
    startAgent();

    Message nodata = client.udp("v4only.example.", Type.AAAA);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertEquals(0, answers(nodata).size());
    client.udp("v4only.example.", Type.AAAA);
    assertEquals(1, upstream.count("v4only.example.", Type.AAAA));

    assertTtls(client.udp("v4only.example.", Type.A), 300); // A still asked and answered
    assertEquals(1, upstream.count("v4only.example.", Type.A));
  }

  @Test
  void soaTtlBelowMinimumWins() throws Exception {
    Record soa = rr("example. 15 IN SOA ns.example. admin.example. 1 7200 900 1209600 600");
    upstream.on("x.example.", Type.A, (q, via) -> List.of(send(Replies.nxdomain(q, soa))));
    startAgent();

    assertEquals(
        15, client.udp("x.example.", Type.A).getSection(Section.AUTHORITY).get(0).getTTL());
    clock.advanceSeconds(15);
    client.udp("x.example.", Type.A);
    assertEquals(2, upstream.count("x.example.", Type.A));
  }

  @Test
  void negativeTtlIsCappedByNegativeMaxTtl() throws Exception {
    Record soa = rr("example. 86400 IN SOA ns.example. admin.example. 1 7200 900 1209600 86400");
    upstream.on("x.example.", Type.A, (q, via) -> List.of(send(Replies.nxdomain(q, soa))));
    startAgent(
        """
        {"cache": {"negative": {"maxTtl": "5s"}}}""");

    assertEquals(5, client.udp("x.example.", Type.A).getSection(Section.AUTHORITY).get(0).getTTL());
    clock.advanceSeconds(5);
    client.udp("x.example.", Type.A);
    assertEquals(2, upstream.count("x.example.", Type.A));
  }

  @Test
  void aNegativeAnswerWithoutSoaIsNotCached() throws Exception {
    upstream.on(
        "nosoa.example.", Type.A, (q, via) -> List.of(send(Replies.rcode(q, Rcode.NXDOMAIN))));
    startAgent();

    assertEquals(Rcode.NXDOMAIN, client.udp("nosoa.example.", Type.A).getRcode());
    assertEquals(Rcode.NXDOMAIN, client.udp("nosoa.example.", Type.A).getRcode());
    assertEquals(2, upstream.count("nosoa.example.", Type.A));
  }

  @Test
  void nxdomainAtTheEndOfACnameChainIsCachedForTheQuestionOnly() throws Exception {
    upstream.on(
        "alias.example.",
        Type.A,
        (q, via) -> {
          Message m = Replies.nxdomain(q, SOA);
          m.addRecord(rr("alias.example. 300 IN CNAME missing.example."), Section.ANSWER);
          return List.of(send(m));
        });
    upstream.answer("alias.example.", Type.TXT, rr("alias.example. 300 IN CNAME other.example."));
    startAgent();

    Message m = client.udp("alias.example.", Type.A);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertEquals(1, answers(m).size());
    client.udp("alias.example.", Type.TXT); // the alias itself exists: not name-wide
    assertEquals(1, upstream.count("alias.example.", Type.TXT));
  }

  @Test
  void servfailIsCachedForServfailTtl() throws Exception {
    upstream.on(
        "broken.example.", Type.A, (q, via) -> List.of(send(Replies.rcode(q, Rcode.SERVFAIL))));
    startAgent(
        """
        {"cache": {"servfailTtl": "5s"}}""");

    assertEquals(Rcode.SERVFAIL, client.udp("broken.example.", Type.A).getRcode());
    clock.advanceSeconds(4);
    assertEquals(Rcode.SERVFAIL, client.udp("broken.example.", Type.A).getRcode());
    assertEquals(1, upstream.count("broken.example.", Type.A));
    clock.advanceSeconds(1);
    client.udp("broken.example.", Type.A);
    assertEquals(2, upstream.count("broken.example.", Type.A));
  }

  @Test
  void servfailTtlZeroDisablesServfailCaching() throws Exception {
    upstream.on(
        "broken.example.", Type.A, (q, via) -> List.of(send(Replies.rcode(q, Rcode.SERVFAIL))));
    startAgent(
        """
        {"cache": {"servfailTtl": "0s"}}""");

    client.udp("broken.example.", Type.A);
    client.udp("broken.example.", Type.A);
    assertEquals(2, upstream.count("broken.example.", Type.A));
  }

  @Test
  void refusedIsPassedOnAndNotCached() throws Exception {
    startAgent(); // nothing scripted: the upstream refuses
    assertEquals(Rcode.REFUSED, client.udp("unknown.example.", Type.A).getRcode());
    assertEquals(Rcode.REFUSED, client.udp("unknown.example.", Type.A).getRcode());
    assertEquals(2, upstream.count("unknown.example.", Type.A));
  }
}
