package dev.nodecache.local.kubelet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One agent as a child process, the way a container runs it: its own JVM, its config file. */
final class AgentProcess {
  private final Process process;
  final String templateHash;

  private AgentProcess(Process process, String templateHash) {
    this.process = process;
    this.templateHash = templateHash;
  }

  /**
   * Starts the agent with the container's environment ({@code JAVA_TOOL_OPTIONS} holds the heap and
   * the other JVM flags the operator derived from the policy), as the container runtime would.
   */
  static AgentProcess start(
      Path agentJar, Path config, Path log, String templateHash, Map<String, String> env)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dnodecache.reloadMillis=500",
                "-jar",
                agentJar.toString(),
                "--config",
                config.toString()));
    ProcessBuilder b =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().putAll(env);
    Process p = b.start();
    return new AgentProcess(p, templateHash);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet stops a container; killed if it does not exit in time. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
