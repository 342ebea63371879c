package dev.nodecache.local.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent changes of one resource type, as the API server's watch cache keeps them: a bounded
 * window of events in the order they were stored, so that a watch can start from any
 * resourceVersion still in the window, and is told 410 Gone for an older one.
 */
public final class EventLog {
  private final int capacity;
  private final Duration lag;
  private final ArrayDeque<WatchEvent> events = new ArrayDeque<>();

  /** Events at or before this resourceVersion may be gone from the window. */
  private long compactedThrough;

  private long last;

  private final Map<String, ObjectNode> current = new HashMap<>();
  private final List<Subscription> subscribers = new ArrayList<>();

  EventLog(int capacity, long startedAt, Duration lag) {
    this.capacity = capacity;
    this.lag = lag;
    this.compactedThrough = startedAt;
  }

  private static String key(ObjectNode o) {
    return o.path("metadata").path("namespace").asText("")
        + "/"
        + o.path("metadata").path("name").asText();
  }

  /** Records a change; a MODIFIED that changed nothing (no new resourceVersion) is dropped. */
  synchronized void append(String type, ObjectNode object, long resourceVersion) {
    String key = key(object);
    ObjectNode previous = current.get(key);
    if (!type.equals("DELETED")
        && previous != null
        && previous
            .path("metadata")
            .path("resourceVersion")
            .equals(object.path("metadata").path("resourceVersion"))) {
      return;
    }
    if (type.equals("DELETED")) {
      current.remove(key);
    } else {
      current.put(key, object);
    }
    WatchEvent e =
        new WatchEvent(
            resourceVersion,
            type.equals("ADDED") && previous != null ? "MODIFIED" : type,
            object,
            previous);
    events.addLast(e);
    last = Math.max(last, resourceVersion);
    while (events.size() > capacity) {
      compactedThrough = Math.max(compactedThrough, events.removeFirst().resourceVersion());
    }
    for (Subscription s : subscribers) {
      s.offer(e);
    }
  }

  /**
   * A subscription to the events after {@code resourceVersion}: those still in the window first,
   * then each new one as it is stored.
   */
  public synchronized Subscription subscribe(long resourceVersion) throws TooOld {
    if (resourceVersion < compactedThrough) {
      throw new TooOld(resourceVersion, compactedThrough + 1);
    }
    Subscription s = new Subscription(this, resourceVersion, capacity + 1024, lag);
    for (WatchEvent e : events) {
      s.offer(e);
    }
    subscribers.add(s);
    return s;
  }

  synchronized void unsubscribe(Subscription s) {
    subscribers.remove(s);
  }

  /** After a gap (the storage watch restarted): every older resourceVersion is too old now. */
  synchronized void expireThrough(long resourceVersion) {
    compactedThrough = Math.max(compactedThrough, resourceVersion);
    events.clear();
    subscribers.forEach(Subscription::end);
    subscribers.clear();
  }

  /** The newest resourceVersion recorded. */
  public synchronized long lastResourceVersion() {
    return Math.max(last, compactedThrough);
  }
}
