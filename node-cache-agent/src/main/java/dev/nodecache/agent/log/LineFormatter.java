package dev.nodecache.agent.log;

import dev.nodecache.agent.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** One line per event: readable text, or a JSON object for log pipelines. */
final class LineFormatter extends Formatter {
  private final boolean json;

  LineFormatter(boolean json) {
    this.json = json;
  }

  @Override
  public String format(LogRecord r) {
    String level = levelName(r.getLevel());
    String logger = shortName(r.getLoggerName());
    String message = formatMessage(r);
    String error = r.getThrown() == null ? null : stackTrace(r.getThrown());
    if (json) {
      StringBuilder sb = new StringBuilder(128);
      sb.append("{\"time\":\"").append(Instant.ofEpochMilli(r.getMillis())).append('"');
      sb.append(",\"level\":\"").append(level).append('"');
      sb.append(",\"logger\":");
      Json.quote(logger, sb);
      sb.append(",\"msg\":");
      Json.quote(message, sb);
      if (error != null) {
        sb.append(",\"error\":");
        Json.quote(error, sb);
      }
      return sb.append("}\n").toString();
    }
    String line =
        Instant.ofEpochMilli(r.getMillis()) + " " + level + " " + logger + " - " + message;
    return error == null ? line + "\n" : line + "\n" + error;
  }

  private static String levelName(Level l) {
    int v = l.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }

  private static String shortName(String name) {
    if (name == null) {
      return "";
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
