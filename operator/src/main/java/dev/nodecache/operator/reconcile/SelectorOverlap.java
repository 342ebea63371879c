package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Two policies must not put two agents on one node. Node selectors are equality maps, so two of
 * them can select the same node unless some label is required with different values by each. Of two
 * overlapping policies, the later one (creation time, then name) is the one in conflict.
 */
final class SelectorOverlap {
  private SelectorOverlap() {}

  static boolean overlaps(Map<String, String> a, Map<String, String> b) {
    Map<String, String> x = a == null ? Map.of() : a;
    Map<String, String> y = b == null ? Map.of() : b;
    for (Map.Entry<String, String> e : x.entrySet()) {
      String other = y.get(e.getKey());
      if (other != null && !other.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The earlier policy, itself running agents, whose nodes {@code policy} overlaps, if any. A
   * policy that is in conflict runs no agents, so it does not block the ones after it.
   */
  static Optional<DnsCachePolicy> earlierOverlapping(
      DnsCachePolicy policy, Stream<DnsCachePolicy> all) {
    List<DnsCachePolicy> ordered =
        all.filter(o -> o.getMetadata().getDeletionTimestamp() == null)
            .filter(o -> o.getSpec() != null)
            .filter(o -> ORDER.compare(o, policy) < 0)
            .sorted(ORDER)
            .toList();
    List<DnsCachePolicy> running = new ArrayList<>();
    for (DnsCachePolicy p : ordered) {
      if (firstOverlapping(p, running).isEmpty()) {
        running.add(p);
      }
    }
    return firstOverlapping(policy, running);
  }

  private static Optional<DnsCachePolicy> firstOverlapping(
      DnsCachePolicy policy, List<DnsCachePolicy> running) {
    return running.stream()
        .filter(o -> overlaps(o.getSpec().nodeSelector, policy.getSpec().nodeSelector))
        .findFirst();
  }

  static final Comparator<DnsCachePolicy> ORDER =
      Comparator.comparing(
              (DnsCachePolicy p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
          .thenComparing(p -> p.getMetadata().getName());
}
