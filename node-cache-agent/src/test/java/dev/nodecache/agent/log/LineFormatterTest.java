package dev.nodecache.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.json.Json;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormatterTest {
  @Test
  void aJsonLineIsOneObjectWhateverTheMessageHolds() throws Exception {
    LogRecord r = new LogRecord(Level.WARNING, "upstream \"a\\b\"\nis down\u0001");
    r.setLoggerName("dev.nodecache.agent.upstream.Forwarder");
    r.setMillis(0);
    r.setThrown(new IllegalStateException("boom"));
    String line = new LineFormatter(true).format(r);

    assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
    Map<String, Object> o = Json.parseObject(line);
    assertEquals("1970-01-01T00:00:00Z", o.get("time"));
    assertEquals("WARN", o.get("level"));
    assertEquals("Forwarder", o.get("logger"));
    assertEquals("upstream \"a\\b\"\nis down\u0001", o.get("msg"));
    assertTrue(((String) o.get("error")).startsWith("java.lang.IllegalStateException: boom"));
  }
}
