package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the embedded API serves: the built-in kinds the operator, the simulated kubelet and kubectl
 * use, and one kind per served version of each stored CustomResourceDefinition (re-read whenever a
 * CRD is written, as the apiextensions server starts serving a CRD once it is stored).
 */
public final class ServedKinds {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  static final List<ResourceKind> BUILT_IN =
      List.of(
          ResourceKind.builtIn("", "namespaces", "Namespace", false, List.of("ns"), true),
          ResourceKind.builtIn("", "nodes", "Node", false, List.of("no"), true),
          ResourceKind.builtIn("", "pods", "Pod", true, List.of("po"), true),
          ResourceKind.builtIn("", "services", "Service", true, List.of("svc"), true),
          ResourceKind.builtIn("", "configmaps", "ConfigMap", true, List.of("cm"), false),
          ResourceKind.builtIn("", "secrets", "Secret", true, List.of(), false),
          ResourceKind.builtIn("", "serviceaccounts", "ServiceAccount", true, List.of("sa"), false),
          ResourceKind.builtIn("", "events", "Event", true, List.of("ev"), false),
          ResourceKind.builtIn("", "endpoints", "Endpoints", true, List.of("ep"), false),
          ResourceKind.builtIn("apps", "daemonsets", "DaemonSet", true, List.of("ds"), true),
          ResourceKind.builtIn("apps", "deployments", "Deployment", true, List.of("deploy"), true),
          ResourceKind.builtIn(
              "discovery.k8s.io", "endpointslices", "EndpointSlice", true, List.of(), false),
          ResourceKind.builtIn("coordination.k8s.io", "leases", "Lease", true, List.of(), false),
          ResourceKind.builtIn(
              "apiextensions.k8s.io",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds"),
              true));

  private final ApiStorage storage;
  private volatile List<ResourceKind> custom = List.of();

  public ServedKinds(ApiStorage storage) {
    this.storage = storage;
  }

  /** Re-reads the stored CRDs; returns the custom kinds now served. */
  public List<ResourceKind> refresh() {
    try {
      ApiStorage.Reply r = storage.get(CRDS);
      List<ResourceKind> kinds = new ArrayList<>();
      for (JsonNode crd : JSON.readTree(r.body()).path("items")) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        for (JsonNode v : spec.path("versions")) {
          if (!v.path("served").asBoolean(true)) {
            continue;
          }
          List<String> shortNames = new ArrayList<>();
          names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
          kinds.add(
              new ResourceKind(
                  spec.path("group").asText(),
                  v.path("name").asText(),
                  names.path("plural").asText(),
                  names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                  names.path("kind").asText(),
                  "Namespaced".equals(spec.path("scope").asText()),
                  List.copyOf(shortNames),
                  v.path("subresources").has("status"),
                  crd));
        }
      }
      custom = List.copyOf(kinds);
      return custom;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<ResourceKind> all() {
    List<ResourceKind> all = new ArrayList<>(BUILT_IN);
    all.addAll(custom);
    return all;
  }

  public List<ResourceKind> custom() {
    return custom;
  }

  /** The kind a path addresses, or null when nothing is served there. */
  public ResourceKind find(ResourcePath path) {
    for (ResourceKind k : all()) {
      if (k.group().equals(path.group())
          && k.version().equals(path.version())
          && k.plural().equals(path.plural())) {
        return k;
      }
    }
    return null;
  }
}
