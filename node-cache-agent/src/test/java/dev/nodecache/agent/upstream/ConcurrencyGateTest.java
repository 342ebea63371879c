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
      public void go(long startedAt) {
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

    gate.release(0);
    assertEquals(List.of("go a", "go b", "go c"), events);
    gate.release(0);
    gate.release(0);
    assertEquals(List.of("go a", "go b", "go c", "go d"), events);
    assertEquals(1, gate.active());
    gate.release(0);
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
    gate.release(0);
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
    gate.release(0);
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
    gate.release(0);
    gate.release(0);
    assertEquals(3, events.size()); // two still out, the limit is one: d waits
    gate.release(0);
    assertEquals("go d", events.get(3));
  }

  @Test
  void aNewcomerTheLineCannotReachBeforeItsDeadlineIsToldAtOnce() {
    ConcurrencyGate gate = new ConcurrencyGate(2, now::get);
    gate.enter(turn("a"), 5_000);
    gate.enter(turn("b"), 5_000);
    now.set(1_000);
    gate.release(0); // turns of 1,000: the line moves two every 1,000
    gate.release(0);
    gate.enter(turn("c"), 10_000);
    gate.enter(turn("d"), 10_000);
    events.clear();

    assertFalse(gate.enter(turn("e"), 2_500)); // its turn in about 500: waits
    assertFalse(gate.enter(turn("f"), 2_500)); // in about 1,000: waits
    assertFalse(gate.enter(turn("g"), 2_500)); // in about 1,500, its deadline: told at once
    assertEquals(List.of("expired g"), events);
    assertEquals(2, gate.waiting());
    assertFalse(gate.enter(turn("h"), 3_000)); // a later deadline still has room behind f
    assertEquals(3, gate.waiting());

    gate.release(1_000);
    assertEquals(List.of("expired g", "go e"), events);
  }

  @Test
  void theLineLengthensAgainOnceTheServerAnswersQuickly() {
    ConcurrencyGate gate = new ConcurrencyGate(1, now::get);
    gate.enter(turn("dead"), 10_000);
    now.set(2_000);
    gate.release(0); // a timeout: one turn every 2,000
    gate.enter(turn("busy"), 100_000);
    assertFalse(gate.enter(turn("hopeless"), 3_000));
    assertEquals(List.of("go dead", "go busy", "expired hopeless"), events);

    for (int i = 0; i < 40; i++) { // quick turns of 10 teach the gate the server is back
      gate.release(now.get() - 10);
      gate.enter(turn("quick" + i), 100_000);
    }
    events.clear();
    for (int i = 0; i < 5; i++) {
      assertFalse(gate.enter(turn("patient" + i), now.get() + 1_000));
    }
    assertEquals(List.of(), events);
    assertEquals(5, gate.waiting());
  }
}
