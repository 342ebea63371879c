package dev.nodecache.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
  private final AtomicLong now = new AtomicLong();
  private final List<String> events = new ArrayList<>();

  private ConcurrencyGate.Turn turn(String name) {
    return new ConcurrencyGate.Turn() {
      @Override
      public void go() {
        events.add("go " + name);
      }

      @Override
      public void expired() {
        events.add("expired " + name);
      }
    };
  }

  @Test
  void queriesBeyondTheLimitWaitAndGoInArrivalOrder() {
    ConcurrencyGate gate = new ConcurrencyGate(2, now::get);
    assertTrue(gate.enter(turn("a"), 100));
    assertTrue(gate.enter(turn("b"), 100));
    assertFalse(gate.enter(turn("c"), 100));
    assertFalse(gate.enter(turn("d"), 100));
    assertEquals(List.of("go a", "go b"), events);
    assertEquals(2, gate.waiting());

    gate.release();
    assertEquals(List.of("go a", "go b", "go c"), events);
    gate.release();
    gate.release();
    assertEquals(List.of("go a", "go b", "go c", "go d"), events);
    assertEquals(1, gate.active());
    gate.release();
    assertEquals(0, gate.active());
    assertEquals(0, gate.waiting());
  }

  @Test
  void aWaiterPastItsDeadlineIsToldAndTakesNoTurn() {
    ConcurrencyGate gate = new ConcurrencyGate(1, now::get);
    gate.enter(turn("a"), 1_000);
    gate.enter(turn("late"), 500);
    gate.enter(turn("patient"), 2_000);
    now.set(500);
    gate.release();
    assertEquals(List.of("go a", "expired late", "go patient"), events);
    assertEquals(1, gate.active());
  }

  @Test
  void aNewcomerTellsTheExpiredWaitersAheadOfItWithoutWaitingForARelease() {
    ConcurrencyGate gate = new ConcurrencyGate(1, now::get);
    gate.enter(turn("stuck"), 10_000);
    gate.enter(turn("late"), 500);
    gate.enter(turn("later"), 600);
    gate.enter(turn("patient"), 5_000);
    now.set(550);
    gate.enter(turn("newcomer"), 2_000);
    assertEquals(List.of("go stuck", "expired late"), events);
    assertEquals(3, gate.waiting());
    now.set(700);
    gate.release();
    assertEquals(List.of("go stuck", "expired late", "expired later", "go patient"), events);
  }

  @Test
  void theUpkeepTellsOverdueWaitersWhenNothingElseHappens() {
    ConcurrencyGate gate = new ConcurrencyGate(1, now::get);
    gate.enter(turn("stuck"), 10_000);
    gate.enter(turn("late"), 500);
    gate.enter(turn("patient"), 5_000);
    gate.expireOverdue();
    assertEquals(List.of("go stuck"), events);
    now.set(500);
    gate.expireOverdue();
    assertEquals(List.of("go stuck", "expired late"), events);
    assertEquals(1, gate.waiting());
  }

  @Test
  void aRaisedLimitLetsWaitersGoAtOnceAndALoweredOneHoldsNewcomers() {
    ConcurrencyGate gate = new ConcurrencyGate(1, now::get);
    gate.enter(turn("a"), 100);
    gate.enter(turn("b"), 100);
    gate.enter(turn("c"), 100);
    gate.limit(3);
    assertEquals(List.of("go a", "go b", "go c"), events);

    gate.limit(1);
    assertFalse(gate.enter(turn("d"), 100));
    gate.release();
    gate.release();
    assertEquals(3, events.size()); // two still out, the limit is one: d waits
    gate.release();
    assertEquals("go d", events.get(3));
  }
}
