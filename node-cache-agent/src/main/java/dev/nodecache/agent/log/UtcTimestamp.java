package dev.nodecache.agent.log;

/**
 * A log line's time, ISO 8601 in UTC with milliseconds ({@code 2026-12-07T20:06:36.989Z}), written
 * by hand: java.time's formatter is 50 classes (and 0.4 MiB of every agent) for one line shape.
 */
final class UtcTimestamp {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private UtcTimestamp() {}

  static void append(long epochMillis, StringBuilder sb) {
    long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    // Days to the proleptic Gregorian date (H. Hinnant's civil_from_days): eras of 400 years
    // starting on 0000-03-01, so that the leap day ends a year.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    pad(year, 4, sb).append('-');
    pad(month, 2, sb).append('-');
    pad(day, 2, sb).append('T');
    pad(millisOfDay / 3_600_000, 2, sb).append(':');
    pad(millisOfDay / 60_000 % 60, 2, sb).append(':');
    pad(millisOfDay / 1_000 % 60, 2, sb).append('.');
    pad(millisOfDay % 1_000, 3, sb).append('Z');
  }

  private static StringBuilder pad(long value, int digits, StringBuilder sb) {
    for (long limit = 10; --digits > 0; limit *= 10) {
      if (value < limit) {
        sb.append('0');
      }
    }
    return sb.append(value);
  }
}
