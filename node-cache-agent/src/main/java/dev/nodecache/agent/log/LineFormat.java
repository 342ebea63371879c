package dev.nodecache.agent.log;

import dev.nodecache.agent.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
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
      sb.append("{\"time\":\"").append(Instant.ofEpochMilli(millis)).append('"');
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
    String line = Instant.ofEpochMilli(millis) + " " + level + " " + logger + " - " + message;
    return error == null ? line + "\n" : line + "\n" + error;
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
