package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * A policy update that needs a reconcile: its spec (generation) or its annotations (a flush
 * request) changed, or it is being deleted. Updates of the status alone, the reconciler's own
 * writes, do not: flush progress and DaemonSet changes arrive through their own event sources.
 */
public final class SpecOrAnnotationsChanged implements OnUpdateFilter<DnsCachePolicy> {
  @Override
  public boolean accept(DnsCachePolicy now, DnsCachePolicy before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
        || now.getMetadata().getDeletionTimestamp() != null;
  }
}
