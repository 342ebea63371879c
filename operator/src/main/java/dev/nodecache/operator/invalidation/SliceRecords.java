package dev.nodecache.operator.invalidation;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What one EndpointSlice contributes to cluster DNS: its Service, the ready addresses with their
 * hostnames, and its ports (for a headless Service's SRV records). Kept instead of the slice, so
 * the operator holds a few strings per endpoint, not the whole object.
 */
record SliceRecords(ServiceKey service, List<Endpoint> endpoints, List<String> ports) {
  static final String SERVICE_LABEL = "kubernetes.io/service-name";

  /** Null for a slice that names no Service (no label) or carries FQDNs: DNS ignores it. */
  static SliceRecords of(EndpointSlice slice) {
    var labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_LABEL);
    if (service == null || service.isEmpty() || "FQDN".equals(slice.getAddressType())) {
      return null;
    }
    TreeSet<Endpoint> endpoints = new TreeSet<>();
    if (slice.getEndpoints() != null) {
      for (var e : slice.getEndpoints()) {
        if (!ready(e.getConditions()) || e.getAddresses() == null) {
          continue;
        }
        String hostname = Objects.requireNonNullElse(e.getHostname(), "");
        for (String ip : e.getAddresses()) {
          if (ip != null) {
            endpoints.add(new Endpoint(ip, hostname));
          }
        }
      }
    }
    TreeSet<String> ports = new TreeSet<>();
    if (slice.getPorts() != null) {
      for (EndpointPort p : slice.getPorts()) {
        ports.add(p.getName() + "/" + p.getProtocol() + "/" + p.getPort());
      }
    }
    return new SliceRecords(
        new ServiceKey(slice.getMetadata().getNamespace(), service),
        List.copyOf(endpoints),
        List.copyOf(ports));
  }

  /** Ready unset means ready (the EndpointSlice API's rule). */
  private static boolean ready(EndpointConditions c) {
    return c == null || c.getReady() == null || c.getReady();
  }
}
