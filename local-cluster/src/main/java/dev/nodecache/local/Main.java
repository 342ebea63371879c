package dev.nodecache.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar nodecache-local.jar [--nodes N] [--kubeconfig FILE] ...}: SPEC §6. */
public final class Main {
  private static final String HELP =
      """
      Usage: java -jar local-cluster/target/nodecache-local.jar [options]

      NodeCache on this machine: an embedded Kubernetes API for kubectl, the operator, and one
      real agent per simulated node (local-node-N on 127.0.100.N). For trying NodeCache and for
      end-to-end tests; production runs the operator jar on a cluster (see the Helm chart).

        --nodes N             simulated nodes, 1 to 250 (default 3)
        --kubeconfig FILE     where to write the kubeconfig (default ./nodecache-local.kubeconfig)
        --api-port N          the API's port on 127.0.0.1 (default: any free port)
        --agent-jar FILE      the agent (default node-cache-agent/target/node-cache-agent.jar)
        --verbose             log every request the embedded API's storage serves
        --help                this text
      """;

  /** The storage's request log and the client's chatter; held, as JUL keeps loggers weakly. */
  private static final List<Logger> CHATTY =
      List.of(
          Logger.getLogger("io.fabric8.mockwebserver"),
          Logger.getLogger("io.fabric8.kubernetes.client.server.mock"),
          Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal"),
          Logger.getLogger("io.vertx"));

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    int nodes = 3;
    Path kubeconfig = Path.of("nodecache-local.kubeconfig");
    int apiPort = 0;
    boolean verbose = false;
    Path agentJar = Path.of("node-cache-agent/target/node-cache-agent.jar");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(HELP);
          return 0;
        }
        case "--verbose", "-v" -> verbose = true;
        case "--nodes", "--kubeconfig", "--api-port", "--agent-jar" -> {
          if (value == null) {
            err.println("nodecache-local: " + args[i] + " needs a value");
            return 2;
          }
          i++;
          try {
            switch (args[i - 1]) {
              case "--nodes" -> nodes = Integer.parseInt(value);
              case "--kubeconfig" -> kubeconfig = Path.of(value);
              case "--api-port" -> apiPort = Integer.parseInt(value);
              default -> agentJar = Path.of(value);
            }
          } catch (NumberFormatException e) {
            err.println(
                "nodecache-local: " + args[i - 1] + " needs a number, not \"" + value + "\"");
            return 2;
          }
        }
        default -> {
          err.println("nodecache-local: unknown argument \"" + args[i] + "\" (see --help)");
          return 2;
        }
      }
    }
    if (nodes < 1 || nodes > 250) {
      err.println("nodecache-local: --nodes must be 1 to 250");
      return 2;
    }
    if (apiPort < 0 || apiPort > 65535) {
      err.println("nodecache-local: --api-port must be 0 to 65535");
      return 2;
    }
    if (!Files.isRegularFile(agentJar)) {
      err.println(
          "nodecache-local: no agent at "
              + agentJar
              + " (build with mvn -B -DskipTests package, or give --agent-jar)");
      return 2;
    }
    if (!verbose) {
      CHATTY.forEach(l -> l.setLevel(Level.WARNING));
    }
    LocalCluster cluster;
    try {
      cluster =
          new LocalCluster(
              new LocalCluster.Options(
                  nodes, kubeconfig.toAbsolutePath(), apiPort, agentJar.toAbsolutePath(), null));
    } catch (AddressInUse e) {
      err.println("nodecache-local: " + e.getMessage());
      return 1;
    }
    out.println(cluster.instructions());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }
}
