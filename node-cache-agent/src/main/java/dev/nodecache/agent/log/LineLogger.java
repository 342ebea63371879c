package dev.nodecache.agent.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that writes one line per event to standard error, as {@link LogSetup} says. */
final class LineLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  // Netty's own debug output is not ours to show at "debug".
  private final boolean atLeastInfo;

  LineLogger(String name) {
    this.name = name;
    this.atLeastInfo = name.startsWith("io.netty.");
  }

  boolean enabled(Level level) {
    int threshold = LogSetup.threshold().toInt();
    if (atLeastInfo) {
      threshold = Math.max(threshold, Level.INFO.toInt());
    }
    return level.toInt() >= threshold;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    write(level, MessageFormatter.basicArrayFormat(pattern, args), t);
  }

  void write(Level level, String message, Throwable t) {
    String line =
        LineFormat.format(LogSetup.json(), System.currentTimeMillis(), level, name, message, t);
    // One write per event, so lines from different threads never interleave.
    System.err.print(line);
  }
}
