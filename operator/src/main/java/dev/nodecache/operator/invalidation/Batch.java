package dev.nodecache.operator.invalidation;

import java.util.List;

/**
 * One batch of the stream: the Services (subtrees) and PTR names whose answers changed, and when
 * the operator saw the oldest of those changes (epoch millis).
 */
record Batch(long seq, List<ServiceKey> services, List<String> reverseNames, long changedAt) {
  int size() {
    return services.size() + reverseNames.size();
  }
}
