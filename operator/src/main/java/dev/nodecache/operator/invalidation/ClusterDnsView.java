package dev.nodecache.operator.invalidation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What cluster DNS answers, Service by Service, kept up to date from Service and EndpointSlice
 * events; each event answers the names whose answers it changed. Only the DNS-relevant part of each
 * object is kept (see {@link ServiceRecords}, {@link SliceRecords}).
 */
final class ClusterDnsView {
  /** The names one event invalidates: Services (subtrees) and PTR names (exact). */
  record Changed(Set<ServiceKey> services, Set<String> reverseNames) {
    static final Changed NOTHING = new Changed(Set.of(), Set.of());

    boolean isEmpty() {
      return services.isEmpty() && reverseNames.isEmpty();
    }
  }

  private final Map<ServiceKey, Service> services = new HashMap<>();
  private final Map<ServiceKey, ServiceRecords> answers = new HashMap<>();

  /** Slices by "namespace/name" and, for each Service, the names of its slices. */
  private final Map<String, SliceRecords> slices = new HashMap<>();

  private final Map<ServiceKey, Map<String, SliceRecords>> slicesOf = new HashMap<>();

  synchronized Changed serviceChanged(Service s) {
    ServiceKey key = key(s);
    services.put(key, reduced(s));
    return recompute(key);
  }

  synchronized Changed serviceDeleted(Service s) {
    ServiceKey key = key(s);
    services.remove(key);
    return recompute(key);
  }

  synchronized Changed sliceChanged(EndpointSlice slice) {
    String id = slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName();
    SliceRecords now = SliceRecords.of(slice);
    SliceRecords before = now == null ? slices.remove(id) : slices.put(id, now);
    return afterSlice(id, before, now);
  }

  synchronized Changed sliceDeleted(EndpointSlice slice) {
    String id = slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName();
    return afterSlice(id, slices.remove(id), null);
  }

  synchronized int serviceCount() {
    return services.size();
  }

  synchronized int sliceCount() {
    return slices.size();
  }

  private Changed afterSlice(String id, SliceRecords before, SliceRecords now) {
    Set<String> reverse = new LinkedHashSet<>();
    Set<ServiceKey> changed = new LinkedHashSet<>();
    if (before != null && (now == null || !before.service().equals(now.service()))) {
      Map<String, SliceRecords> of = slicesOf.get(before.service());
      if (of != null) {
        of.remove(id);
        if (of.isEmpty()) {
          slicesOf.remove(before.service());
        }
      }
      merge(recompute(before.service()), changed, reverse);
    }
    if (now != null) {
      slicesOf.computeIfAbsent(now.service(), k -> new HashMap<>()).put(id, now);
      merge(recompute(now.service()), changed, reverse);
    }
    return changed.isEmpty() && reverse.isEmpty() ? Changed.NOTHING : new Changed(changed, reverse);
  }

  /** The Service's answers anew; its names and its old and new PTR names when they changed. */
  private Changed recompute(ServiceKey key) {
    Service s = services.get(key);
    Collection<SliceRecords> its = slicesOf.getOrDefault(key, Map.of()).values();
    ServiceRecords now = s == null ? ServiceRecords.ABSENT : ServiceRecords.of(s, its);
    ServiceRecords before =
        now == ServiceRecords.ABSENT ? answers.remove(key) : answers.put(key, now);
    if (before == null) {
      before = ServiceRecords.ABSENT;
    }
    if (before.equals(now)) {
      return Changed.NOTHING;
    }
    Set<String> reverse = new LinkedHashSet<>(before.reverseNames());
    reverse.addAll(now.reverseNames());
    return new Changed(Set.of(key), reverse);
  }

  private static void merge(Changed c, Set<ServiceKey> services, Set<String> reverse) {
    services.addAll(c.services());
    reverse.addAll(c.reverseNames());
  }

  private static ServiceKey key(Service s) {
    return new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
  }

  /** Only the spec is needed to recompute; the rest of the object is not kept. */
  private static Service reduced(Service s) {
    Service r = new Service();
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    r.getMetadata().setNamespace(s.getMetadata().getNamespace());
    r.getMetadata().setName(s.getMetadata().getName());
    r.setSpec(s.getSpec());
    return r;
  }

  /** For tests and status: every Service it holds. */
  synchronized List<ServiceKey> serviceKeys() {
    return new ArrayList<>(services.keySet());
  }
}
