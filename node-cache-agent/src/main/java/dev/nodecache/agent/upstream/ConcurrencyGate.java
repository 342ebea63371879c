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
 * up by then). A newcomer that the line cannot reach before its deadline, at the pace the server's
 * recent turns went, is told at once instead of waiting for nothing: against a dead server (every
 * turn a timeout) the line stays about {@code limit} long, not thousands of queries held for the
 * whole timeout.
 */
public final class ConcurrencyGate {
  /** A query waiting for a turn. */
  public interface Turn {
    /**
     * The query may go now; {@link #release(long)} with {@code startedAt} must follow when it is
     * over.
     */
    void go(long startedAt);

    /** No turn came, or none could come, before the deadline; nothing was sent. */
    void expired();
  }

  private record Waiter(Turn turn, long deadline) {}

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private final LongSupplier nanoClock;
  private int limit;
  private int active;

  /** How long a turn lasts, a moving average (nanos); 0 until a turn has ended. */
  private long turnNanos;

  public ConcurrencyGate(int limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
  }

  /**
   * Runs the turn at once when below the limit, else queues it until {@code deadline} (nanos), or
   * tells it at once when the line ahead of it would outlast that. Waiters at the head of the line
   * whose deadline has passed are told now, not at the next release: a dead server releases only
   * once a timeout.
   */
  public boolean enter(Turn turn, long deadline) {
    List<Waiter> expired;
    long now = nanoClock.getAsLong();
    synchronized (this) {
      if (active < limit) {
        active++;
        expired = null;
      } else {
        expired = new ArrayList<>(1);
        expireHead(expired, now);
        Waiter w = new Waiter(turn, deadline);
        if (now + expectedWait() - deadline >= 0) {
          expired.add(w);
        } else {
          waiting.add(w);
        }
      }
    }
    if (expired == null) { // the common case: a turn at once, nothing allocated
      turn.go(now);
      return true;
    }
    run(expired, List.of(), now);
    return false;
  }

  /** When a newcomer's turn would come: the line ahead of it leaves {@code limit} at a time. */
  private long expectedWait() {
    return (waiting.size() + 1L) * turnNanos / limit;
  }

  /** Tells the waiters at the head of the line whose deadline has passed. */
  public void expireOverdue() {
    List<Waiter> expired;
    long now = nanoClock.getAsLong();
    synchronized (this) {
      if (waiting.isEmpty()) {
        return; // the common case: nobody in line, nothing allocated
      }
      expired = new ArrayList<>(0);
      expireHead(expired, now);
    }
    run(expired, List.of(), now);
  }

  private void expireHead(List<Waiter> expired, long now) {
    while (!waiting.isEmpty() && now - waiting.peek().deadline() >= 0) {
      expired.add(waiting.poll());
    }
  }

  /**
   * A query that went at {@code startedAt} is over: the next waiters in line go, the expired ones
   * are told.
   */
  public void release(long startedAt) {
    List<Waiter> expired;
    List<Waiter> next;
    long now = nanoClock.getAsLong();
    synchronized (this) {
      active--;
      long length = Math.max(0, now - startedAt);
      // A short memory (1/8 per turn): a server that died or came back is seen within a few turns.
      turnNanos = turnNanos == 0 ? length : turnNanos + (length - turnNanos) / 8;
      if (waiting.isEmpty()) {
        return; // the common case: nobody in line, nothing allocated
      }
      expired = new ArrayList<>(0);
      next = new ArrayList<>(1);
      admit(expired, next, now);
    }
    run(expired, next, now);
  }

  /** A reload may change the limit; a higher one lets waiters go now. */
  public void limit(int limit) {
    List<Waiter> expired = new ArrayList<>(0);
    List<Waiter> next = new ArrayList<>(0);
    long now = nanoClock.getAsLong();
    synchronized (this) {
      this.limit = limit;
      admit(expired, next, now);
    }
    run(expired, next, now);
  }

  private void admit(List<Waiter> expired, List<Waiter> next, long now) {
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

  private static void run(List<Waiter> expired, List<Waiter> next, long now) {
    expired.forEach(w -> w.turn().expired());
    next.forEach(w -> w.turn().go(now));
  }

  public synchronized int active() {
    return active;
  }

  public synchronized int waiting() {
    return waiting.size();
  }
}
