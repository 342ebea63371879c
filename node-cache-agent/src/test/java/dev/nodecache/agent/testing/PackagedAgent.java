package dev.nodecache.agent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged agent jar run as a process of its own, as the image runs it, and its admin API. */
public final class PackagedAgent implements AutoCloseable {
  private final Process process;
  private final String adminIp;
  private final int adminPort;

  private PackagedAgent(Process process, String adminIp, int adminPort) {
    this.process = process;
    this.adminIp = adminIp;
    this.adminPort = adminPort;
  }

  /** Starts {@code java OPTIONS -jar node-cache-agent.jar --config CONFIG} with {@code env}. */
  public static PackagedAgent start(
      Path config,
      String adminIp,
      int adminPort,
      List<String> javaOptions,
      Map<String, String> env,
      Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.addAll(
        List.of(
            "-jar",
            System.getProperty("agent.jar", "target/node-cache-agent.jar"),
            "--config",
            config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new PackagedAgent(pb.redirectOutput(log.toFile()).start(), adminIp, adminPort);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!get("/readyz").equals("ready")) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("agent not ready in 30 s (alive: " + process.isAlive() + ")");
      }
      Thread.sleep(50);
    }
  }

  /** The body of a GET on the admin API, trimmed; empty when it cannot be had. */
  public String get(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://" + adminIp + ":" + adminPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body()
          .trim();
    } catch (Exception e) {
      return "";
    }
  }

  /** The value of the unlabelled series {@code name} in a Prometheus text exposition. */
  public static double gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError(name + " not in\n" + metrics);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }
}
