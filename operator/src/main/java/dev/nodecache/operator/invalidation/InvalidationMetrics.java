package dev.nodecache.operator.invalidation;

/** What the publisher reports to the operator's /metrics. */
public interface InvalidationMetrics {
  InvalidationMetrics NONE =
      new InvalidationMetrics() {
        @Override
        public void batch(int names) {}

        @Override
        public void pushed(String result) {}

        @Override
        public void applied(double lagSeconds) {}
      };

  /** A batch was made of {@code names} names (0: a resync). */
  void batch(int names);

  /** One message to an agent ended: ok, resynced, failed, refused. */
  void pushed(String result);

  /** An agent applied a change this long after the operator saw it. */
  void applied(double lagSeconds);
}
