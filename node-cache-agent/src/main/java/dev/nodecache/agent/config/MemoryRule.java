package dev.nodecache.agent.config;

import java.util.Map;

/**
 * The one rule that sizes an agent's memory: from the pod's memory limit (or, without one, from
 * {@code cache.maxEntries}) to the JVM's heap and the bytes the cache may hold, so that no cache
 * content can make the process outgrow its limit. The operator renders both into the DaemonSet and
 * the agent's config; a standalone agent without {@code cache.maxBytes} uses {@link
 * #cacheBytesForHeap} of its own heap.
 *
 * <pre>
 *   limit      = heap + NON_HEAP
 *   heap       = BASE_HEAP + cacheBytes * 3 / 2      (the half: room for the young generation)
 *   cacheBytes = maxEntries * TYPICAL_ENTRY          (when only maxEntries is given)
 *   refused    when maxEntries * SMALLEST_ENTRY > cacheBytes
 * </pre>
 *
 * The cache weighs every entry by its footprint (at least cacheBytes / maxEntries), so it holds at
 * most maxEntries entries and at most cacheBytes bytes, whatever the answers' sizes.
 */
public record MemoryRule(long limitBytes, long heapBytes, long cacheBytes, int maxEntries) {
  public static final long MIB = 1L << 20;

  /**
   * Outside the heap: metaspace and class space (capped at 32 MiB, about 12 used), code cache
   * (capped at 20 MiB, about 10 used), direct buffers (capped at 16 MiB, about 5 used), thread
   * stacks, two malloc arenas that keep what the JIT compilers freed, and the mapped JVM and class
   * archive (about 28 MiB). Measured at 97-116 MiB at most with the cache full of the largest
   * answers (MemoryLimitIT prints it); C1 alone needed 30 MiB less but served cached answers 30%
   * slower.
   */
  public static final long NON_HEAP = 144 * MIB;

  /** The agent's live objects without the cache (event loops, admin, metrics) and its garbage. */
  public static final long BASE_HEAP = 16 * MIB;

  /** An A or AAAA answer with a name of about 30 bytes (EntryFootprint counts 350-450). */
  public static final long TYPICAL_ENTRY = 512;

  /** The smallest entry there can be (a one-label name, a bare header). */
  public static final long SMALLEST_ENTRY = 256;

  public static final long SMALLEST_LIMIT = 176 * MIB;

  /** A pod limit for {@code maxEntries} typical answers. */
  public static MemoryRule forEntries(int maxEntries) {
    long cache = Math.max(maxEntries * TYPICAL_ENTRY, cacheBytesForHeap(SMALLEST_LIMIT - NON_HEAP));
    long heap = roundUpMib(BASE_HEAP + cache * 3 / 2);
    return new MemoryRule(heap + NON_HEAP, heap, cacheBytesForHeap(heap), maxEntries);
  }

  /**
   * What a pod limit of {@code limitBytes} allows; {@link IllegalArgumentException}, its message
   * starting with the field to change, when it is too small for the agent or for {@code
   * maxEntries}.
   */
  public static MemoryRule forLimit(long limitBytes, int maxEntries) {
    if (limitBytes < SMALLEST_LIMIT) {
      throw new IllegalArgumentException(
          "agent.resources.limits.memory: "
              + mib(limitBytes)
              + " is too small for the agent: at least "
              + mib(SMALLEST_LIMIT));
    }
    long heap = (limitBytes - NON_HEAP) / MIB * MIB;
    long cache = cacheBytesForHeap(heap);
    long fits = cache / SMALLEST_ENTRY;
    if (maxEntries > fits) {
      throw new IllegalArgumentException(
          "cache.maxEntries: "
              + maxEntries
              + " entries do not fit agent.resources.limits.memory "
              + mib(limitBytes)
              + ": at most "
              + fits
              + ", or a limit of at least "
              + mib(forEntries(maxEntries).limitBytes()));
    }
    return new MemoryRule(limitBytes, heap, cache, maxEntries);
  }

  /** The bytes the cache may hold in a heap of {@code heapBytes}. */
  public static long cacheBytesForHeap(long heapBytes) {
    return Math.max(MIB, (heapBytes - BASE_HEAP) * 2 / 3);
  }

  /**
   * The JVM's flags: the heap, and a cap on every other pool so that {@link #NON_HEAP} holds. The
   * serial collector: no GC threads, no per-core regions, the smallest footprint. Two compiler
   * threads (one C1, one C2), whatever the node's core count. The native heap trimmed every 5 s:
   * what the JIT compilers malloc and free would otherwise stay resident (20 MiB with 11,000 names
   * cached, 27 MiB with 100,000; bench/RESULTS.md); JDK 17.0.9 or later, ignored by older ones.
   */
  public String javaOptions() {
    return "-Xmx"
        + heapBytes / MIB
        + "m -Xms16m -Xss256k -XX:+UseSerialGC -XX:MaxMetaspaceSize=32m"
        + " -XX:ReservedCodeCacheSize=20m -XX:MaxDirectMemorySize=16m -XX:-UsePerfData"
        + " -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"
        + " -XX:CICompilerCount=2 -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";
  }

  /**
   * The process environment: at most two malloc arenas (glibc's default, eight per core, keeps
   * freed native memory of every thread resident).
   */
  public static Map<String, String> environment() {
    return Map.of("MALLOC_ARENA_MAX", "2");
  }

  private static long roundUpMib(long bytes) {
    return (bytes + MIB - 1) / MIB * MIB;
  }

  /** "96Mi" (rounded down to whole MiB). */
  public static String mib(long bytes) {
    return bytes / MIB + "Mi";
  }
}
