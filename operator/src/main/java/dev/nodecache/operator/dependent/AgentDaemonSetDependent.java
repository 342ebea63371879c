package dev.nodecache.operator.dependent;

import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.agent.config.ProcessEnvironment;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicySpec;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.render.AgentConfigRenderer;
import dev.nodecache.operator.render.AgentMemory;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One agent per selected node: host network, node-critical priority, probes on the admin port, and
 * a rolling update that starts the new pod before stopping the old one (maxSurge 1, maxUnavailable
 * 0; the agents share their ports with SO_REUSEPORT), so no node is ever without a cache. The pod
 * template carries the checksum of the config parts an agent cannot reload.
 */
public final class AgentDaemonSetDependent extends OwnedDependent<DaemonSet> {
  static final long RUN_AS = 65532;
  private final OperatorSettings settings;

  public AgentDaemonSetDependent(OperatorSettings settings) {
    super(DaemonSet.class, settings.namespace());
    this.settings = settings;
  }

  @Override
  protected DaemonSet desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    return desired(policy, RenderedConfig.of(context).restartChecksum(), settings);
  }

  /** Pure: the DaemonSet of {@code policy}. */
  public static DaemonSet desired(
      DnsCachePolicy policy, String restartChecksum, OperatorSettings settings) {
    DnsCachePolicySpec spec = policy.getSpec();
    String name = PolicyNames.agent(policy);
    int adminPort = AgentConfigRenderer.adminPort(policy);
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(settings.namespace())
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(PolicyNames.selector(policy))
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(PolicyNames.labels(policy))
        .addToAnnotations(PolicyNames.CONFIG_CHECKSUM, restartChecksum)
        .endMetadata()
        .withNewSpec()
        .withHostNetwork(true)
        .withDnsPolicy("Default") // the agent must not resolve through itself
        .withPriorityClassName("system-node-critical")
        .withServiceAccountName(name)
        .withAutomountServiceAccountToken(false)
        .withNodeSelector(
            spec.nodeSelector == null || spec.nodeSelector.isEmpty() ? null : spec.nodeSelector)
        .withTolerations(tolerations(spec))
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(policy, settings.agentImage(), adminPort))
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName(name)
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("admin-token")
        .withNewSecret()
        .withSecretName(PolicyNames.token(policy))
        .withDefaultMode(0440)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(new Quantity("16Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(DnsCachePolicy policy, String image, int adminPort) {
    DnsCachePolicySpec spec = policy.getSpec();
    int port = spec.listen.port == null ? 53 : spec.listen.port;
    String agentImage = spec.agent != null && spec.agent.image != null ? spec.agent.image : image;
    MemoryRule memory = AgentMemory.of(spec);
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(
        new ContainerPortBuilder()
            .withName("dns")
            .withContainerPort(port)
            .withProtocol("UDP")
            .build());
    ports.add(
        new ContainerPortBuilder()
            .withName("dns-tcp")
            .withContainerPort(port)
            .withProtocol("TCP")
            .build());
    ports.add(
        new ContainerPortBuilder()
            .withName("metrics")
            .withContainerPort(adminPort)
            .withProtocol("TCP")
            .build());
    return new ContainerBuilder()
        .withName("agent")
        .withImage(agentImage)
        .withArgs("--config", PolicyNames.CONFIG_DIR + "/" + PolicyNames.CONFIG_KEY)
        .withEnv(env(memory))
        .withPorts(ports)
        .withResources(AgentMemory.resources(spec, memory))
        .withReadinessProbe(probe("/readyz", adminPort, 2, 3))
        .withLivenessProbe(probe("/healthz", adminPort, 10, 5))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(capabilities(spec))
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath(PolicyNames.CONFIG_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("admin-token")
        .withMountPath(PolicyNames.TOKEN_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  /** The JVM's flags of the memory rule, and the environment the agent's JVM starts with. */
  private static List<EnvVar> env(MemoryRule memory) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("JAVA_TOOL_OPTIONS", memory.javaOptions() + " -Djava.io.tmpdir=/tmp", null));
    new TreeMap<>(ProcessEnvironment.variables())
        .forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    return env;
  }

  /** The kubelet probes the admin port at the pod (= node) IP. */
  private static Probe probe(String path, int port, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failures)
        .build();
  }

  /** NET_BIND_SERVICE for port 53; NET_ADMIN only when the agent sets up interface or rules. */
  private static Capabilities capabilities(DnsCachePolicySpec spec) {
    List<String> add = new ArrayList<>(List.of("NET_BIND_SERVICE"));
    boolean network =
        spec.network == null
            || !Boolean.FALSE.equals(spec.network.setupInterface)
            || !Boolean.FALSE.equals(spec.network.setupRules);
    if (network) {
      add.add("NET_ADMIN");
    }
    return new CapabilitiesBuilder().withDrop("ALL").withAdd(add).build();
  }

  /** Default: tolerate everything, like node-local-dns (a node without DNS cache is worse). */
  private static List<Toleration> tolerations(DnsCachePolicySpec spec) {
    if (spec.tolerations != null && !spec.tolerations.isEmpty()) {
      return spec.tolerations;
    }
    return List.of(new TolerationBuilder().withOperator("Exists").build());
  }
}
