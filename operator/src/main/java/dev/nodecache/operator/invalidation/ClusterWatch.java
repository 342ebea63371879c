package dev.nodecache.operator.invalidation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on every Service and EndpointSlice of the cluster, feeding {@link ClusterDnsView}; what
 * changed goes to {@code changed}. The informers keep only each object's key
 * (ReducedStateItemStore): the view holds the little DNS needs, so 50,000 EndpointSlices do not sit
 * in memory twice.
 */
final class ClusterWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  private final ClusterDnsView view = new ClusterDnsView();
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;

  ClusterWatch(KubernetesClient client, Consumer<ClusterDnsView.Changed> changed) {
    services = client.services().inAnyNamespace().runnableInformer(0);
    services.itemStore(keysOnly(client, Service.class));
    services.addEventHandler(handler(view::serviceChanged, view::serviceDeleted, changed));
    slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
    slices.itemStore(keysOnly(client, EndpointSlice.class));
    slices.addEventHandler(handler(view::sliceChanged, view::sliceDeleted, changed));
  }

  /** Lists and watches; completes when both initial lists are in the view. */
  java.util.concurrent.CompletableFuture<Void> start() {
    return java.util.concurrent.CompletableFuture.allOf(
        services.start().toCompletableFuture(), slices.start().toCompletableFuture());
  }

  /** Both informers are watching: what the view says is current. */
  boolean watching() {
    return services.isWatching() && slices.isWatching();
  }

  ClusterDnsView view() {
    return view;
  }

  private static <T extends HasMetadata> ReducedStateItemStore<T> keysOnly(
      KubernetesClient client, Class<T> type) {
    return new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE,
        type,
        client.getKubernetesSerialization(),
        "metadata.resourceVersion");
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      Function<T, ClusterDnsView.Changed> upsert,
      Function<T, ClusterDnsView.Changed> delete,
      Consumer<ClusterDnsView.Changed> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        apply(upsert, obj, changed);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        apply(upsert, newObj, changed);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        apply(delete, obj, changed);
      }
    };
  }

  private static <T extends HasMetadata> void apply(
      Function<T, ClusterDnsView.Changed> f, T obj, Consumer<ClusterDnsView.Changed> changed) {
    try {
      changed.accept(f.apply(obj));
    } catch (RuntimeException e) {
      // One odd object must not stop the stream: it is logged and the rest goes on.
      log.warn(
          "{} {}/{} not understood: {}",
          obj.getKind(),
          obj.getMetadata().getNamespace(),
          obj.getMetadata().getName(),
          e.toString());
    }
  }

  @Override
  public void close() {
    services.close();
    slices.close();
  }
}
