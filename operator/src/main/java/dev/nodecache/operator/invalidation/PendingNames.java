package dev.nodecache.operator.invalidation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes seen since the last batch, merged: a Service changed ten times before the next batch is
 * one name. Bounded: past {@code limit} names the batch only says "resync" (the agents then flush
 * the cluster domain once), so a burst cannot grow the operator's memory.
 */
final class PendingNames {
  private final int limit;
  private final Set<ServiceKey> services = new LinkedHashSet<>();
  private final Set<String> reverseNames = new LinkedHashSet<>();
  private long oldest;
  private boolean overflowed;

  PendingNames(int limit) {
    this.limit = limit;
  }

  synchronized void add(ClusterDnsView.Changed changed, long seenAtMillis) {
    if (changed.isEmpty()) {
      return;
    }
    if (isEmpty()) {
      oldest = seenAtMillis;
    }
    if (overflowed) {
      return;
    }
    services.addAll(changed.services());
    reverseNames.addAll(changed.reverseNames());
    if (services.size() + reverseNames.size() > limit) {
      overflowed = true;
      services.clear();
      reverseNames.clear();
    }
  }

  synchronized boolean isEmpty() {
    return services.isEmpty() && reverseNames.isEmpty() && !overflowed;
  }

  /** The pending changes as batch {@code seq}, or null if there are none; empties this. */
  synchronized Batch drain(long seq) {
    if (isEmpty()) {
      return null;
    }
    Batch out =
        overflowed
            ? new Batch(seq, null, null, oldest) // null lists: resync
            : new Batch(seq, List.copyOf(services), List.copyOf(reverseNames), oldest);
    services.clear();
    reverseNames.clear();
    overflowed = false;
    return out;
  }
}
