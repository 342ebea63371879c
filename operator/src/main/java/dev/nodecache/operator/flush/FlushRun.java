package dev.nodecache.operator.flush;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One flush on its way to every agent of a policy: who acknowledged, who failed, and why. */
public final class FlushRun {
  private final String id;
  private final List<String> names;
  private final int total;
  private final Map<String, String> failed = new ConcurrentHashMap<>();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private volatile long completedAtMillis;

  FlushRun(String id, List<String> names, int total) {
    this.id = id;
    this.names = names;
    this.total = total;
  }

  public String id() {
    return id;
  }

  public List<String> names() {
    return names;
  }

  public int total() {
    return total;
  }

  public int acknowledged() {
    return acknowledged.get();
  }

  /** Failed nodes and the last error of each, sorted by node. */
  public Map<String, String> failed() {
    return new TreeMap<>(failed);
  }

  public boolean done() {
    return acknowledged.get() + failed.size() >= total;
  }

  public long completedAtMillis() {
    return completedAtMillis;
  }

  void ack() {
    acknowledged.incrementAndGet();
  }

  void fail(String node, String reason) {
    failed.put(node, reason);
  }

  void finished(long millis) {
    completedAtMillis = millis;
  }
}
