package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the plugin writes: stdout for results, stderr for progress and errors. On a terminal,
 * progress is one line redrawn in place; piped, it is plain lines, one per event, so that logs and
 * scripts read it.
 */
final class Console {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  final PrintStream out;
  final PrintStream err;
  private final boolean terminal;
  private boolean lineOpen;

  Console(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** System.console() is there only when stdin and stdout are both a terminal (Java 17). */
  static Console system() {
    return new Console(System.out, System.err, System.console() != null);
  }

  boolean terminal() {
    return terminal;
  }

  void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A progress line: redrawn in place on a terminal; printed when it changed, piped. */
  void progress(String line) {
    if (terminal) {
      err.print("\r\033[K" + line);
      err.flush();
      lineOpen = true;
    } else {
      err.println(line);
    }
  }

  /** Ends a progress line so what follows starts on its own line. */
  void endProgress() {
    if (lineOpen) {
      err.println();
      lineOpen = false;
    }
  }

  /** {@code [#######.......] 7/14} */
  static String bar(int done, int total, int width) {
    int filled = total == 0 ? 0 : (int) ((long) done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total;
  }

  /** Rows as columns padded to their widest cell, as kubectl prints tables. */
  static List<String> table(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(r.get(i));
        if (i < r.size() - 1) {
          b.append(" ".repeat(width[i] - r.get(i).length() + 3));
        }
      }
      lines.add(b.toString().stripTrailing());
    }
    return lines;
  }

  static String percent(Double fraction) {
    return fraction == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
