package dev.nodecache.agent.upstream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} queries outstanding to one server; the others wait their turn in arrival
 * order. This is what keeps a flushed node from sending its whole working set at once: the cluster
 * DNS sees at most {@code limit} queries per node in flight, however many names missed. A waiter
 * whose deadline passes before its turn is told so instead of being sent late (its client has given
 * up by then).
 */
public final class ConcurrencyGate {
  /** A query waiting for a turn. */
  public interface Turn {
    /** The query may go now; {@link #release()} must follow when it is over. */
    void go();

    /** The deadline passed before a turn came; nothing was sent. */
    void expired();
  }

  private record Waiter(Turn turn, long deadline) {}

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private final LongSupplier nanoClock;
  private int limit;
  private int active;

  public ConcurrencyGate(int limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
  }

  /**
   * Runs the turn at once when below the limit, else queues it until {@code deadline} (nanos).
   * Waiters at the head of the line whose deadline has passed are told now, not at the next
   * release: a dead server releases only once a timeout.
   */
  public boolean enter(Turn turn, long deadline) {
    List<Waiter> expired;
    synchronized (this) {
      if (active < limit) {
        active++;
        expired = null;
      } else {
        expired = new ArrayList<>(0);
        expireHead(expired);
        waiting.add(new Waiter(turn, deadline));
      }
    }
    if (expired == null) { // the common case: a turn at once, nothing allocated
      turn.go();
      return true;
    }
    run(expired, List.of());
    return false;
  }

  /** Tells the waiters at the head of the line whose deadline has passed. */
  public void expireOverdue() {
    List<Waiter> expired;
    synchronized (this) {
      if (waiting.isEmpty()) {
        return; // the common case: nobody in line, nothing allocated
      }
      expired = new ArrayList<>(0);
      expireHead(expired);
    }
    run(expired, List.of());
  }

  private void expireHead(List<Waiter> expired) {
    long t = nanoClock.getAsLong();
    while (!waiting.isEmpty() && t - waiting.peek().deadline() >= 0) {
      expired.add(waiting.poll());
    }
  }

  /** A query is over: the next waiters in line go, the expired ones are told. */
  public void release() {
    List<Waiter> expired;
    List<Waiter> next;
    synchronized (this) {
      active--;
      if (waiting.isEmpty()) {
        return; // the common case: nobody in line, nothing allocated
      }
      expired = new ArrayList<>(0);
      next = new ArrayList<>(1);
      admit(expired, next);
    }
    run(expired, next);
  }

  /** A reload may change the limit; a higher one lets waiters go now. */
  public void limit(int limit) {
    List<Waiter> expired = new ArrayList<>(0);
    List<Waiter> next = new ArrayList<>(0);
    synchronized (this) {
      this.limit = limit;
      admit(expired, next);
    }
    run(expired, next);
  }

  private void admit(List<Waiter> expired, List<Waiter> next) {
    long now = nanoClock.getAsLong();
    while (active < limit && !waiting.isEmpty()) {
      Waiter w = waiting.poll();
      if (now - w.deadline() >= 0) {
        expired.add(w);
      } else {
        active++;
        next.add(w);
      }
    }
  }

  private static void run(List<Waiter> expired, List<Waiter> next) {
    expired.forEach(w -> w.turn().expired());
    next.forEach(w -> w.turn().go());
  }

  public synchronized int active() {
    return active;
  }

  public synchronized int waiting() {
    return waiting.size();
  }
}
