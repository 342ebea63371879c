package dev.nodecache.local;

import dev.nodecache.local.api.ApiStorage;
import dev.nodecache.local.api.KubeApiFront;
import dev.nodecache.local.dns.LocalDns;
import dev.nodecache.local.kubelet.SimulatedKubelet;
import dev.nodecache.local.kubelet.SimulatedNode;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * NodeCache on one machine (SPEC §6): an embedded Kubernetes API (the fabric8 mock server in
 * CRUD mode, behind {@link KubeApiFront} for kubectl), the operator, a simulated kubelet running
 * one real agent per simulated node on 127.0.100.N, and a local DNS server that stands in for
 * kube-dns and for the nodes' resolv.conf, so nothing leaves the machine.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String NAMESPACE = "nodecache-system";
  static final String DNS_IP = "127.0.100.254";
  static final int DNS_PORT = 5300;

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final KubeApiFront front;
  private final LocalDns dns;
  private final NodeCacheOperator operator;
  private final SimulatedKubelet kubelet;
  private final List<SimulatedNode> nodes;
  private final Path kubeconfig;

  /** Settings of one local cluster. */
  public record Options(int nodes, Path kubeconfig, int apiPort, Path agentJar, Path workDir) {}

  public LocalCluster(Options o) throws IOException {
    server = ApiStorage.start();
    client = server.createClient();
    front = new KubeApiFront(new InetSocketAddress("127.0.0.1", o.apiPort()),
        URI.create("http://127.0.0.1:" + server.getPort() + "/"), client);
    try (InputStream crd = LocalCluster.class.getResourceAsStream(
        "/crds/dnscachepolicies.nodecache.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    for (String ns : List.of("default", "kube-system", NAMESPACE)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
          .endMetadata().build()).create();
    }
    dns = new LocalDns(new InetSocketAddress(DNS_IP, DNS_PORT));
    client.services().inNamespace("kube-system").resource(new ServiceBuilder()
        .withNewMetadata().withName("kube-dns").withNamespace("kube-system").endMetadata()
        .withNewSpec().withClusterIP(DNS_IP).addNewPort().withName("dns").withPort(DNS_PORT)
        .withProtocol("UDP").endPort().endSpec().build()).create();
    nodes = new ArrayList<>();
    for (int n = 1; n <= o.nodes(); n++) {
      SimulatedNode node = SimulatedNode.numbered(n);
      nodes.add(node);
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node.name())
          .withLabels(node.labels()).endMetadata().withNewStatus().addNewAddress()
          .withType("InternalIP").withAddress(node.ip()).endAddress().endStatus().build())
          .create();
    }
    operator = new NodeCacheOperator(client,
        new OperatorSettings(NAMESPACE, "nodecache/node-cache-agent:local"), false,
        Clock.systemUTC());
    operator.start();
    kubelet = new SimulatedKubelet(client, NAMESPACE, nodes, o.agentJar(),
        Files.createDirectories(o.workDir()), dns.address());
    kubelet.start();
    kubeconfig = o.kubeconfig();
    Files.writeString(kubeconfig, """
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
        """.formatted(front.port(), NAMESPACE));
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

        The nodes' resolver and kube-dns are the local DNS server on %s (it knows
        www.example.com, api.example.com and kubernetes.default.svc.cluster.local); nothing
        leaves this machine. Ctrl-C stops everything.
        """.formatted(nodes.size(), nodes.isEmpty() ? "-" : "127.0.100.1-" + nodes.size(),
        front.port(), kubeconfig, kubeconfig, k, k, k,
        nodes.isEmpty() ? "127.0.100.1" : nodes.get(0).ip(), k, k, k, dns.address());
  }

  @Override
  public void close() {
    kubelet.close();
    operator.close();
    front.close();
    dns.close();
    client.close();
    server.destroy();
  }
}
