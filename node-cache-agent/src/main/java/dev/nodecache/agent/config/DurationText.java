package dev.nodecache.agent.config;

import java.time.Duration;

/** Durations as users write them in the policy and the agent config: 500ms, 30s, 5m, 1h, 1m30s. */
public final class DurationText {
  private static final int MAX_DIGITS = 9;

  private DurationText() {}

  /**
   * Parses {@code text}, parts of 1 to 9 digits and a unit (ms, s, m, h); returns null when it is
   * not a duration. "0" alone means zero.
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      int start = at;
      while (at < text.length() && at - start <= MAX_DIGITS && isDigit(text.charAt(at))) {
        at++;
      }
      if (at == start || at - start > MAX_DIGITS) {
        return null;
      }
      long n = Long.parseLong(text, start, at, 10);
      if (text.startsWith("ms", at)) {
        total = total.plusMillis(n);
        at += 2;
        continue;
      }
      char unit = at < text.length() ? text.charAt(at) : ' ';
      switch (unit) {
        case 's' -> total = total.plusSeconds(n);
        case 'm' -> total = total.plusMinutes(n);
        case 'h' -> total = total.plusHours(n);
        default -> {
          return null;
        }
      }
      at++;
    }
    return total;
  }

  /** An ASCII digit (not any Unicode one, which Long.parseLong would take too). */
  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The shortest text that {@link #parse} reads back as {@code d}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
