package dev.nodecache.agent.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed buckets, cheap to observe from every event loop: one LongAdder
 * per bucket and one for the sum, read only when scraped.
 */
final class Histogram {
  private final double[] upperBounds;
  private final LongAdder[] counts; // per bucket, not cumulative; the last one is +Inf
  private final DoubleAdder sum = new DoubleAdder();

  Histogram(double[] upperBounds) {
    this.upperBounds = upperBounds.clone();
    this.counts = new LongAdder[upperBounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void observe(double value) {
    int i = 0;
    while (i < upperBounds.length && value > upperBounds[i]) {
      i++;
    }
    counts[i].increment();
    sum.add(value);
  }

  /** The buckets, {@code _sum} and {@code _count}, with {@code labels} before {@code le}. */
  void write(TextFormat out, String name, String... labels) {
    long cumulative = 0;
    String[] withLe = Arrays.copyOf(labels, labels.length + 2);
    withLe[labels.length] = "le";
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i].sum();
      withLe[labels.length + 1] = i < upperBounds.length ? Double.toString(upperBounds[i]) : "+Inf";
      out.sample(name + "_bucket", Long.toString(cumulative), withLe);
    }
    out.sample(name + "_count", Long.toString(cumulative), labels);
    out.sample(name + "_sum", Double.toString(sum.sum()), labels);
  }
}
