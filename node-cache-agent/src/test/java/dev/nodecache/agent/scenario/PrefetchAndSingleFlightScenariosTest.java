package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class PrefetchAndSingleFlightScenariosTest extends ScenarioTest {

  @Test
  void aPopularAnswerIsRefreshedInTheBackgroundBeforeItExpires() throws Exception {
    upstream.answer("hot.example.", Type.A, rr("hot.example. 100 IN A 192.0.2.1"));
    startAgent(
        """
        {"cache": {"prefetch": {"enabled": true, "minHits": 3, "remainingPercent": 10}}}""");

    for (int i = 0; i < 3; i++) {
      client.udp("hot.example.", Type.A);
    }
    assertEquals(1, upstream.count("hot.example.", Type.A));
    clock.advanceSeconds(91); // 9% of the TTL left
    assertTtls(client.udp("hot.example.", Type.A), 9); // served from cache right away
    eventually("a prefetch query", () -> upstream.count("hot.example.", Type.A) == 2);
    eventually(
        "the refreshed answer",
        () -> answers(client.udp("hot.example.", Type.A)).get(0).getTTL() == 100);
    assertEquals(1, agent.agent().metrics().prefetches.sum());
  }

  @Test
  void anUnpopularAnswerIsNotPrefetched() throws Exception {
    upstream.answer("cold.example.", Type.A, rr("cold.example. 100 IN A 192.0.2.1"));
    startAgent(
        """
        {"cache": {"prefetch": {"enabled": true, "minHits": 5, "remainingPercent": 10}}}""");

    client.udp("cold.example.", Type.A);
    clock.advanceSeconds(95);
    client.udp("cold.example.", Type.A);
    Thread.sleep(200);
    assertEquals(1, upstream.count("cold.example.", Type.A));
  }

  @Test
  void concurrentMissesForOneKeyMakeOneUpstreamQuery() throws Exception {
    upstream.on(
        "slow.example.",
        Type.A,
        (q, via) ->
            List.of(
                ScriptedUpstream.delayed(
                    300, Replies.answer(q, rr("slow.example. 300 IN A 192.0.2.1")))));
    startAgent();

    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Message>> replies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        replies.add(pool.submit(() -> client.udp("slow.example.", Type.A)));
      }
      for (Future<Message> f : replies) {
        assertEquals("192.0.2.1", answers(f.get()).get(0).rdataToString());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, upstream.count("slow.example.", Type.A));
  }
}
