package dev.nodecache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster in-process with one node and a real agent: the operator works through the front
 * (its informers list and watch there, its status writes go through admission), a second cluster is
 * refused in one line, and nothing is left behind.
 */
class LocalClusterTest {
  static final Path AGENT_JAR =
      Fixtures.ROOT.resolve("node-cache-agent/target/node-cache-agent.jar");

  @TempDir Path dir;

  static int freePort(String ip) throws Exception {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.bind(new InetSocketAddress(ip, 0));
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ip, port))) {
          return port;
        } catch (java.net.BindException e) {
          // taken for UDP: try another
        }
      }
    }
    throw new IllegalStateException("no free port on " + ip);
  }

  @Test
  void theOperatorRunsThroughTheFrontAndNothingIsLeftBehind() throws Exception {
    assertTrue(Files.isRegularFile(AGENT_JAR), "build the agent first: " + AGENT_JAR);
    Path kubeconfig = dir.resolve("kubeconfig");
    Path work;
    try (LocalCluster cluster =
        new LocalCluster(new LocalCluster.Options(1, kubeconfig, 0, AGENT_JAR, null))) {
      work = cluster.workDir();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work)));
      assertTrue(Files.readString(kubeconfig).contains(cluster.apiUri().toString()));

      Path second = dir.resolve("second.kubeconfig");
      AddressInUse taken =
          assertThrows(
              AddressInUse.class,
              () -> new LocalCluster(new LocalCluster.Options(1, second, 0, AGENT_JAR, null)));
      assertTrue(
          taken.getMessage().startsWith("127.0.100.254:5300 is already in use"),
          taken.getMessage());
      assertFalse(Files.exists(second), "the refused cluster wrote nothing");

      DnsCachePolicy policy = Fixtures.examplePolicy("default-policy.yaml");
      policy.getSpec().listen.port = freePort("127.0.100.1");
      policy.getSpec().agent = new dev.nodecache.api.AgentSpec();
      policy.getSpec().agent.adminPort = freePort("127.0.100.1");
      cluster.client().resource(policy).create();
      String summary = null;
      for (int i = 0; i < 300 && !"1/1".equals(summary); i++) {
        Thread.sleep(100);
        DnsCachePolicy p =
            cluster.client().resources(DnsCachePolicy.class).withName("default").get();
        summary =
            p.getStatus() == null || p.getStatus().nodes == null
                ? null
                : p.getStatus().nodes.summary;
      }
      assertEquals("1/1", summary, "the operator's status, written through the front");
      String log =
          cluster
              .client()
              .pods()
              .inNamespace(LocalCluster.NAMESPACE)
              .withName("nodecache-default-local-node-1")
              .getLog();
      assertFalse(log.isEmpty(), "kubectl logs of the agent pod");
      assertFalse(log.contains("\"apiVersion\""), log);
    }
    assertFalse(Files.exists(work), "work directory removed");
    assertFalse(Files.exists(kubeconfig), "kubeconfig removed");
  }

  @Test
  void verboseIsAnOption() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out), System.err));
    assertTrue(out.toString().contains("--verbose"));
  }
}
