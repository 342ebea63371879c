package dev.nodecache.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LineFormatTest {
  @Test
  void aJsonLineIsOneObjectWhateverTheMessageHolds() throws Exception {
    String line =
        LineFormat.format(
            true,
            0,
            Level.WARN,
            "dev.nodecache.agent.upstream.Forwarder",
            "upstream \"a\\b\"\nis down\u0001",
            new IllegalStateException("boom"));

    assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
    Map<String, Object> o = Json.parseObject(line);
    assertEquals("1970-01-01T00:00:00.000Z", o.get("time"));
    assertEquals("WARN", o.get("level"));
    assertEquals("Forwarder", o.get("logger"));
    assertEquals("upstream \"a\\b\"\nis down\u0001", o.get("msg"));
    assertTrue(((String) o.get("error")).startsWith("java.lang.IllegalStateException: boom"));
  }

  @Test
  void aTextLineNamesTimeLevelAndLoggerThenTheStackTraceFollows() {
    String line =
        LineFormat.format(
            false, 1_500, Level.INFO, "NodeCacheAgent", "ready", new RuntimeException("x"));

    assertTrue(
        line.startsWith("1970-01-01T00:00:01.500Z INFO NodeCacheAgent - ready\njava.lang.Runtime"),
        line);
  }
}
