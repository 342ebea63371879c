package dev.nodecache.kubectl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line as kubectl hands it over: words and flags in any order, {@code --flag value},
 * {@code --flag=value} and the short forms kubectl users type ({@code -n}, {@code -o}, {@code -h}).
 * A flag that is not known is refused with the list of known ones.
 */
final class Args {
  /** Flags that take a value; every other known flag is a switch. */
  static final Set<String> VALUED =
      Set.of(
          "--names",
          "--timeout",
          "--output",
          "--namespace",
          "--kubeconfig",
          "--context",
          "--cutover",
          "--ttl",
          "--drain-lead",
          "--name",
          "--interval");

  static final Set<String> SWITCHES = Set.of("--wait", "--watch", "--help");
  private static final Map<String, String> SHORT =
      Map.of("-n", "--namespace", "-o", "--output", "-h", "--help", "-w", "--watch");

  private final List<String> words = new ArrayList<>();
  private final Map<String, String> flags = new LinkedHashMap<>();

  Args(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("--")) {
        words.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        words.add(a);
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      name = SHORT.getOrDefault(name, name);
      if (VALUED.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw new UserError(name + " needs a value");
          }
          value = argv.get(++i);
        }
      } else if (SWITCHES.contains(name)) {
        value = value == null ? "true" : value;
      } else {
        throw new UserError(
            "unknown flag "
                + a
                + "; flags: "
                + String.join(", ", new java.util.TreeSet<>(allFlags()))
                + " (kubectl nodecache --help)");
      }
      flags.put(name, value);
    }
  }

  private static List<String> allFlags() {
    List<String> all = new ArrayList<>(VALUED);
    all.addAll(SWITCHES);
    return all;
  }

  List<String> words() {
    return words;
  }

  /** The i-th word, or null. */
  String word(int i) {
    return i < words.size() ? words.get(i) : null;
  }

  String flag(String name) {
    return flags.get(name);
  }

  String flag(String name, String otherwise) {
    return flags.getOrDefault(name, otherwise);
  }

  boolean on(String name) {
    String v = flags.get(name);
    return v != null && !v.equals("false");
  }

  /** {@code 60s}, {@code 2m}, {@code 500ms}, {@code 1h30m}; a bare number is seconds. */
  Duration duration(String name, Duration otherwise) {
    String v = flags.get(name);
    return v == null ? otherwise : parseDuration(name, v);
  }

  static Duration parseDuration(String what, String v) {
    String text = v.strip();
    if (text.matches("[0-9]+")) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
    if (!text.matches("([0-9]+(ms|s|m|h))+")) {
      throw new UserError(what + " " + v + ": not a duration (e.g. 30s, 2m, 1h30m)");
    }
    Duration d = Duration.ZERO;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
    }
    return d;
  }

  /** {@code --output}: text (the default) or json. */
  boolean json() {
    String o = flag("--output", "text");
    return switch (o) {
      case "json" -> true;
      case "text", "wide" -> false;
      default -> throw new UserError("--output " + o + ": use text or json");
    };
  }
}
