package dev.nodecache.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Durations and sizes are read by hand (a regular expression loads 30 classes into every agent);
 * these are the expressions they replaced, as the reference, over many strings near the grammar.
 */
class QuantityTextTest {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})(Ki|Mi|Gi)?");
  private static final String ALPHABET = "0123456789012345msmhsKiMiGi x.-\u0663";

  @Test
  void durationsAreReadAsTheRegularExpressionReadThem() {
    assertEquals(Duration.ofSeconds(90), DurationText.parse("1m30s"));
    assertEquals(Duration.ofMillis(1_500), DurationText.parse("1s500ms"));
    assertEquals(Duration.ZERO, DurationText.parse("0"));
    assertNull(DurationText.parse("1234567890s"), "ten digits");
    assertNull(DurationText.parse("\u0663s"), "a digit, but not an ASCII one");
    assertNull(DurationText.parse("5"));
    SplittableRandom random = new SplittableRandom(11);
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      String text = randomText(random);
      Duration d = DurationText.parse(text);
      assertEquals(byExpression(text), d, '"' + text + '"');
      read += d == null ? 0 : 1;
    }
    assertTrue(read > 2_000, read + " durations among the strings");
  }

  @Test
  void sizesAreReadAsTheRegularExpressionReadThem() {
    long max = 64L << 30;
    assertEquals(48L << 20, JsonFields.sizeText("48Mi", max));
    assertEquals(Long.MAX_VALUE, JsonFields.sizeText("99999999999Gi", max));
    assertEquals(-1, JsonFields.sizeText("1234567890123456", max), "sixteen digits");
    SplittableRandom random = new SplittableRandom(13);
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      String text = randomText(random);
      long n = JsonFields.sizeText(text, max);
      assertEquals(sizeByExpression(text, max), n, '"' + text + '"');
      read += n < 0 ? 0 : 1;
    }
    assertTrue(read > 2_000, read + " sizes among the strings");
  }

  private static String randomText(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    for (int n = random.nextInt(14); n > 0; n--) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static Duration byExpression(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      at = m.end();
    }
    return total;
  }

  private static long sizeByExpression(String text, long max) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return -1;
    }
    int shift = m.group(2) == null ? 0 : "KiMiGi".indexOf(m.group(2)) / 2 * 10 + 10;
    long d = Long.parseLong(m.group(1));
    return d > max >> shift ? Long.MAX_VALUE : d << shift;
  }
}
