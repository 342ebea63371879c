package dev.nodecache.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LineLoggerTest {
  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    LogSetup.configure(new AgentConfig.Log("warn", AgentConfig.LogFormat.TEXT));
  }

  @Test
  void theLevelAndFormatFollowTheConfigForLoggersMadeBefore() throws Exception {
    Logger log = new LineLogger("dev.nodecache.agent.upstream.Forwarder");

    LogSetup.configure(new AgentConfig.Log("warn", AgentConfig.LogFormat.TEXT));
    String quiet = captured(() -> log.info("hidden"));
    LogSetup.configure(new AgentConfig.Log("debug", AgentConfig.LogFormat.JSON));
    String json = captured(() -> log.debug("{} of {} down", 1, 2, new IllegalStateException("x")));

    assertEquals("", quiet);
    assertFalse(log.isTraceEnabled());
    Map<String, Object> o = Json.parseObject(json);
    assertEquals("DEBUG", o.get("level"));
    assertEquals("1 of 2 down", o.get("msg"));
    assertTrue(((String) o.get("error")).startsWith("java.lang.IllegalStateException: x"));
  }

  @Test
  void nettyShowsNothingBelowInfoEvenAtTrace() {
    LogSetup.configure(new AgentConfig.Log("trace", AgentConfig.LogFormat.TEXT));

    assertFalse(new LineLogger("io.netty.channel.DefaultChannelPipeline").isDebugEnabled());
    assertTrue(new LineLogger("io.netty.channel.DefaultChannelPipeline").isInfoEnabled());
    assertTrue(new LineLogger("dev.nodecache.agent.Main").isTraceEnabled());
  }

  @Test
  void systemLoggersLikeCaffeinesWriteTheSameLines() {
    System.Logger log =
        new LineLoggerFinder().getLogger("com.github.benmanes.caffeine.cache.X", null);
    LogSetup.configure(new AgentConfig.Log("warn", AgentConfig.LogFormat.TEXT));

    String line =
        captured(
            () -> {
              log.log(System.Logger.Level.INFO, "hidden");
              log.log(System.Logger.Level.WARNING, "{0} of {1} evicted", 3, 4);
            });

    assertTrue(line.matches("\\S+ WARN X - 3 of 4 evicted\n"), line);
    assertFalse(log.isLoggable(System.Logger.Level.OFF));
    assertTrue(log.isLoggable(System.Logger.Level.ERROR));
  }

  private String captured(Runnable r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(stderr);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
