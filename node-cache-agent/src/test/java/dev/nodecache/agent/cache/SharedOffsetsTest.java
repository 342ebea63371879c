package dev.nodecache.agent.cache;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.WireReply;
import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class SharedOffsetsTest {
  private final CacheRules rules = TestAgent.defaultCacheRules();

  private CachedAnswer answer(String name, String... records) throws Exception {
    Message q = TestClient.query(name, Type.A);
    Record[] rrs = new Record[records.length];
    for (int i = 0; i < records.length; i++) {
      rrs[i] = rr(records[i]);
    }
    byte[] wireName = Name.fromString(name).toWireCanonical();
    CacheKey key = CacheKey.of(wireName, wireName.length, Type.A, 1, 0);
    WireReply reply = WireReply.read(Replies.answer(q, rrs).toWire());
    return AnswerFactory.fromReply(key, reply, rules, Long.MAX_VALUE, 0);
  }

  @Test
  void answersOfOneShapeShareTheirOffsetsAndOthersDoNot() throws Exception {
    CachedAnswer a = answer("a.example.", "a.example. 300 IN A 192.0.2.1");
    CachedAnswer b = answer("b.example.", "b.example. 60 IN A 192.0.2.2");
    CachedAnswer longer = answer("long.example.", "long.example. 300 IN A 192.0.2.3");
    CachedAnswer two =
        answer("c.example.", "c.example. 300 IN A 192.0.2.4", "c.example. 300 IN A 192.0.2.5");

    assertSame(a.ttlOffsets, b.ttlOffsets);
    assertNotSame(a.ttlOffsets, longer.ttlOffsets);
    assertArrayEquals(new int[] {a.ttlOffset(0) + 3}, longer.ttlOffsets);
    assertArrayEquals(new int[] {a.ttlOffset(0), a.ttlOffset(0) + 16}, two.ttlOffsets);
    // Shared offsets, each answer its own TTLs.
    assertArrayEquals(new int[] {300, 60}, new int[] {a.servedTtl(0, 0), b.servedTtl(0, 0)});
  }

  @Test
  void aCollisionKeepsBothArraysCorrect() {
    // Offsets no real answer has (past 65,535), so that no other test's answers hold these slots.
    int[] first = {70_000};
    assertSame(first, SharedOffsets.of(first));
    assertSame(first, SharedOffsets.of(new int[] {70_000}));
    int[] colliding = {70_000 + 1024}; // the same slot
    assertSame(colliding, SharedOffsets.of(colliding));
    assertNotSame(first, SharedOffsets.of(new int[] {70_000}));
    assertArrayEquals(new int[] {70_000}, first);
    assertSame(SharedOffsets.NONE, SharedOffsets.of(new int[0]));
  }
}
