package dev.nodecache.local.watch;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One watcher's queue of events newer than the resourceVersion it started from. A watcher that
 * falls too far behind is ended (as the API server ends a slow watch); it watches again from the
 * last resourceVersion it saw, which the cache still holds.
 */
public final class Subscription implements AutoCloseable {
  private final EventLog log;
  private final long after;
  private final long lagNanos;
  private final BlockingQueue<Pending> queue;
  private volatile boolean ended;

  /** Taken from the queue but not yet due; only the watcher's own thread polls. */
  private Pending held;

  /** An event, and when the watcher may see it (now, unless the watch is made to lag). */
  private record Pending(WatchEvent event, long dueNanos) {}

  Subscription(EventLog log, long after, int capacity, Duration lag) {
    this.log = log;
    this.after = after;
    this.lagNanos = lag.toNanos();
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  void offer(WatchEvent e) {
    if (e.resourceVersion() > after && !queue.offer(new Pending(e, System.nanoTime() + lagNanos))) {
      ended = true;
    }
  }

  void end() {
    ended = true;
  }

  /** The next event, or null if none came within {@code wait}. */
  public WatchEvent poll(Duration wait) throws InterruptedException {
    Pending next = held != null ? held : queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    held = null;
    if (next == null) {
      return null;
    }
    long early = next.dueNanos() - System.nanoTime();
    if (early > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(early, wait.toNanos()));
      if (next.dueNanos() > System.nanoTime()) {
        held = next;
        return null;
      }
    }
    return next.event();
  }

  /** Ended by the cache, and nothing left to take. */
  public boolean ended() {
    return ended && queue.isEmpty() && held == null;
  }

  @Override
  public void close() {
    log.unsubscribe(this);
  }
}
