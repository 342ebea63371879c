package dev.nodecache.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar nodecache-operator.jar [run] [--no-leader-election] [--health-port N]}. */
public final class Main {
  private static final String HELP =
      """
      Usage: java -jar nodecache-operator.jar [run] [options]

      NodeCache operator: turns DnsCachePolicy resources into node cache agents.

        run                     run against the cluster of the in-cluster config or kubeconfig
                                (the default)
        --no-leader-election    do not take the nodecache-operator Lease (one replica only)
        --health-port N         serve /healthz, /readyz and /metrics on port N (default 8081;
                                0 = off)
        --help                  this text

      Environment: NODECACHE_NAMESPACE (where agents and their objects go; default: the pod's
      namespace), NODECACHE_AGENT_IMAGE (the agent image; default nodecache/node-cache-agent:VERSION).
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length > 0 && args[0].equals("local")) {
      err.println(
          "nodecache-operator: the local cluster mode has its own jar now:"
              + " java -jar local-cluster/target/nodecache-local.jar --nodes 3");
      return 2;
    }
    boolean leaderElection = true;
    int healthPort = 8081;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(HELP);
          return 0;
        }
        case "run" -> {}
        case "--no-leader-election" -> leaderElection = false;
        case "--health-port" -> {
          if (i + 1 >= args.length) {
            err.println("nodecache-operator: --health-port needs a number");
            return 2;
          }
          healthPort = Integer.parseInt(args[++i]);
        }
        default -> {
          err.println("nodecache-operator: unknown argument \"" + args[i] + "\" (see --help)");
          return 2;
        }
      }
    }
    OperatorSettings settings = OperatorSettings.fromEnvironment();
    KubernetesClient client = new KubernetesClientBuilder().build();
    NodeCacheOperator operator =
        new NodeCacheOperator(client, settings, leaderElection, Clock.systemUTC());
    HttpServer health = healthPort == 0 ? null : health(healthPort, operator);
    operator.start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  if (health != null) {
                    health.stop(0);
                  }
                  client.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }

  private static HttpServer health(int port, NodeCacheOperator operator) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", x -> reply(x, 200, "ok\n"));
    server.createContext(
        "/metrics",
        x -> {
          byte[] body = operator.metrics().scrape();
          x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          x.sendResponseHeaders(200, body.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(body);
          }
        });
    server.createContext(
        "/readyz",
        x -> {
          boolean ok = operator.healthy();
          reply(x, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
        });
    server.start();
    return server;
  }

  private static void reply(com.sun.net.httpserver.HttpExchange x, int code, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }
}
