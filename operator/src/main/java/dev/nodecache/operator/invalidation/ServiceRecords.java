package dev.nodecache.operator.invalidation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Everything cluster DNS answers for one Service (the Kubernetes DNS specification): its type,
 * ClusterIPs, ports, ExternalName and, for a headless Service only, its ready endpoints. Two equal
 * values give equal answers, so a change of this value is exactly a change that must invalidate:
 * the endpoints of a Service with a ClusterIP are not part of it.
 */
record ServiceRecords(
    String type,
    List<String> clusterIps,
    List<String> ports,
    String externalName,
    List<Endpoint> endpoints,
    List<String> endpointPorts) {

  /** What DNS answers for a Service that does not exist: nothing (NXDOMAIN). */
  static final ServiceRecords ABSENT = new ServiceRecords("", List.of(), List.of(), "", null, null);

  static ServiceRecords of(Service service, Collection<SliceRecords> slices) {
    ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
    String type = Objects.requireNonNullElse(spec.getType(), "ClusterIP");
    TreeSet<String> ips = new TreeSet<>();
    if (spec.getClusterIPs() != null) {
      spec.getClusterIPs().stream().filter(Objects::nonNull).forEach(ips::add);
    }
    if (spec.getClusterIP() != null) {
      ips.add(spec.getClusterIP());
    }
    boolean headless = ips.contains("None") || (ips.isEmpty() && !"ExternalName".equals(type));
    TreeSet<String> ports = new TreeSet<>();
    if (spec.getPorts() != null) {
      for (ServicePort p : spec.getPorts()) {
        ports.add(p.getName() + "/" + p.getProtocol() + "/" + p.getPort());
      }
    }
    List<Endpoint> endpoints = null;
    List<String> endpointPorts = null;
    if (headless && !"ExternalName".equals(type)) {
      TreeSet<Endpoint> all = new TreeSet<>();
      TreeSet<String> allPorts = new TreeSet<>();
      for (SliceRecords s : slices) {
        all.addAll(s.endpoints());
        if (!s.endpoints().isEmpty()) {
          allPorts.addAll(s.ports()); // a slice without ready endpoints answers no SRV
        }
      }
      endpoints = List.copyOf(all);
      endpointPorts = List.copyOf(allPorts);
    }
    ips.remove("None");
    return new ServiceRecords(
        type,
        List.copyOf(ips),
        List.copyOf(ports),
        "ExternalName".equals(type) ? Objects.requireNonNullElse(spec.getExternalName(), "") : "",
        endpoints,
        endpointPorts);
  }

  /** The PTR names of every address it answers: ClusterIPs and headless endpoint addresses. */
  List<String> reverseNames() {
    List<String> out = new ArrayList<>();
    clusterIps.forEach(ip -> addReverse(ip, out));
    if (endpoints != null) {
      endpoints.forEach(e -> addReverse(e.ip(), out));
    }
    return out;
  }

  private static void addReverse(String ip, List<String> out) {
    String name = ReverseNames.of(ip);
    if (name != null) {
      out.add(name);
    }
  }
}
