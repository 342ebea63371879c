package dev.nodecache.agent.log;

/**
 * Sends {@link System.Logger}s (Caffeine logs through one) to the agent's lines too. Without it the
 * JDK would start java.util.logging for them, which {@link LineLogProvider} exists to avoid.
 */
public final class LineLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    return new LineSystemLogger(new LineLogger(name));
  }
}
