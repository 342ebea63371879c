package dev.nodecache.agent.cache;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Answers of one shape share one array of TTL offsets. An A answer to a name of a given length has
 * its TTL at the same offset as every other such answer, so a full cache needs a few hundred
 * distinct arrays, not one per entry (24 bytes or more each). A small direct-mapped table: on a
 * collision the newer array takes the slot, and the older stays with the answers that hold it.
 */
final class SharedOffsets {
  static final int[] NONE = new int[0];

  private static final int SLOTS = 1024;

  // The arrays are never written once built; the table only publishes them (volatile reads).
  private static final AtomicReferenceArray<int[]> TABLE = new AtomicReferenceArray<>(SLOTS);

  private SharedOffsets() {}

  /** An array equal to {@code offsets}, shared with earlier answers when one is at hand. */
  static int[] of(int[] offsets) {
    if (offsets.length == 0) {
      return NONE;
    }
    int slot = Arrays.hashCode(offsets) & (SLOTS - 1);
    int[] shared = TABLE.get(slot);
    if (shared != null && Arrays.equals(shared, offsets)) {
      return shared;
    }
    TABLE.set(slot, offsets);
    return offsets;
  }
}
