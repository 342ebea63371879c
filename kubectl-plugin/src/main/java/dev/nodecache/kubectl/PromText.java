package dev.nodecache.kubectl;

import java.util.ArrayList;
import java.util.List;

/** The samples of a Prometheus text exposition, enough to sum a metric or read its series. */
final class PromText {
  record Sample(String name, String labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  PromText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      String name;
      String labels = "";
      if (brace > 0 && brace < space) {
        name = line.substring(0, brace);
        labels = line.substring(brace + 1, line.lastIndexOf('}', space));
      } else {
        name = line.substring(0, space).strip();
      }
      try {
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
      } catch (NumberFormatException e) {
        // a timestamp after the value, or something unexpected: not a sample we read
      }
    }
  }

  /** The sum over every series of {@code name}; 0 when absent. */
  double sum(String name) {
    double s = 0;
    for (Sample x : samples) {
      if (x.name().equals(name)) {
        s += x.value();
      }
    }
    return s;
  }

  List<Sample> series(String name) {
    return samples.stream().filter(x -> x.name().equals(name)).toList();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(x -> x.name().equals(name));
  }
}
