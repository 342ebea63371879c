package dev.nodecache.agent.log;

import dev.nodecache.agent.config.AgentConfig;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The agent logs through SLF4J to java.util.logging; this sets its level and line format. */
public final class LogSetup {
  private LogSetup() {}

  public static synchronized void configure(AgentConfig.Log log) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler out = new ConsoleHandler(); // stderr, as a container's log should be
    out.setFormatter(new LineFormatter(log.format() == AgentConfig.LogFormat.JSON));
    out.setLevel(Level.ALL);
    root.addHandler(out);
    root.setLevel(level(log.level()));
    // Netty's own debug output is not ours to show at "debug".
    Logger.getLogger("io.netty")
        .setLevel(
            Level.INFO.intValue() < level(log.level()).intValue()
                ? level(log.level())
                : Level.INFO);
  }

  static Level level(String name) {
    return switch (name) {
      case "error" -> Level.SEVERE;
      case "warn" -> Level.WARNING;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> Level.INFO;
    };
  }
}
