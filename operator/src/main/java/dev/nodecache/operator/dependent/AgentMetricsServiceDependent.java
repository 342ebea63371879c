package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.render.AgentConfigRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A headless Service over the agent pods, for Prometheus to find and scrape each one. */
public final class AgentMetricsServiceDependent extends OwnedDependent<Service> {
  public AgentMetricsServiceDependent(String namespace) {
    super(Service.class, namespace);
  }

  @Override
  protected Service desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    return desired(policy, namespace);
  }

  /**
   * Up to date when what we set is as we set it. The API server adds defaults to a Service
   * (clusterIPs, ipFamilies, sessionAffinity, internalTrafficPolicy, ...) and, without server-side
   * apply, the generic matcher took those for a difference: a PUT every reconcile, and a 409
   * whenever the cached copy was behind.
   */
  @Override
  public Matcher.Result<Service> match(
      Service actual, Service desired, DnsCachePolicy primary, Context<DnsCachePolicy> context) {
    return Matcher.Result.computed(matches(actual, desired), desired);
  }

  static boolean matches(Service actual, Service desired) {
    ServiceSpec a = actual.getSpec();
    ServiceSpec d = desired.getSpec();
    Map<String, String> labels = actual.getMetadata().getLabels();
    return a != null
        && Objects.equals(d.getClusterIP(), a.getClusterIP())
        && Objects.equals(d.getSelector(), a.getSelector())
        && ports(d).equals(ports(a))
        && labels != null
        && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
  }

  private static List<String> ports(ServiceSpec spec) {
    return spec.getPorts() == null
        ? List.of()
        : spec.getPorts().stream().map(AgentMetricsServiceDependent::port).toList();
  }

  private static String port(ServicePort p) {
    return p.getName() + "/" + p.getProtocol() + "/" + p.getPort() + "/" + p.getTargetPort();
  }

  public static Service desired(DnsCachePolicy policy, String namespace) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(PolicyNames.agent(policy))
        .withNamespace(namespace)
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(PolicyNames.selector(policy))
        .addNewPort()
        .withName("metrics")
        .withProtocol("TCP")
        .withPort(AgentConfigRenderer.adminPort(policy))
        .withNewTargetPort(AgentConfigRenderer.adminPort(policy))
        .endPort()
        .endSpec()
        .build();
  }
}
