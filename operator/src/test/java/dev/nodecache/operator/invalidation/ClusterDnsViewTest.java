package dev.nodecache.operator.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which API changes change a cluster DNS answer, and which names they invalidate: exactly the
 * Service's subtree and the PTR names of its old and new addresses; endpoint churn behind a
 * ClusterIP invalidates nothing.
 */
class ClusterDnsViewTest {
  final ClusterDnsView view = new ClusterDnsView();
  static final ServiceKey DB = new ServiceKey("default", "db");

  static Service clusterIp(String name, String ip, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP(ip)
        .withClusterIPs(ip)
        .addNewPort()
        .withName("pg")
        .withProtocol("TCP")
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  static Service headless(String name) {
    return clusterIp(name, "None", 5432);
  }

  static EndpointSlice slice(String service, String name, Boolean ready, String... ips) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName(name)
            .addToLabels("kubernetes.io/service-name", service)
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("pg")
            .withProtocol("TCP")
            .withPort(5432)
            .endPort();
    int i = 0;
    for (String ip : ips) {
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses(ip)
              .withHostname("pg-" + i++)
              .withNewConditions()
              .withReady(ready)
              .endConditions()
              .build());
    }
    return b.build();
  }

  @Test
  void aNewServiceInvalidatesItsNameAndItsPtr() {
    ClusterDnsView.Changed c = view.serviceChanged(clusterIp("db", "10.96.0.5", 5432));
    assertEquals(Set.of(DB), c.services());
    assertEquals(Set.of("5.0.96.10.in-addr.arpa"), c.reverseNames());
  }

  @Test
  void theSameServiceAgainInvalidatesNothing() {
    view.serviceChanged(clusterIp("db", "10.96.0.5", 5432));
    assertTrue(view.serviceChanged(clusterIp("db", "10.96.0.5", 5432)).isEmpty());
  }

  @Test
  void aReCreatedServiceInvalidatesTheOldAndTheNewPtr() {
    view.serviceChanged(clusterIp("db", "10.96.0.5", 5432));
    ClusterDnsView.Changed deleted = view.serviceDeleted(clusterIp("db", "10.96.0.5", 5432));
    assertEquals(Set.of(DB), deleted.services());
    assertEquals(Set.of("5.0.96.10.in-addr.arpa"), deleted.reverseNames());
    view.serviceChanged(clusterIp("db", "10.96.0.7", 5432));
    ClusterDnsView.Changed moved = view.serviceChanged(clusterIp("db", "10.96.0.8", 5432));
    assertEquals(Set.of("7.0.96.10.in-addr.arpa", "8.0.96.10.in-addr.arpa"), moved.reverseNames());
  }

  @Test
  void aChangedPortChangesTheSrvAnswers() {
    view.serviceChanged(clusterIp("db", "10.96.0.5", 5432));
    assertEquals(Set.of(DB), view.serviceChanged(clusterIp("db", "10.96.0.5", 6432)).services());
  }

  @Test
  void endpointChurnBehindAClusterIpInvalidatesNothing() {
    view.serviceChanged(clusterIp("db", "10.96.0.5", 5432));
    assertTrue(view.sliceChanged(slice("db", "db-1", true, "10.0.0.1")).isEmpty());
    assertTrue(view.sliceChanged(slice("db", "db-1", true, "10.0.0.1", "10.0.0.2")).isEmpty());
    assertTrue(view.sliceDeleted(slice("db", "db-1", true)).isEmpty());
  }

  @Test
  void aHeadlessServiceFollowsItsReadyEndpoints() {
    view.serviceChanged(headless("pg"));
    ServiceKey pg = new ServiceKey("default", "pg");
    ClusterDnsView.Changed up = view.sliceChanged(slice("pg", "pg-1", true, "10.0.0.1"));
    assertEquals(Set.of(pg), up.services());
    assertEquals(Set.of("1.0.0.10.in-addr.arpa"), up.reverseNames());
    ClusterDnsView.Changed scaled =
        view.sliceChanged(slice("pg", "pg-1", true, "10.0.0.1", "10.0.0.2"));
    assertEquals(Set.of(pg), scaled.services());
    assertTrue(
        view.sliceChanged(slice("pg", "pg-1", null, "10.0.0.1", "10.0.0.2")).isEmpty(),
        "ready unset is ready: no change");
    ClusterDnsView.Changed notReady =
        view.sliceChanged(slice("pg", "pg-1", false, "10.0.0.1", "10.0.0.2"));
    assertEquals(Set.of(pg), notReady.services(), "not ready any more: no longer answered");
    ClusterDnsView.Changed gone = view.sliceDeleted(slice("pg", "pg-1", false));
    assertTrue(gone.isEmpty(), "its endpoints were not answered any more");
  }

  @Test
  void anExternalNameChangeInvalidatesTheName() {
    Service ext =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("ext")
            .endMetadata()
            .withNewSpec()
            .withType("ExternalName")
            .withExternalName("www.example.com")
            .endSpec()
            .build();
    view.serviceChanged(ext);
    ext.getSpec().setExternalName("api.example.com");
    ClusterDnsView.Changed c = view.serviceChanged(ext);
    assertEquals(Set.of(new ServiceKey("default", "ext")), c.services());
    assertTrue(c.reverseNames().isEmpty());
  }

  @Test
  void batchesNameTheSubtreesAndCatchUpInOneRangeOrResync() {
    PendingNames pending = new PendingNames(3);
    BatchLog log = new BatchLog(2, 200);
    pending.add(view.serviceChanged(clusterIp("db", "10.96.0.5", 5432)), 1000);
    pending.add(view.serviceChanged(clusterIp("db", "10.96.0.5", 6432)), 1001);
    Batch b1 = pending.drain(1);
    assertEquals(List.of(DB), b1.services(), "two changes of one Service: one name");
    assertEquals(1000, b1.changedAt(), "the oldest change counts for the lag");
    log.add(b1);
    assertEquals(
        List.of("*.db.default.svc.cluster.local", "5.0.96.10.in-addr.arpa"),
        log.names(0, 1, "cluster.local"));
    BatchLog small = new BatchLog(2, 40);
    small.add(b1);
    assertNull(small.names(0, 1, "cluster.local"), "more than one message carries: a resync");
    assertNull(pending.drain(2), "nothing pending: no batch");

    for (String n : List.of("a", "b", "c", "e")) {
      pending.add(view.serviceChanged(clusterIp(n, "None", 1)), 2000);
    }
    Batch overflow = pending.drain(2);
    assertNull(overflow.services(), "past the limit the batch is a resync");
    log.add(overflow);
    assertNull(log.names(1, 2, "cluster.local"), "a range with a resync cannot be caught up");
    pending.add(view.serviceChanged(clusterIp("d", "None", 1)), 3000);
    log.add(pending.drain(3));
    assertNull(log.names(0, 3, "cluster.local"), "batch 1 fell out of the log");
    assertEquals(List.of("*.d.default.svc.example.org"), log.names(2, 3, "example.org"));
  }

  @Test
  void oddInputIsHandledAndNothingIsKeptForWhatDnsDoesNotAnswer() {
    EndpointSlice unlabelled = slice("db", "stray-1", true, "10.244.0.9");
    unlabelled.getMetadata().setLabels(null);
    assertTrue(view.sliceChanged(unlabelled).isEmpty(), "no service-name label: no Service");
    assertEquals(0, view.sliceCount(), "and nothing kept for it");

    view.serviceChanged(headless("db"));
    EndpointSlice labelled = slice("db", "db-1", true, "10.244.0.10");
    assertEquals(Set.of(DB), view.sliceChanged(labelled).services());
    labelled.getMetadata().setLabels(java.util.Map.of());
    assertEquals(Set.of(DB), view.sliceChanged(labelled).services(), "its label removed");
    assertEquals(0, view.sliceCount());

    Service many = headless("many-ports");
    for (int p = 1; p < 250; p++) {
      many.getSpec()
          .getPorts()
          .add(
              new io.fabric8.kubernetes.api.model.ServicePortBuilder()
                  .withName("p" + p)
                  .withProtocol("UDP")
                  .withPort(p)
                  .build());
    }
    String longName = "a".repeat(63);
    Service odd = clusterIp(longName, "10.96.9.9", 80);
    odd.getMetadata().setNamespace("n".repeat(63));
    assertEquals(
        Set.of(new ServiceKey("default", "many-ports")), view.serviceChanged(many).services());
    PendingNames pending = new PendingNames(50_000);
    pending.add(view.serviceChanged(odd), 1);
    BatchLog log = new BatchLog(4, 3 * 1024 * 1024);
    log.add(pending.drain(1));
    assertEquals(
        List.of(
            "*." + longName + "." + "n".repeat(63) + ".svc.cluster.local",
            "9.9.96.10.in-addr.arpa"),
        log.names(0, 1, "cluster.local"));
  }

  @Test
  void tenThousandServicesAtOnceAreOneBatchThatOneMessageCarries() {
    PendingNames pending = new PendingNames(50_000);
    for (int i = 0; i < 10_000; i++) {
      pending.add(
          view.serviceChanged(
              clusterIp("svc-" + i, "10.96." + (i / 250) + "." + (i % 250 + 1), 80)),
          1000 + i);
    }
    Batch b = pending.drain(1);
    assertEquals(10_000, b.services().size());
    BatchLog log = new BatchLog(1024, 3 * 1024 * 1024);
    log.add(b);
    List<String> names = log.names(0, 1, "cluster.local");
    assertEquals(20_000, names.size(), "each Service's subtree and its PTR");
    String message = InvalidationRequest.json("stream", 0, 1, names, 1000);
    assertTrue(
        message.length() < 4 * 1024 * 1024,
        "below what an agent reads in one message: " + message.length());
  }
}
