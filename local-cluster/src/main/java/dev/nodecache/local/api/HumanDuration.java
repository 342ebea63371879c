package dev.nodecache.local.api;

import java.time.Duration;
import java.time.Instant;

/** Ages as kubectl prints them (apimachinery's HumanDuration): 45s, 3m20s, 2h, 6d, 1y20d. */
final class HumanDuration {
  private HumanDuration() {}

  static String since(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return of(Duration.between(Instant.parse(timestamp), Instant.now()));
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }

  static String of(Duration d) {
    long s = d.toSeconds();
    if (s < -1) {
      return "<invalid>";
    } else if (s < 0) {
      return "0s";
    } else if (s < 60 * 2) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return s % 60 == 0 ? m + "m" : m + "m" + s % 60 + "s";
    } else if (m < 60 * 3) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return m % 60 == 0 ? h + "h" : h + "h" + m % 60 + "m";
    } else if (h < 48) {
      return h + "h";
    } else if (h < 24 * 8) {
      return h % 24 == 0 ? h / 24 + "d" : h / 24 + "d" + h % 24 + "h";
    } else if (h < 24 * 365 * 2) {
      return h / 24 + "d";
    } else if (h < 24 * 365 * 8) {
      long days = h / 24;
      return days % 365 == 0 ? days / 365 + "y" : days / 365 + "y" + days % 365 + "d";
    }
    return h / 24 / 365 + "y";
  }
}
