package dev.nodecache.agent.log;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/** A {@link System.Logger} (Caffeine's, the JDK's) that writes through a {@link LineLogger}. */
final class LineSystemLogger implements System.Logger {
  private final LineLogger out;

  LineSystemLogger(LineLogger out) {
    this.out = out;
  }

  @Override
  public String getName() {
    return out.getName();
  }

  @Override
  public boolean isLoggable(System.Logger.Level level) {
    org.slf4j.event.Level l = lineLevel(level);
    return l != null && out.enabled(l);
  }

  @Override
  public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (isLoggable(level)) {
      out.write(lineLevel(level), localized(bundle, msg), thrown);
    }
  }

  @Override
  public void log(
      System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
    if (isLoggable(level)) {
      String pattern = localized(bundle, format);
      String message =
          params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
      out.write(lineLevel(level), message, null);
    }
  }

  private static String localized(ResourceBundle bundle, String key) {
    return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
  }

  // The nested System.Logger.Level hides an imported Level here, hence the full name.
  private static org.slf4j.event.Level lineLevel(System.Logger.Level level) {
    return switch (level) {
      case ALL, TRACE -> org.slf4j.event.Level.TRACE;
      case DEBUG -> org.slf4j.event.Level.DEBUG;
      case INFO -> org.slf4j.event.Level.INFO;
      case WARNING -> org.slf4j.event.Level.WARN;
      case ERROR -> org.slf4j.event.Level.ERROR;
      case OFF -> null;
    };
  }
}
