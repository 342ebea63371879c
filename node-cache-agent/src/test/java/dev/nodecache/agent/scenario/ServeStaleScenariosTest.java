package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 8767 serve-stale. */
class ServeStaleScenariosTest extends ScenarioTest {
  static final String STALE_CONFIG =
      """
      {"cache": {"serveStale": {"enabled": true, "maxStale": "1h", "clientTimeout": "200ms",
                                "answerTtl": "30s"}}}""";

  /** What the upstream does now: answer, or not. */
  final AtomicReference<String> mode = new AtomicReference<>("answer");

  void scriptUpstream() {
    upstream.on(
        "api.example.",
        Type.A,
        (q, via) ->
            switch (mode.get()) {
              case "answer" ->
                  List.of(send(Replies.answer(q, rr("api.example. 60 IN A 192.0.2.1"))));
              case "new" -> List.of(send(Replies.answer(q, rr("api.example. 60 IN A 192.0.2.2"))));
              case "servfail" -> List.of(send(Replies.rcode(q, Rcode.SERVFAIL)));
              default -> List.of(); // silence
            });
  }

  @Test
  void anExpiredAnswerIsServedStaleWhenTheUpstreamIsSilent() throws Exception {
    scriptUpstream();
    startAgent(STALE_CONFIG);
    client.udp("api.example.", Type.A);

    mode.set("silent");
    clock.advanceSeconds(61);
    long start = System.nanoTime();
    Message stale = client.udp(TestClient.ednsQuery("api.example.", Type.A, 1232, false));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(Rcode.NOERROR, stale.getRcode());
    assertTtls(stale, 30);
    assertEquals("192.0.2.1", answers(stale).get(0).rdataToString());
    assertStaleAnswerEde(stale);
    assertTrue(tookMillis >= 150, "served only after clientTimeout, took " + tookMillis + "ms");
    assertEquals(1, agent.agent().metrics().servedStale.sum());
  }

  @Test
  void aServfailFromTheUpstreamIsReplacedByTheStaleAnswerAtOnce() throws Exception {
    scriptUpstream();
    startAgent(STALE_CONFIG);
    client.udp("api.example.", Type.A);

    mode.set("servfail");
    clock.advanceSeconds(120);
    Message stale = client.udp("api.example.", Type.A);
    assertEquals(Rcode.NOERROR, stale.getRcode());
    assertTtls(stale, 30);
    // The failure is remembered (failure recheck): the next client gets the stale answer
    // without another upstream query until servfailTtl has passed.
    int asked = upstream.count("api.example.", Type.A);
    client.udp("api.example.", Type.A);
    assertEquals(asked, upstream.count("api.example.", Type.A));
  }

  @Test
  void aRefreshThatAnswersInTimeWins() throws Exception {
    scriptUpstream();
    startAgent(STALE_CONFIG);
    client.udp("api.example.", Type.A);

    mode.set("new");
    clock.advanceSeconds(61);
    Message fresh = client.udp("api.example.", Type.A);
    assertTtls(fresh, 60);
    assertEquals("192.0.2.2", answers(fresh).get(0).rdataToString());
  }

  @Test
  void theRefreshGoesOnInTheBackgroundAfterTheStaleAnswer() throws Exception {
    scriptUpstream();
    startAgent(STALE_CONFIG);
    client.udp("api.example.", Type.A);

    clock.advanceSeconds(61);
    upstream.on(
        "api.example.",
        Type.A,
        (q, via) ->
            List.of(
                ScriptedUpstream.delayed(
                    350, Replies.answer(q, rr("api.example. 60 IN A 192.0.2.9")))));
    assertEquals("192.0.2.1", answers(client.udp("api.example.", Type.A)).get(0).rdataToString());
    eventually(
        "the late reply is cached",
        () ->
            "192.0.2.9".equals(answers(client.udp("api.example.", Type.A)).get(0).rdataToString()));
  }

  @Test
  void nothingIsServedStaleBeyondMaxStale() throws Exception {
    scriptUpstream();
    startAgent(STALE_CONFIG);
    client.udp("api.example.", Type.A);

    mode.set("silent");
    clock.advanceSeconds(60 + 3600);
    assertEquals(Rcode.SERVFAIL, client.udp("api.example.", Type.A).getRcode());
  }

  @Test
  void withServeStaleOffAnExpiredAnswerIsNotServed() throws Exception {
    scriptUpstream();
    startAgent(
        """
        {"cache": {"serveStale": {"enabled": false}}}""");
    client.udp("api.example.", Type.A);

    mode.set("silent");
    clock.advanceSeconds(61);
    assertEquals(Rcode.SERVFAIL, client.udp("api.example.", Type.A).getRcode());
  }

  static void assertStaleAnswerEde(Message m) {
    OPTRecord opt = m.getOPT();
    assertNotNull(opt, "an OPT record");
    List<EDNSOption> ede = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, ede.size(), "one extended error in " + opt);
    assertEquals(
        ExtendedErrorCodeOption.STALE_ANSWER,
        ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode());
  }
}
