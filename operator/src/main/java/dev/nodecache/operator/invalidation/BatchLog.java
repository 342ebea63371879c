package dev.nodecache.operator.invalidation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The stream's recent batches, so that an agent that missed some (a failed push, a slow node) gets
 * exactly what it missed in one message. Older than the log reaches, or more names than one message
 * should carry, and the agent is told to resync instead (it flushes the cluster domain once).
 */
final class BatchLog {
  private final int maxBatches;
  private final int maxBytes;
  private final Deque<Batch> batches = new ArrayDeque<>();

  /** {@code maxBytes}: of names in one message, below what an agent reads in one (4 MiB). */
  BatchLog(int maxBatches, int maxBytes) {
    this.maxBatches = maxBatches;
    this.maxBytes = maxBytes;
  }

  void add(Batch b) {
    batches.addLast(b);
    while (batches.size() > maxBatches) {
      batches.removeFirst();
    }
  }

  long latest() {
    return batches.isEmpty() ? 0 : batches.getLast().seq();
  }

  /** When the operator saw the oldest change of batches after+1..to; 0 if none is known. */
  long changedAt(long after, long to) {
    for (Batch b : batches) {
      if (b.seq() > after && b.seq() <= to) {
        return b.changedAt();
      }
    }
    return 0;
  }

  /**
   * The names of batches after+1..to under {@code domain}; null when the log no longer holds them
   * all, one of them was a resync, or they are too many for one message.
   */
  List<String> names(long after, long to, String domain) {
    if (after >= to) {
      return List.of();
    }
    if (batches.isEmpty() || batches.getFirst().seq() > after + 1) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    long bytes = 0;
    for (Batch b : batches) {
      if (b.seq() <= after || b.seq() > to) {
        continue;
      }
      if (b.services() == null) {
        return null;
      }
      for (ServiceKey s : b.services()) {
        bytes += add(out, "*." + s.relativeName() + "." + domain);
      }
      for (String name : b.reverseNames()) {
        bytes += add(out, name);
      }
      if (bytes > maxBytes) {
        return null;
      }
    }
    return List.copyOf(out);
  }

  /** What a name adds to a message: its bytes, quotes and comma (names are ASCII). */
  private static int add(Set<String> out, String name) {
    return out.add(name) ? name.length() + 3 : 0;
  }
}
