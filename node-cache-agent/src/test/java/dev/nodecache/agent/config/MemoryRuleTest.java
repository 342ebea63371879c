package dev.nodecache.agent.config;

import static dev.nodecache.agent.config.MemoryRule.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryRuleTest {
  @Test
  void fromMaxEntriesTheLimitHoldsThemAsTypicalAnswers() {
    MemoryRule r = MemoryRule.forEntries(100_000);
    assertTrue(r.cacheBytes() >= 100_000 * MemoryRule.TYPICAL_ENTRY, "cache " + r.cacheBytes());
    assertEquals(r.heapBytes() + MemoryRule.NON_HEAP, r.limitBytes());
    assertEquals(0, r.heapBytes() % MIB);
    assertTrue(r.javaOptions().startsWith("-Xmx" + r.heapBytes() / MIB + "m "), r.javaOptions());
  }

  @Test
  void theYoungGenerationIsATwentiethOfTheHeapFromSixToThirtyTwoMib() {
    assertEquals(6 * MIB, MemoryRule.forLimit(MemoryRule.SMALLEST_LIMIT, 1_000).youngBytes());
    assertEquals(6 * MIB, MemoryRule.forEntries(150_000).youngBytes());
    MemoryRule mid = MemoryRule.forEntries(300_000);
    assertEquals(mid.heapBytes() / 20 / MIB * MIB, mid.youngBytes());
    assertTrue(mid.youngBytes() > 6 * MIB && mid.youngBytes() < 32 * MIB, mid.javaOptions());
    assertEquals(32 * MIB, MemoryRule.forEntries(2_000_000).youngBytes());
    assertTrue(
        MemoryRule.forEntries(150_000).javaOptions().contains(" -XX:MaxNewSize=6m "),
        MemoryRule.forEntries(150_000).javaOptions());
  }

  @Test
  void aSmallCacheStillGetsTheSmallestLimit() {
    assertEquals(MemoryRule.SMALLEST_LIMIT, MemoryRule.forEntries(10).limitBytes());
  }

  @Test
  void aGivenLimitIsKeptAndSplitIntoHeapAndCache() {
    MemoryRule r = MemoryRule.forLimit(256 * MIB, 10_000);
    assertEquals(256 * MIB, r.limitBytes());
    assertEquals(256 * MIB - MemoryRule.NON_HEAP, r.heapBytes());
    assertEquals((r.heapBytes() - MemoryRule.BASE_HEAP) * 2 / 3, r.cacheBytes());
  }

  @Test
  void tooManyEntriesForTheLimitAreRefusedWithWhatWouldFit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MemoryRule.forLimit(256 * MIB, 500_000));
    long fits = (256 * MIB - MemoryRule.NON_HEAP - MemoryRule.BASE_HEAP) * 2 / 3 / 256;
    String needed = MemoryRule.mib(MemoryRule.forEntries(500_000).limitBytes());
    assertEquals(
        "cache.maxEntries: 500000 entries do not fit agent.resources.limits.memory 256Mi: at most "
            + fits
            + ", or a limit of at least "
            + needed,
        e.getMessage());
  }

  @Test
  void aLimitTooSmallForTheAgentIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MemoryRule.forLimit(64 * MIB, 10));
    assertEquals(
        "agent.resources.limits.memory: 64Mi is too small for the agent: at least 176Mi",
        e.getMessage());
  }
}
