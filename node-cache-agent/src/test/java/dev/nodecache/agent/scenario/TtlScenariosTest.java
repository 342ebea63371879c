package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class TtlScenariosTest extends ScenarioTest {

  @Test
  void servedTtlCountsDownAndTheUpstreamIsAskedOnce() throws Exception {
    upstream.answer("a.example.", Type.A, rr("a.example. 300 IN A 192.0.2.1"));
    startAgent();

    assertTtls(client.udp("a.example.", Type.A), 300);
    clock.advanceSeconds(100);
    assertTtls(client.udp("a.example.", Type.A), 200);
    clock.advanceSeconds(199);
    assertTtls(client.udp("a.example.", Type.A), 1);
    assertEquals(1, upstream.count("a.example.", Type.A));

    clock.advanceSeconds(1); // expired: asked again, full TTL again
    assertTtls(client.udp("a.example.", Type.A), 300);
    assertEquals(2, upstream.count("a.example.", Type.A));
  }

  @Test
  void ttlsAreClampedToMinAndMaxTtl() throws Exception {
    upstream.answer("long.example.", Type.A, rr("long.example. 86400 IN A 192.0.2.1"));
    upstream.answer("short.example.", Type.A, rr("short.example. 2 IN A 192.0.2.2"));
    startAgent(
        """
        {"cache": {"minTtl": "10s", "maxTtl": "1h"}}""");

    assertTtls(client.udp("long.example.", Type.A), 3600);
    assertTtls(client.udp("short.example.", Type.A), 10);
    clock.advanceSeconds(9);
    assertTtls(client.udp("short.example.", Type.A), 1);
    assertEquals(1, upstream.count("short.example.", Type.A)); // kept for minTtl, not 2s
  }

  @Test
  void aChainExpiresWithItsShortestRecordAndEachRecordCountsDownFromItsOwnTtl() throws Exception {
    upstream.answer(
        "www.example.",
        Type.A,
        rr("www.example. 600 IN CNAME web.example."),
        rr("web.example. 60 IN A 192.0.2.3"));
    startAgent();

    assertTtls(client.udp("www.example.", Type.A), 600, 60);
    clock.advanceSeconds(30);
    assertTtls(client.udp("www.example.", Type.A), 570, 30);
    clock.advanceSeconds(30);
    client.udp("www.example.", Type.A);
    assertEquals(2, upstream.count("www.example.", Type.A));
  }

  @Test
  void theQuestionCaseOfEachClientIsPreserved() throws Exception {
    upstream.answer("mixed.example.", Type.A, rr("mixed.example. 300 IN A 192.0.2.4"));
    startAgent();

    client.udp("mixed.example.", Type.A);
    Message upper = client.udp("MiXeD.ExAmPlE.", Type.A);
    assertEquals("MiXeD.ExAmPlE.", upper.getQuestion().getName().toString());
    assertEquals("MiXeD.ExAmPlE.", answers(upper).get(0).getName().toString());
    assertEquals(1, upstream.count("mixed.example.", Type.A)); // one cache entry for both
  }

  @Test
  void perZoneOverridesApplyToTheirZoneOnly() throws Exception {
    upstream.answer("svc.cluster.local.", Type.A, rr("svc.cluster.local. 3600 IN A 10.0.0.1"));
    upstream.answer("other.example.", Type.A, rr("other.example. 3600 IN A 192.0.2.5"));
    startAgent(
        """
        {"cache": {"maxTtl": "1h", "zones": [{"zones": ["cluster.local"], "maxTtl": "30s"}]}}""");

    assertTtls(client.udp("svc.cluster.local.", Type.A), 30);
    assertTtls(client.udp("other.example.", Type.A), 3600);
  }

  @Test
  void theDoBitIsPartOfTheKey() throws Exception {
    upstream.answer("signed.example.", Type.A, rr("signed.example. 300 IN A 192.0.2.6"));
    startAgent();

    client.udp(TestClient.ednsQuery("signed.example.", Type.A, 1232, false));
    client.udp(TestClient.ednsQuery("signed.example.", Type.A, 1232, true));
    client.udp(TestClient.ednsQuery("signed.example.", Type.A, 1232, true));
    assertEquals(2, upstream.count("signed.example.", Type.A));
  }

  @Test
  void aZeroTtlAnswerIsPassedOnButNotCached() throws Exception {
    upstream.answer("zero.example.", Type.A, rr("zero.example. 0 IN A 192.0.2.7"));
    startAgent();

    assertTtls(client.udp("zero.example.", Type.A), 0);
    assertTtls(client.udp("zero.example.", Type.A), 0);
    assertEquals(2, upstream.count("zero.example.", Type.A));
  }
}
