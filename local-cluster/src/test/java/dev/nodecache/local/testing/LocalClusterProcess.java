package dev.nodecache.local.testing;

import dev.nodecache.operator.Fixtures;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged local cluster run as the README says ({@code java -jar
 * local-cluster/target/nodecache-local.jar --nodes 3}), driven with the real kubectl and dig.
 */
public final class LocalClusterProcess implements AutoCloseable {
  public static final Path ROOT = Fixtures.ROOT;
  public static final String JAR = "local-cluster/target/nodecache-local.jar";

  private final Process process;
  private final Path kubeconfig;
  private final Path log;

  /** A command's outcome: exit code 0 or not, and what it printed (stdout and stderr). */
  public record Result(boolean ok, String out) {}

  private LocalClusterProcess(Process process, Path kubeconfig, Path log) {
    this.process = process;
    this.kubeconfig = kubeconfig;
    this.log = log;
  }

  /** Starts it and waits until kubectl gets an answer. */
  public static LocalClusterProcess start(Path dir, String... extraArgs) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Path log = dir.resolve("local.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(javaBin(), "-jar", JAR, "--nodes", "3", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(extraArgs));
    Process p =
        new ProcessBuilder(cmd)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalClusterProcess cluster = new LocalClusterProcess(p, kubeconfig, log);
    cluster.waitFor(
        "the local cluster answers kubectl",
        () -> Files.exists(kubeconfig) && cluster.kubectl("get", "dcp").ok,
        60);
    return cluster;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Process process() {
    return process;
  }

  public Result kubectl(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s"));
    cmd.addAll(List.of(args));
    return run(cmd, 30);
  }

  /** kubectl reading {@code stdin} (apply -f -). */
  public Result kubectlWithInput(String stdin, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s"));
    cmd.addAll(List.of(args));
    Path in = Files.createTempFile("kubectl-stdin", ".yaml");
    try {
      Files.writeString(in, stdin);
      return run(cmd, 30, in);
    } finally {
      Files.deleteIfExists(in);
    }
  }

  public static String dig(String server, String port, String name) {
    return run(List.of("dig", "@" + server, "-p", port, "+short", "+tries=1", "+time=2", name), 10)
        .out;
  }

  public static Result run(List<String> cmd, int seconds) {
    return run(cmd, seconds, null);
  }

  static Result run(List<String> cmd, int seconds, Path stdin) {
    try {
      ProcessBuilder b = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
      if (stdin != null) {
        b.redirectInput(stdin.toFile());
      }
      Process p = b.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(false, "timed out");
      }
      return new Result(
          p.exitValue() == 0,
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (Exception e) {
      return new Result(false, e.toString());
    }
  }

  /** Waits for {@code ok}, failing with the local cluster's log when it does not come. */
  public void waitFor(String what, BooleanSupplier ok, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not within " + seconds + " s: " + what + "\n--- local cluster log:\n" + log());
      }
      Thread.sleep(200);
    }
  }

  public String log() throws Exception {
    String s = Files.readString(log);
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }

  /** SIGTERM; true when it stopped within 30 s. */
  public boolean stop() throws Exception {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive() && !stop()) {
      process.destroyForcibly();
    }
  }

  public static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
