package dev.nodecache.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcTimestampTest {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesWhatJavaTimeWritesForEveryKindOfDay() {
    String[] edges = {
      "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z",
      "2000-02-29T12:00:00.001Z",
      "2000-03-01T00:00:00Z",
      "2100-02-28T23:59:59.999Z",
      "2100-03-01T00:00:00.010Z",
      "2400-02-29T00:00:00.100Z",
      "2026-12-31T23:59:59.999Z",
      "9999-12-31T23:59:59.999Z",
      "0001-01-01T00:00:00Z"
    };
    for (String edge : edges) {
      long millis = Instant.parse(edge).toEpochMilli();
      assertEquals(ISO.format(Instant.ofEpochMilli(millis)), format(millis), edge);
    }
    SplittableRandom random = new SplittableRandom(7);
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 100_000; i++) {
      long millis = random.nextLong(max);
      assertEquals(ISO.format(Instant.ofEpochMilli(millis)), format(millis), "at " + millis);
    }
  }

  private static String format(long millis) {
    StringBuilder sb = new StringBuilder();
    UtcTimestamp.append(millis, sb);
    return sb.toString();
  }
}
