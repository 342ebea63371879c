package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * Writes a policy's status so that it cannot go stale: the whole status subresource replaced (no
 * patch computed against a cached copy, which fails once the cache lags behind the stored object),
 * with the resourceVersion, retried on conflict against a fresher copy; and the result put into
 * JOSDK's cache, so the next reconcile starts from what was written even if the informer has not
 * seen it yet.
 */
final class StatusWriter {
  private StatusWriter() {}

  static void write(
      DnsCachePolicy policy, DnsCachePolicyStatus status, Context<DnsCachePolicy> context) {
    if (same(policy.getStatus(), status)) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        policy,
        context,
        fresh -> {
          fresh.setStatus(status);
          return fresh;
        });
  }

  static boolean same(DnsCachePolicyStatus a, DnsCachePolicyStatus b) {
    return a != null && Serialization.asJson(a).equals(Serialization.asJson(b));
  }
}
