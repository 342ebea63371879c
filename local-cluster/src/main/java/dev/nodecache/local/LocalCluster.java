package dev.nodecache.local;

import dev.nodecache.local.api.ApiStorage;
import dev.nodecache.local.api.KubeApiFront;
import dev.nodecache.local.dns.LocalDns;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.local.watch.WatchCache;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * NodeCache on one machine (SPEC §6): an embedded Kubernetes API ({@link KubeApiFront} in front of
 * the fabric8 mock server as storage), the operator, a simulated kubelet running one real agent per
 * simulated node on 127.0.100.N, and a local DNS server that stands in for kube-dns and for the
 * nodes' resolv.conf, so nothing leaves the machine. Every client, the operator and the kubelet
 * included, goes through the front, as through a real API server.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String NAMESPACE = "nodecache-system";
  static final String DNS_IP = "127.0.100.254";
  static final int DNS_PORT = 5300;

  /** What the example policies use on each node: DNS on 53, the agent's admin API on 9253. */
  private static final int AGENT_DNS_PORT = 53;

  private static final int AGENT_ADMIN_PORT = 9253;

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final ApiStorage storage;
  private final KubeApiFront front;
  private final KubernetesClient client;
  private final LocalDns dns;
  private final SimulatedKubelet kubelet;
  private final List<SimulatedNode> nodes;
  private final Path kubeconfig;
  private final Path workDir;

  /**
   * Settings of one local cluster; {@code workDir} null for a private temporary one (removed on
   * close, as is any given one).
   */
  public record Options(int nodes, Path kubeconfig, int apiPort, Path agentJar, Path workDir) {}

  /** Starts everything, or nothing: on failure what was started is stopped again. */
  public LocalCluster(Options o) throws IOException {
    nodes = new ArrayList<>();
    for (int n = 1; n <= o.nodes(); n++) {
      nodes.add(SimulatedNode.numbered(n));
    }
    InetSocketAddress dnsAddress = new InetSocketAddress(DNS_IP, DNS_PORT);
    InetSocketAddress apiAddress = new InetSocketAddress("127.0.0.1", o.apiPort());
    // What a second local cluster would collide with, checked before anything starts.
    AddressInUse.check(dnsAddress, true, "the local DNS server");
    if (o.apiPort() != 0) {
      AddressInUse.check(apiAddress, false, "the Kubernetes API");
    }
    for (SimulatedNode node : nodes) {
      AddressInUse.check(
          new InetSocketAddress(node.ip(), AGENT_DNS_PORT), true, node.name() + "'s agent");
      AddressInUse.check(
          new InetSocketAddress(node.ip(), AGENT_ADMIN_PORT),
          false,
          node.name() + "'s agent admin API");
    }
    kubeconfig = o.kubeconfig();
    try {
      workDir = privateDirectory(o.workDir());
      started.push(() -> deleteTree(workDir));
      dns = new LocalDns(dnsAddress);
      started.push(dns);
      storage = ApiStorage.start();
      started.push(storage);
      WatchCache watches =
          new WatchCache(storage.directClient(), storage::nextResourceVersion, 2_000);
      started.push(watches);
      SimulatedKubelet[] kubeletRef = new SimulatedKubelet[1];
      try {
        front =
            new KubeApiFront(
                apiAddress,
                storage,
                watches,
                (ns, pod) -> kubeletRef[0] == null ? null : kubeletRef[0].logOf(ns, pod));
      } catch (BindException e) {
        throw new AddressInUse("127.0.0.1:" + o.apiPort(), "the Kubernetes API");
      }
      started.push(front);
      client = clientOf(front.uri());
      started.push(client);
      register();
      dns.follow(client);
      NodeCacheOperator operator =
          new NodeCacheOperator(
              client,
              new OperatorSettings(NAMESPACE, "nodecache/node-cache-agent:local"),
              false,
              Clock.systemUTC());
      started.push(operator);
      operator.start();
      kubelet =
          new SimulatedKubelet(client, NAMESPACE, nodes, o.agentJar(), workDir, dns.address());
      kubeletRef[0] = kubelet;
      started.push(kubelet);
      kubelet.start();
      writeKubeconfig(front.port());
      started.push(() -> Files.deleteIfExists(kubeconfig)); // it names a server that is gone
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A client of the front, as any client of an API server (HTTP watches: see README). */
  public static KubernetesClient clientOf(URI api) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.toString())
            .withNamespace(NAMESPACE)
            .withRequestTimeout(30_000)
            .build();
    config.setOnlyHttpWatches(true);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** What a cluster has before anyone uses it: the CRD, namespaces, kube-dns, the nodes. */
  private void register() throws IOException {
    try (InputStream crd =
        LocalCluster.class.getResourceAsStream("/crds/dnscachepolicies.nodecache.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    for (String ns : List.of("default", "kube-system", NAMESPACE)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    // kube-dns stands at the local DNS server's own address, outside the service range the API
    // allocates from: it goes into storage as a cluster's installer puts it there.
    KubernetesClient storageClient = storage.directClient();
    storageClient.services().inNamespace("kube-system").resource(kubeDns()).create();
    storageClient.services().inNamespace("default").resource(kubernetesService()).create();
    for (SimulatedNode node : nodes) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node.name())
                  .withLabels(node.labels())
                  .endMetadata()
                  .withNewStatus()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress(node.ip())
                  .endAddress()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .withReason("KubeletReady")
                  .withMessage("simulated kubelet is posting ready status")
                  .endCondition()
                  .withNewNodeInfo()
                  .withKubeletVersion("v1.32.0-nodecache-local")
                  .withOsImage("NodeCache simulated node")
                  .withOperatingSystem("linux")
                  .withArchitecture("amd64")
                  .withContainerRuntimeVersion("nodecache-local://1")
                  .withKernelVersion(System.getProperty("os.version"))
                  .endNodeInfo()
                  .endStatus()
                  .build())
          .create();
    }
  }

  private static io.fabric8.kubernetes.api.model.Service kubeDns() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("kube-dns")
        .withNamespace("kube-system")
        .addToLabels("k8s-app", "kube-dns")
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP(DNS_IP)
        .withClusterIPs(DNS_IP)
        .withIpFamilies("IPv4")
        .withIpFamilyPolicy("SingleStack")
        .withSessionAffinity("None")
        .addNewPort()
        .withName("dns")
        .withPort(DNS_PORT)
        .withProtocol("UDP")
        .withNewTargetPort(DNS_PORT)
        .endPort()
        .addNewPort()
        .withName("dns-tcp")
        .withPort(DNS_PORT)
        .withProtocol("TCP")
        .withNewTargetPort(DNS_PORT)
        .endPort()
        .endSpec()
        .build();
  }

  /** The API server's own Service, at the first address of the service range. */
  private static io.fabric8.kubernetes.api.model.Service kubernetesService() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("kubernetes")
        .withNamespace("default")
        .addToLabels("component", "apiserver")
        .addToLabels("provider", "kubernetes")
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("10.96.0.1")
        .withClusterIPs("10.96.0.1")
        .withIpFamilies("IPv4")
        .withIpFamilyPolicy("SingleStack")
        .withSessionAffinity("None")
        .addNewPort()
        .withName("https")
        .withPort(443)
        .withProtocol("TCP")
        .withNewTargetPort(6443)
        .endPort()
        .endSpec()
        .build();
  }

  private void writeKubeconfig(int port) throws IOException {
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nodecache-local
          cluster: {server: "http://127.0.0.1:%d"}
        contexts:
        - name: nodecache-local
          context: {cluster: nodecache-local, user: nodecache-local, namespace: %s}
        users:
        - name: nodecache-local
          user: {token: nodecache-local}
        current-context: nodecache-local
        """
            .formatted(port, NAMESPACE));
  }

  /** The work directory (agents' configs, admin tokens, logs): readable by this user only. */
  private static Path privateDirectory(Path given) throws IOException {
    var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    if (given == null) {
      return Files.createTempDirectory("nodecache-local", owner);
    }
    Files.createDirectories(given);
    Files.setPosixFilePermissions(given, PosixFilePermissions.fromString("rwx------"));
    return given;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public URI apiUri() {
    return front.uri();
  }

  /** A client of this cluster's API, as kubectl would be. */
  public KubernetesClient client() {
    return client;
  }

  public Path workDir() {
    return workDir;
  }

  /** What to try, printed at start. */
  public String instructions() {
    String k = "kubectl --kubeconfig " + kubeconfig;
    return """
        NodeCache local cluster: %d node(s) on %s, Kubernetes API on http://127.0.0.1:%d
        kubeconfig: %s   (export KUBECONFIG=%s)

        Try:
          %s apply -f examples/default-policy.yaml
          %s get dcp
          %s get pods -o wide
          dig @%s -p 53 www.example.com
          %s annotate dcp default nodecache.dev/flush="$(date +%%s)" --overwrite
          %s get dcp default -o jsonpath='{.status.lastFlush}'
          %s get dcp -w

        The nodes' resolver and kube-dns are the local DNS server on %s: it answers
        cluster.local from this API's Services and EndpointSlices (try
          %s create service clusterip db --tcp=5432:5432
          dig @%s -p 53 db.default.svc.cluster.local)
        and knows www.example.com and api.example.com; nothing leaves this machine.
        Ctrl-C stops everything.
        """
        .formatted(
            nodes.size(),
            nodes.isEmpty() ? "-" : "127.0.100.1-" + nodes.size(),
            front.port(),
            kubeconfig,
            kubeconfig,
            k,
            k,
            k,
            nodes.isEmpty() ? "127.0.100.1" : nodes.get(0).ip(),
            k,
            k,
            k,
            dns.address(),
            k,
            nodes.isEmpty() ? "127.0.100.1" : nodes.get(0).ip());
  }

  /** Stops everything started, last started first, and removes the work directory. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // stopping the rest anyway
      }
    }
  }
}
