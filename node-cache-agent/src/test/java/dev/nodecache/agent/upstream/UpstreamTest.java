package dev.nodecache.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpstreamTest {
  private static final long MS = 1_000_000L;

  private long now;
  private final Upstream server = new Upstream(new InetSocketAddress("127.0.0.1", 53), () -> now);

  @Test
  void threeFailuresInARowTakeItDownAndItsFirstProbeIsDueAfterTheBackoff() {
    server.failure();
    server.failure();
    assertEquals(Upstream.Change.WENT_DOWN, server.failure());
    assertFalse(server.isUp());
    now += 499 * MS;
    assertFalse(server.probeDue());
    now += MS;
    assertTrue(server.probeDue());
  }

  @Test
  void aProbeInFlightLongerThanTheBackoffIsNotJoinedByASecond() {
    takeDown();
    now += 500 * MS;
    server.probeStarted(2000 * MS);
    now += 1999 * MS;
    assertFalse(server.probeDue(), "its timeout has not passed");
    server.failure(); // the probe timed out: the backoff doubles from now
    now += 999 * MS;
    assertFalse(server.probeDue());
    now += MS;
    assertTrue(server.probeDue());
  }

  @Test
  void aProbeShorterThanTheBackoffWaitsForTheBackoff() {
    takeDown();
    now += 500 * MS;
    server.probeStarted(100 * MS);
    now += 499 * MS;
    assertFalse(server.probeDue());
    now += MS;
    assertTrue(server.probeDue(), "no reply yet, but the backoff has passed");
  }

  @Test
  void aReplyToTheProbeBringsItBack() {
    takeDown();
    server.probeStarted(2000 * MS);
    assertEquals(Upstream.Change.CAME_UP, server.success());
    assertTrue(server.isUp());
    assertFalse(server.probeDue());
  }

  private void takeDown() {
    for (int i = 0; i < Upstream.FAILURES_BEFORE_DOWN; i++) {
      server.failure();
    }
  }
}
