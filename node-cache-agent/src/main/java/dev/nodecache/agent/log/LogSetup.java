package dev.nodecache.agent.log;

import dev.nodecache.agent.config.AgentConfig;
import org.slf4j.event.Level;

/**
 * The agent logs through SLF4J to its own {@link LineLogger}s; this sets their level and line
 * format, for every logger at once and at any time (a config reload can change both).
 */
public final class LogSetup {
  private static volatile Level threshold = Level.INFO;
  private static volatile boolean json;

  private LogSetup() {}

  public static void configure(AgentConfig.Log log) {
    threshold = level(log.level());
    json = log.format() == AgentConfig.LogFormat.JSON;
  }

  static Level threshold() {
    return threshold;
  }

  static boolean json() {
    return json;
  }

  static Level level(String name) {
    return switch (name) {
      case "error" -> Level.ERROR;
      case "warn" -> Level.WARN;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default -> Level.INFO;
    };
  }
}
