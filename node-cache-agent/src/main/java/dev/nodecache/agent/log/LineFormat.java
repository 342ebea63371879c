package dev.nodecache.agent.log;

import dev.nodecache.agent.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.event.Level;

/** One line per event: readable text, or a JSON object for log pipelines. */
final class LineFormat {
  private LineFormat() {}

  static String format(
      boolean json, long millis, Level level, String loggerName, String message, Throwable t) {
    String logger = shortName(loggerName);
    message = String.valueOf(message); // a null message is logged as "null", as by the JDK
    String error = t == null ? null : stackTrace(t);
    if (json) {
      StringBuilder sb = new StringBuilder(128);
      sb.append("{\"time\":\"");
      UtcTimestamp.append(millis, sb);
      sb.append('"');
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
    StringBuilder line = new StringBuilder(96);
    UtcTimestamp.append(millis, line);
    line.append(' ').append(level).append(' ').append(logger).append(" - ").append(message);
    line.append('\n');
    return error == null ? line.toString() : line.append(error).toString();
  }

  private static String shortName(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
