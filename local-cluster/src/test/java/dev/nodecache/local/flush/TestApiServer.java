package dev.nodecache.local.flush;

import dev.nodecache.local.LocalCluster;
import dev.nodecache.local.api.ApiStorage;
import dev.nodecache.local.api.KubeApiFront;
import dev.nodecache.local.watch.WatchCache;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * The local cluster's embedded API in-process (storage, watch cache, front) with the CRD and the
 * namespaces the flush tests use, and a client of it.
 */
final class TestApiServer implements AutoCloseable {
  private final ApiStorage storage;
  private final WatchCache watches;
  private final KubeApiFront front;
  final KubernetesClient client;

  /** Every watch event delivered {@code watchLag} late (ZERO: at once). */
  TestApiServer(Duration watchLag, String... namespaces) throws Exception {
    storage = ApiStorage.start();
    watches = new WatchCache(storage.directClient(), storage::nextResourceVersion, 2_000, watchLag);
    front =
        new KubeApiFront(
            new InetSocketAddress("127.0.0.1", 0), storage, watches, (ns, pod) -> null);
    client = LocalCluster.clientOf(front.uri());
    for (String ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    try (FileInputStream crd = new FileInputStream(Fixtures.crd().toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
  }

  URI uri() {
    return front.uri();
  }

  @Override
  public void close() {
    client.close();
    front.close();
    watches.close();
    storage.close();
  }
}
