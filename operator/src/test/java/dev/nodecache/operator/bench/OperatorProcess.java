package dev.nodecache.operator.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar as its own process against a mock API server on loopback, so that its heap, RSS
 * and CPU time are its own and not the benchmark's.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int healthPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int healthPort) {
    this.process = process;
    this.healthPort = healthPort;
  }

  /**
   * Starts {@code jar run --no-leader-election} against the API at {@code apiPort}; waits ready.
   */
  static OperatorProcess start(Path jar, int apiPort) throws Exception {
    Path kubeconfig = Files.createTempFile("bench", ".kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
        contexts: [{name: mock, context: {cluster: mock, user: bench}}]
        users: [{name: bench, user: {token: bench}}]
        current-context: mock
        """
            .formatted(apiPort));
    int healthPort = freePort();
    Path log = Files.createTempFile("operator", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "run",
                "--no-leader-election",
                "--health-port",
                String.valueOf(healthPort))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("NODECACHE_NAMESPACE", "nodecache-system");
    OperatorProcess p = new OperatorProcess(pb.start(), healthPort);
    System.out.println("operator log: " + log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.status("/readyz") != 200) {
      if (System.nanoTime() > deadline || !p.process.isAlive()) {
        p.close();
        throw new IllegalStateException("operator not ready within 60 s, see " + log);
      }
      Thread.sleep(50);
    }
    return p;
  }

  /** The heap in use right after a full GC (jcmd GC.run, then the operator's own gauge). */
  double heapAfterGcMiB() throws Exception {
    new ProcessBuilder("jcmd", String.valueOf(process.pid()), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(500);
    return gauge(metrics(), "jvm_memory_used_bytes{area=\"heap\"}") / 1048576;
  }

  /** The process's resident set, as /proc reports it ("VmRSS: 123456 kB"). */
  String rss() throws IOException {
    return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .findFirst()
        .orElse("VmRSS: ?")
        .replaceAll("\\s+", " ");
  }

  /** User + system CPU time of the process so far, from /proc/PID/stat (clock ticks of 10 ms). */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static double gauge(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
