package dev.nodecache.agent.config;

/**
 * The one rule that sizes an agent's memory: from the pod's memory limit (or, without one, from
 * {@code cache.maxEntries}) to the JVM's heap and the bytes the cache may hold, so that no cache
 * content can make the process outgrow its limit. The operator renders both into the DaemonSet and
 * the agent's config; a standalone agent without {@code cache.maxBytes} uses {@link
 * #cacheBytesForHeap} of its own heap.
 *
 * <pre>
 *   limit      = heap + NON_HEAP
 *   heap       = BASE_HEAP + cacheBytes * 3 / 2      (the half: the young generation, free old space)
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
   * Outside the heap: metaspace and class space (capped at 32 MiB, about 3 used beside the class
   * archive), code cache (capped at 20 MiB, about 3 used), direct buffers (capped at 16 MiB, 1 to 5
   * used), thread stacks, two malloc arenas that keep what the JIT compiler freed, and the mapped
   * JVM and class archives (about 38 MiB). MemoryLimitIT prints the peak: 100-131 MiB for the whole
   * process with a 32 MiB heap and the cache full of the largest answers (132-151 with C1 too).
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
   * serial collector: no GC threads, no per-core regions, the smallest footprint. What is resident
   * is what the collector has touched, so the heap starts at 8 MiB and its young generation, a
   * third of the heap as it grows, stops at {@link #youngBytes}; Netty's buffer pool comes in
   * chunks of 512 KiB, not 4 MiB (a chunk is zeroed, so touched, whole); the interned strings'
   * table starts at 4,096 buckets, not 65,536 (it grows when it needs to; its buckets are spread
   * over pages that every lookup touches).
   *
   * <p>One compiler, C2, in one thread, whatever the node's core count: without C1's profiled code
   * and its compilations the agent holds 4 to 5 MiB less with 12,000 names cached and 100 to 131
   * MiB at MemoryLimitIT's peak against 132 to 151; the price is its first seconds, interpreted for
   * longer (3,000 to 6,000 misses a second in the first 8 s against 9,000, then the same). The
   * native heap trimmed every 5 s: what the JIT compiler mallocs and frees would otherwise stay
   * resident (20 MiB with 11,000 names cached, 27 MiB with 100,000; bench/RESULTS.md); JDK 17.0.9
   * or later, ignored by older ones.
   */
  public String javaOptions() {
    return "-Xmx"
        + heapBytes / MIB
        + "m -Xms8m -XX:MaxNewSize="
        + youngBytes() / MIB
        + "m -Xss256k -XX:+UseSerialGC -XX:MaxMetaspaceSize=32m"
        + " -XX:ReservedCodeCacheSize=20m -XX:MaxDirectMemorySize=16m -XX:-UsePerfData"
        + " -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"
        + " -Dio.netty.allocator.maxOrder=6 -XX:StringTableSize=4096"
        + " -XX:-TieredCompilation -XX:CICompilerCount=1"
        + " -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";
  }

  /**
   * The young generation at most: a twentieth of the heap, 6 to 32 MiB. Every page of it is touched
   * between two collections: 8 MiB instead of 6 cost 2 MiB of RSS with 100,000 names, 4 MiB saved 2
   * more but took twice the collections of 8, each scanning the old generation's dirty cards, and
   * cost the miss path a sixth (bench/RESULTS.md). What must fit its survivor spaces is what is in
   * flight at a collection: while each upstream query was a Netty channel, 4 MiB sent them to the
   * old generation, which then needed full collections, and halved the miss path.
   */
  public long youngBytes() {
    return Math.min(32 * MIB, Math.max(6 * MIB, heapBytes / 20 / MIB * MIB));
  }

  private static long roundUpMib(long bytes) {
    return (bytes + MIB - 1) / MIB * MIB;
  }

  /** "96Mi" (rounded down to whole MiB). */
  public static String mib(long bytes) {
    return bytes / MIB + "Mi";
  }
}
