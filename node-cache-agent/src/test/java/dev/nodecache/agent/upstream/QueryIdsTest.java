package dev.nodecache.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class QueryIdsTest {
  @Test
  void eachIdIsTwoBytesOfTheSourceInNetworkOrderAndABlockIsReadOnlyWhenUsedUp() {
    byte[] bytes = new byte[1024];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7 + 3);
    }
    ByteArrayInputStream source = new ByteArrayInputStream(bytes);
    QueryIds ids = new QueryIds(source);
    for (int i = 0; i < 512; i++) {
      assertEquals((bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff, ids.nextId(), "id " + i);
      if (i == 255) {
        assertEquals(512, source.available(), "read a second block before the first was used");
      }
    }
    assertEquals(0, source.available());
  }

  @Test
  void aSourceThatEndsIsAClearErrorNotRepeatedIds() {
    QueryIds ids = new QueryIds(new ByteArrayInputStream(new byte[100]));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, ids::nextId);
    assertTrue(e.getMessage().contains("/dev/urandom"), e.getMessage());
  }

  @Test
  void theKernelsIdsCoverTheWholeRange() {
    BitSet seen = new BitSet(65536);
    int high = 0;
    for (int i = 0; i < 200_000; i++) {
      int id = QueryIds.next();
      assertTrue(id >= 0 && id < 65536, "id " + id);
      seen.set(id);
      high += id >>> 15;
    }
    // 200,000 draws from 65,536 values leave about 2,975 unseen (sd ~52); the top bit is set half
    // the
    // time (sd ~224). Bounds far outside both: a stuck byte or half-range ids fail, chance does
    // not.
    assertTrue(seen.cardinality() > 62_000, seen.cardinality() + " distinct ids");
    assertTrue(high > 97_000 && high < 103_000, high + " ids with the top bit set");
  }
}
