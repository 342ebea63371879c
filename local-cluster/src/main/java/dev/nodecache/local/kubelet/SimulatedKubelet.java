package dev.nodecache.local.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.flush.AgentPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster's nodes and controller manager would do, for the DaemonSets the operator creates,
 * on one machine: on each matching simulated node it runs the real agent as a child process on that
 * node's loopback address (its config is the ConfigMap's, written to a file as the kubelet does,
 * with the node's address in place of the link-local one), reports a Pod (hostIP/podIP, Ready from
 * the agent's /readyz) and the DaemonSet status, restarts agents when the pod template changes,
 * stops them when the DaemonSet goes, and garbage-collects objects whose owner is gone.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNREACHABLE = "127.255.255.254";

  private final KubernetesClient client;
  private final String namespace;
  private final List<SimulatedNode> nodes;
  private final Path agentJar;
  private final Path workDir;
  private final String nodeResolver;
  private final Map<String, AgentProcess> agents = new HashMap<>();

  /** Each agent pod's output, as a node keeps a container's log: pod name to file. */
  private final Map<String, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();

  private final Set<String> partitioned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "simulated-kubelet");
            t.setDaemon(true);
            return t;
          });

  public SimulatedKubelet(
      KubernetesClient client,
      String namespace,
      List<SimulatedNode> nodes,
      Path agentJar,
      Path workDir) {
    this(client, namespace, nodes, agentJar, workDir, null);
  }

  /**
   * {@code nodeResolver} ("ip:port") is what the nodes' resolv.conf names: upstream groups with
   * {@code servers: []} use it. Null: the agents read this machine's resolv.conf.
   */
  public SimulatedKubelet(
      KubernetesClient client,
      String namespace,
      List<SimulatedNode> nodes,
      Path agentJar,
      Path workDir,
      String nodeResolver) {
    this.nodeResolver = nodeResolver;
    this.client = client;
    this.namespace = namespace;
    this.nodes = List.copyOf(nodes);
    this.agentJar = agentJar;
    this.workDir = workDir;
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::syncQuietly, 0, 300, TimeUnit.MILLISECONDS);
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException | IOException e) {
      log.warn("simulated kubelet: {}", e.toString());
    }
  }

  /** One pass: agents, pods and DaemonSet status brought in line with the DaemonSets. */
  synchronized void sync() throws IOException {
    collectGarbage();
    Set<String> wanted = new HashSet<>();
    for (DaemonSet ds :
        client
            .apps()
            .daemonSets()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "nodecache-operator")
            .list()
            .getItems()) {
      if (ds.getMetadata().getDeletionTimestamp() == null) {
        syncDaemonSet(ds, wanted);
      }
    }
    for (String key : new HashSet<>(agents.keySet())) {
      if (!wanted.contains(key)) {
        log.info("stopping agent {}", key);
        agents.remove(key).stop();
        String[] dsNode = key.split("/");
        logs.remove(podName(dsNode[0], dsNode[1]));
        client.pods().inNamespace(namespace).withName(podName(dsNode[0], dsNode[1])).delete();
      }
    }
  }

  private void syncDaemonSet(DaemonSet ds, Set<String> wanted) throws IOException {
    PodTemplateSpec template = ds.getSpec().getTemplate();
    String hash = hash(template);
    ConfigMap cm =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(volume(template, "config").getConfigMap().getName())
            .get();
    Secret secret =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(volume(template, "admin-token").getSecret().getSecretName())
            .get();
    String token = AgentPods.token(secret);
    int desired = 0;
    int ready = 0;
    int updated = 0;
    for (SimulatedNode node : nodes) {
      if (!node.matches(template.getSpec().getNodeSelector())) {
        continue;
      }
      desired++;
      if (cm == null || token == null) {
        continue;
      }
      String key = ds.getMetadata().getName() + "/" + node.name();
      wanted.add(key);
      Path dir =
          Files.createDirectories(workDir.resolve(ds.getMetadata().getName()).resolve(node.name()));
      writeIfChanged(dir.resolve("token"), token);
      ObjectNode config = (ObjectNode) JSON.readTree(cm.getData().get(PolicyNames.CONFIG_KEY));
      int adminPort = nodeConfig(config, node, dir.resolve("token"), nodeResolver);
      Path configFile = dir.resolve("config.json");
      writeIfChanged(configFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
      AgentProcess agent = agents.get(key);
      if (agent == null || !agent.alive() || !agent.templateHash.equals(hash)) {
        if (agent != null) {
          log.info(
              "restarting agent {} ({})",
              key,
              agent.alive() ? "pod template changed" : "it exited");
          agent.stop();
        } else {
          log.info("starting agent {} on {}", key, node.ip());
        }
        agent =
            AgentProcess.start(
                agentJar, configFile, dir.resolve("agent.log"), hash, containerEnv(template));
        agents.put(key, agent);
        logs.put(podName(ds.getMetadata().getName(), node.name()), dir.resolve("agent.log"));
      }
      boolean isReady = ready(node.ip(), adminPort);
      ready += isReady ? 1 : 0;
      updated++;
      reportPod(ds, template, node, isReady);
    }
    DaemonSetStatus status =
        new DaemonSetStatusBuilder()
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(desired)
            .withNumberReady(ready)
            .withUpdatedNumberScheduled(updated)
            .withNumberAvailable(ready)
            .withNumberUnavailable(desired - ready)
            .withNumberMisscheduled(0)
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .build();
    if (!status.equals(ds.getStatus())) {
      ds.setStatus(status);
      try {
        client.resource(ds).updateStatus();
      } catch (KubernetesClientException e) {
        // changed meanwhile: the next pass writes it
      }
    }
  }

  /** The node's own addresses in place of the link-local ones; no interface or rules to set up. */
  private static int nodeConfig(
      ObjectNode config, SimulatedNode node, Path tokenFile, String nodeResolver) {
    if (nodeResolver != null) {
      for (com.fasterxml.jackson.databind.JsonNode g : config.path("upstreams")) {
        if (g.path("servers").isArray() && g.path("servers").isEmpty()) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) g.get("servers")).add(nodeResolver);
        }
      }
    }
    ObjectNode listen = (ObjectNode) config.get("listen");
    listen.putArray("addresses").add(node.ip());
    ObjectNode admin =
        config.has("admin") ? (ObjectNode) config.get("admin") : config.putObject("admin");
    admin.put("address", node.ip());
    admin.put("tokenFile", tokenFile.toString());
    ObjectNode network = config.putObject("network");
    network.put("setupInterface", false);
    network.put("setupRules", false);
    network.putArray("interceptClusterDns");
    listen.put("threads", 1);
    listen.put("drainPeriod", "500ms");
    return admin.has("port") ? admin.get("port").asInt() : 9253;
  }

  private void reportPod(
      DaemonSet ds, PodTemplateSpec template, SimulatedNode node, boolean ready) {
    String name = podName(ds.getMetadata().getName(), node.name());
    String ip = partitioned.contains(node.name()) ? UNREACHABLE : node.ip();
    Pod existing = client.pods().inNamespace(namespace).withName(name).get();
    String readyStatus = ready ? "True" : "False";
    if (existing != null
        && existing.getStatus() != null
        && ip.equals(existing.getStatus().getPodIP())
        && existing.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals(readyStatus))
        && Objects.equals(
            existing.getMetadata().getAnnotations(), template.getMetadata().getAnnotations())) {
      return;
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(template.getMetadata().getAnnotations())
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("DaemonSet")
            .withName(ds.getMetadata().getName())
            .withUid(ds.getMetadata().getUid())
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withSpec(template.getSpec())
            .editSpec()
            .withNodeName(node.name())
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withHostIP(ip)
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus(readyStatus)
            .withLastTransitionTime(Instant.now().toString())
            .endCondition()
            .endStatus()
            .build();
    if (existing == null) {
      client.resource(pod).create();
    } else {
      pod.getMetadata().setResourceVersion(null);
      client.resource(pod).update();
    }
  }

  private boolean ready(String ip, int port) {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/readyz"))
                      .timeout(Duration.ofMillis(500))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The controller manager's garbage collector, for what the operator owns. */
  private void collectGarbage() {
    List<List<? extends HasMetadata>> ownedLists =
        List.of(
            client.apps().daemonSets().inNamespace(namespace).list().getItems(),
            client.configMaps().inNamespace(namespace).list().getItems(),
            client.secrets().inNamespace(namespace).list().getItems(),
            client.serviceAccounts().inNamespace(namespace).list().getItems(),
            client.services().inNamespace(namespace).list().getItems());
    // Owners read after what they own: an object made since is never taken for an orphan.
    Set<String> policies = new HashSet<>();
    client
        .resources(DnsCachePolicy.class)
        .list()
        .getItems()
        .forEach(p -> policies.add(p.getMetadata().getUid()));
    Set<String> daemonSets = new HashSet<>();
    for (List<? extends HasMetadata> owned : ownedLists) {
      for (HasMetadata o : owned) {
        if (ownerGone(o, "DnsCachePolicy", policies)) {
          log.info("garbage-collecting {} {}", o.getKind(), o.getMetadata().getName());
          client.resource(o).delete();
        } else if (o instanceof DaemonSet) {
          daemonSets.add(o.getMetadata().getUid());
        }
      }
    }
    for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
      if (ownerGone(p, "DaemonSet", daemonSets)) {
        client.resource(p).delete();
      }
    }
  }

  private static boolean ownerGone(HasMetadata o, String kind, Set<String> liveUids) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return false;
    }
    return refs.stream()
        .filter(r -> kind.equals(r.getKind()))
        .anyMatch(r -> !liveUids.contains(r.getUid()));
  }

  /** The output of the agent behind a pod (what {@code kubectl logs} shows), or null. */
  public Path logOf(String podNamespace, String pod) {
    return namespace.equals(podNamespace) ? logs.get(pod) : null;
  }

  static String podName(String daemonSet, String node) {
    return daemonSet + "-" + node;
  }

  private static Volume volume(PodTemplateSpec template, String name) {
    return template.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String hash(PodTemplateSpec template) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Atomically, as the kubelet swaps a ConfigMap volume: the agent never reads half a file. */
  private static void writeIfChanged(Path file, String content) throws IOException {
    if (Files.exists(file) && Files.readString(file).equals(content)) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Simulates a network partition between the control plane and {@code node}: its pod reports an
   * address where nothing answers, while its agent keeps running and reading its config.
   */
  public void partition(String node, boolean cut) {
    if (cut) {
      partitioned.add(node);
    } else {
      partitioned.remove(node);
    }
  }

  @Override
  public synchronized void close() {
    loop.shutdownNow();
    agents.values().parallelStream().forEach(AgentProcess::stop);
    agents.clear();
  }

  /** The agent container's environment (the JVM flags of the memory rule among it). */
  private static Map<String, String> containerEnv(PodTemplateSpec template) {
    Map<String, String> env = new TreeMap<>();
    var containers = template.getSpec().getContainers();
    if (!containers.isEmpty() && containers.get(0).getEnv() != null) {
      containers.get(0).getEnv().stream()
          .filter(e -> e.getValue() != null)
          .forEach(e -> env.put(e.getName(), e.getValue()));
    }
    return env;
  }
}
