package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.delayed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream.Via;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The upstream group's maxConcurrent: what a node sends at once after a flush, say. */
class UpstreamConcurrencyScenariosTest extends ScenarioTest {
  static final long REPLY_DELAY_MS = 200;

  @Test
  void missesBeyondTheBoundWaitTheirTurnAndAreAllAnswered() throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    upstream.otherwise(
        (q, via) -> {
          arrivals.add(System.nanoTime());
          String name = q.getQuestion().getName().toString();
          return List.of(
              delayed(REPLY_DELAY_MS, Replies.answer(q, rr(name + " 300 IN A 192.0.2.7"))));
        });
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "udp",
                        "timeout": "2s", "maxConcurrent": 3}]}"""
            .formatted(upstream.address()));

    int names = 12;
    ExecutorService pool = Executors.newFixedThreadPool(names);
    try {
      List<Future<Message>> replies = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        String name = "n" + i + ".example.";
        replies.add(pool.submit(() -> client.udp(name, Type.A)));
      }
      for (Future<Message> f : replies) {
        assertEquals("192.0.2.7", answers(f.get()).get(0).rdataToString());
      }
    } finally {
      pool.shutdownNow();
    }
    // A fourth query can only leave when one of three outstanding is answered: any four
    // consecutive arrivals at the upstream span at least one reply delay.
    List<Long> t = new ArrayList<>(arrivals);
    Collections.sort(t);
    assertEquals(names, t.size());
    for (int i = 0; i + 3 < t.size(); i++) {
      long gapMillis = (t.get(i + 3) - t.get(i)) / 1_000_000;
      assertTrue(gapMillis >= REPLY_DELAY_MS - 5, "4 queries within " + gapMillis + " ms");
    }
    assertTrue(agent.agent().metrics().upstreamQueued.sum() >= names - 3);
  }

  @Test
  void aQueryThatGetsNoTurnInTimeIsNeverSentAndItsServfailIsNotCached() throws Exception {
    // "slow." holds the only turn for 800 ms (UDP, truncated) plus the 1 s TCP timeout.
    upstream.on(
        "slow.example.",
        Type.A,
        (q, via) -> via == Via.UDP ? List.of(delayed(800, Replies.truncated(q))) : List.of());
    upstream.answer("next.example.", Type.A, rr("next.example. 300 IN A 192.0.2.8"));
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "prefer-udp",
                        "timeout": "1s", "maxConcurrent": 1}]}"""
            .formatted(upstream.address()));

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Message> slow = pool.submit(() -> client.udp("slow.example.", Type.A));
      eventually("slow. at the upstream", () -> upstream.count("slow.example.", Type.A) == 1);
      // Queued with a deadline 1 s from now; the turn ends about 1.8 s from now.
      Message next = client.udp("next.example.", Type.A);
      assertEquals(Rcode.SERVFAIL, next.getRcode());
      assertEquals(0, upstream.count("next.example.", Type.A), "sent although it got no turn");
      assertEquals(1, agent.agent().metrics().droppedCount("upstream_queue_timeout"));
      slow.get();
    } finally {
      pool.shutdownNow();
    }

    Message again = client.udp("next.example.", Type.A); // not a cached SERVFAIL
    assertEquals("192.0.2.8", answers(again).get(0).rdataToString());
    assertEquals(1, upstream.count("next.example.", Type.A));
  }

  @Test
  void againstASilentServerAMissTheLineCannotServeInTimeIsAnsweredAtOnce() throws Exception {
    upstream.otherwise((q, via) -> List.of()); // the server reads every query and answers none
    startAgent(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "udp",
                        "timeout": "1s", "maxConcurrent": 2}]}"""
            .formatted(upstream.address()));

    int names = 20;
    ExecutorService pool = Executors.newFixedThreadPool(names);
    try {
      // Two timeouts teach the gate that a turn at this server lasts the whole second.
      List<Future<Message>> first = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String name = "t" + i + ".example.";
        first.add(pool.submit(() -> client.udp(name, Type.A)));
      }
      for (Future<Message> f : first) {
        assertEquals(Rcode.SERVFAIL, f.get().getRcode());
      }

      // Two of these go, one waits (its turn would come in half a second); for the others the
      // line is longer than their deadline: SERVFAIL at once, not after the second.
      List<Future<Long>> millis = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        String name = "n" + i + ".example.";
        millis.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  assertEquals(Rcode.SERVFAIL, client.udp(name, Type.A).getRcode());
                  return (System.nanoTime() - t0) / 1_000_000;
                }));
      }
      List<Long> quick = new ArrayList<>();
      for (Future<Long> f : millis) {
        if (f.get() < 500) {
          quick.add(f.get());
        }
      }
      assertTrue(quick.size() >= names - 3, quick.size() + " of " + names + " answered at once");
      assertTrue(agent.agent().metrics().droppedCount("upstream_queue_timeout") >= names - 3);
    } finally {
      pool.shutdownNow();
    }
    long sent =
        upstream.received().stream()
            .filter(q -> q.getQuestion().getName().toString().startsWith("n"))
            .count();
    assertTrue(
        sent <= 3, sent + " of the " + names + " names sent to a server with 2 turns a second");
  }
}
