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
  private final BlockingQueue<WatchEvent> queue;
  private volatile boolean ended;

  Subscription(EventLog log, long after, int capacity) {
    this.log = log;
    this.after = after;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  void offer(WatchEvent e) {
    if (e.resourceVersion() > after && !queue.offer(e)) {
      ended = true;
    }
  }

  void end() {
    ended = true;
  }

  /** The next event, or null if none came within {@code wait}. */
  public WatchEvent poll(Duration wait) throws InterruptedException {
    return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Ended by the cache, and nothing left to take. */
  public boolean ended() {
    return ended && queue.isEmpty();
  }

  @Override
  public void close() {
    log.unsubscribe(this);
  }
}
