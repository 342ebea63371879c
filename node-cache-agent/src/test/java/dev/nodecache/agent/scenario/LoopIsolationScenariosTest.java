package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Upstream exchanges run on loops of their own: however busy they are, hits are answered. */
class LoopIsolationScenariosTest extends ScenarioTest {

  @Test
  void aCacheHitIsAnsweredWhileEveryUpstreamLoopIsBusy() throws Exception {
    upstream.answer("hit.example.", Type.A, rr("hit.example. 300 IN A 192.0.2.9"));
    startAgent("{\"listen\": {\"threads\": 1}}");
    client.udp("hit.example.", Type.A); // now cached

    CountDownLatch busy = new CountDownLatch(1);
    for (EventExecutor loop : agent.agent().upstreamLoops()) {
      loop.execute(
          () -> {
            try {
              busy.await(10, TimeUnit.SECONDS); // a loop held up, as by a flood's failures
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    try {
      long started = System.nanoTime();
      Message m = client.udp("hit.example.", Type.A);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals("192.0.2.9", answers(m).get(0).rdataToString());
      assertTrue(millis < 1000, "the hit took " + millis + " ms");
    } finally {
      busy.countDown();
    }
  }
}
