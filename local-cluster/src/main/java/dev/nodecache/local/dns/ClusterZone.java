package dev.nodecache.local.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster domain as cluster DNS serves it (the Kubernetes DNS specification, as CoreDNS's
 * kubernetes plugin answers it), read from the API's Services and EndpointSlices through informers
 * on every query: no cache of its own, so an answer changes as soon as the API object does.
 *
 * <ul>
 *   <li>{@code svc.ns.svc.DOMAIN}: A of the ClusterIP; of each ready endpoint when headless; CNAME
 *       to the externalName for an ExternalName Service.
 *   <li>{@code host.svc.ns.svc.DOMAIN}: a headless endpoint by its hostname or dashed IP.
 *   <li>{@code _port._proto.svc.ns.svc.DOMAIN}: SRV, one per endpoint when headless (by the
 *       endpoints' ports, as CoreDNS).
 *   <li>{@code d.c.b.a.in-addr.arpa}: PTR of a ClusterIP or of a headless endpoint.
 * </ul>
 */
final class ClusterZone implements AutoCloseable {
  static final String SERVICE_LABEL = "kubernetes.io/service-name";

  /** One record to answer with: its owner name (absolute), type, and data as text. */
  record Rr(String name, int type, String data) {}

  /** Everything a name has: its records of every type; {@code exists} for an empty name. */
  record Lookup(boolean exists, List<Rr> records) {
    static final Lookup NONE = new Lookup(false, List.of());
  }

  private final String domain;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;

  ClusterZone(KubernetesClient client, String domain) {
    this.domain = domain;
    this.services = client.services().inAnyNamespace().inform();
    this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().inform();
  }

  String domain() {
    return domain;
  }

  /** Whether this zone answers for {@code name} (absolute, lower case). */
  boolean covers(String name) {
    return name.equals(domain + ".")
        || name.endsWith("." + domain + ".")
        || name.endsWith(".in-addr.arpa.");
  }

  /** The zone a negative answer's SOA names. */
  String zoneOf(String name) {
    return name.endsWith(".in-addr.arpa.") ? "in-addr.arpa." : domain + ".";
  }

  Lookup lookup(String name) {
    if (name.endsWith(".in-addr.arpa.")) {
      return reverse(name);
    }
    String relative =
        name.equals(domain + ".") ? "" : name.substring(0, name.length() - domain.length() - 2);
    String[] labels = relative.isEmpty() ? new String[0] : relative.split("\\.");
    int n = labels.length;
    if (n == 0 || (n == 1 && labels[0].equals("svc"))) {
      return new Lookup(true, List.of());
    }
    if (labels[n - 1].equals("svc") && n == 2) {
      return new Lookup(!servicesIn(labels[0]).isEmpty(), List.of());
    }
    if (!labels[n - 1].equals("svc") || n > 5) {
      return Lookup.NONE;
    }
    Service s = services.getStore().getByKey(labels[n - 2] + "/" + labels[n - 3]);
    if (s == null || s.getSpec() == null) {
      return Lookup.NONE;
    }
    String svcName = svcName(s);
    if (n == 3) {
      return serviceRecords(s, svcName);
    }
    if (n == 5 && labels[0].startsWith("_") && labels[1].startsWith("_")) {
      return srv(s, svcName, labels[0].substring(1), labels[1].substring(1), name);
    }
    if (n == 4 && headless(s)) {
      for (Endpoint e : readyEndpoints(s)) {
        if (labels[0].equals(hostLabel(e))) {
          List<Rr> out = new ArrayList<>();
          e.getAddresses().forEach(a -> out.add(address(name, a)));
          return new Lookup(true, out);
        }
      }
    }
    return Lookup.NONE;
  }

  private Lookup serviceRecords(Service s, String name) {
    List<Rr> out = new ArrayList<>();
    if ("ExternalName".equals(s.getSpec().getType())) {
      out.add(new Rr(name, org.xbill.DNS.Type.CNAME, s.getSpec().getExternalName() + "."));
      return new Lookup(true, out);
    }
    if (headless(s)) {
      List<Endpoint> ready = readyEndpoints(s);
      if (ready.isEmpty()) {
        return Lookup.NONE; // as CoreDNS: a headless Service without ready endpoints has no name
      }
      for (Endpoint e : ready) {
        e.getAddresses().forEach(a -> out.add(address(name, a)));
      }
    } else {
      List<String> ips =
          s.getSpec().getClusterIPs() == null || s.getSpec().getClusterIPs().isEmpty()
              ? List.of(s.getSpec().getClusterIP())
              : s.getSpec().getClusterIPs();
      ips.forEach(ip -> out.add(address(name, ip)));
    }
    if (s.getSpec().getPorts() != null) {
      for (ServicePort p : s.getSpec().getPorts()) {
        out.add(new Rr(name, org.xbill.DNS.Type.SRV, "0 100 " + p.getPort() + " " + name));
      }
    }
    return new Lookup(true, out);
  }

  private Lookup srv(Service s, String svcName, String port, String proto, String name) {
    List<Rr> out = new ArrayList<>();
    if (headless(s)) {
      // As CoreDNS does: a headless Service's SRV records come from its endpoints' ports.
      for (EndpointSlice slice : slicesOf(s)) {
        Integer number = portOf(slice, port, proto);
        if (number == null) {
          continue;
        }
        for (Endpoint e : ready(s, slice)) {
          out.add(
              new Rr(
                  name,
                  org.xbill.DNS.Type.SRV,
                  "0 100 " + number + " " + hostLabel(e) + "." + svcName));
        }
      }
    } else if (s.getSpec().getPorts() != null) {
      for (ServicePort p : s.getSpec().getPorts()) {
        if (port.equals(p.getName()) && proto.equalsIgnoreCase(p.getProtocol())) {
          out.add(new Rr(name, org.xbill.DNS.Type.SRV, "0 100 " + p.getPort() + " " + svcName));
        }
      }
    }
    return out.isEmpty() ? Lookup.NONE : new Lookup(true, out);
  }

  private Lookup reverse(String name) {
    String ip = ipOf(name);
    if (ip == null) {
      return new Lookup(true, List.of()); // an empty non-terminal such as 10.in-addr.arpa
    }
    for (Service s : services.getStore().list()) {
      String svcName = svcName(s);
      if (s.getSpec() == null || svcName == null) {
        continue;
      }
      if (!headless(s)
          && s.getSpec().getClusterIPs() != null
          && s.getSpec().getClusterIPs().contains(ip)) {
        return new Lookup(true, List.of(new Rr(name, org.xbill.DNS.Type.PTR, svcName)));
      }
      if (headless(s)) {
        for (Endpoint e : readyEndpoints(s)) {
          if (e.getAddresses().contains(ip)) {
            return new Lookup(
                true, List.of(new Rr(name, org.xbill.DNS.Type.PTR, hostLabel(e) + "." + svcName)));
          }
        }
      }
    }
    return Lookup.NONE;
  }

  private String svcName(Service s) {
    var m = s.getMetadata();
    return m.getName() + "." + m.getNamespace() + ".svc." + domain + ".";
  }

  private List<Service> servicesIn(String namespace) {
    return services.getStore().list().stream()
        .filter(s -> namespace.equals(s.getMetadata().getNamespace()))
        .toList();
  }

  private static boolean headless(Service s) {
    return "None".equals(s.getSpec().getClusterIP());
  }

  private List<EndpointSlice> slicesOf(Service s) {
    String ns = s.getMetadata().getNamespace();
    String svc = s.getMetadata().getName();
    List<EndpointSlice> out = new ArrayList<>();
    for (EndpointSlice slice : slices.getStore().list()) {
      var labels = slice.getMetadata().getLabels();
      if (ns.equals(slice.getMetadata().getNamespace())
          && labels != null
          && svc.equals(labels.get(SERVICE_LABEL))
          && !"FQDN".equals(slice.getAddressType())) {
        out.add(slice);
      }
    }
    return out;
  }

  private List<Endpoint> readyEndpoints(Service s) {
    List<Endpoint> out = new ArrayList<>();
    slicesOf(s).forEach(slice -> out.addAll(ready(s, slice)));
    return out;
  }

  /** Ready (unset counts as ready), or all with publishNotReadyAddresses. */
  private static List<Endpoint> ready(Service s, EndpointSlice slice) {
    boolean all = Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses());
    List<Endpoint> out = new ArrayList<>();
    for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
      boolean ready =
          e.getConditions() == null
              || e.getConditions().getReady() == null
              || e.getConditions().getReady();
      if ((ready || all) && e.getAddresses() != null && !e.getAddresses().isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  private static Integer portOf(EndpointSlice slice, String name, String proto) {
    if (slice.getPorts() == null) {
      return null;
    }
    for (var p : slice.getPorts()) {
      String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (name.equals(p.getName()) && proto.equalsIgnoreCase(protocol)) {
        return p.getPort();
      }
    }
    return null;
  }

  /** An endpoint's label: its hostname, else its first address with dashes. */
  private static String hostLabel(Endpoint e) {
    if (e.getHostname() != null && !e.getHostname().isEmpty()) {
      return e.getHostname().toLowerCase(Locale.ROOT);
    }
    return e.getAddresses().get(0).replace('.', '-').replace(':', '-');
  }

  private static Rr address(String name, String ip) {
    return new Rr(name, ip.contains(":") ? org.xbill.DNS.Type.AAAA : org.xbill.DNS.Type.A, ip);
  }

  /** "4.3.2.1.in-addr.arpa." to "1.2.3.4", or null unless it has four octets. */
  private static String ipOf(String name) {
    String[] l = name.substring(0, name.length() - ".in-addr.arpa.".length()).split("\\.");
    if (l.length != 4) {
      return null;
    }
    StringBuilder ip = new StringBuilder();
    for (int i = 3; i >= 0; i--) {
      // Digits only: never a string that InetAddress would look up.
      if (!l[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(l[i]) > 255) {
        return null;
      }
      ip.append(l[i]).append(i == 0 ? "" : ".");
    }
    return ip.toString();
  }

  @Override
  public void close() {
    services.close();
    slices.close();
  }
}
