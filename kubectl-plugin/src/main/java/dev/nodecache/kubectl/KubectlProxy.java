package dev.nodecache.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The user's own kubectl as the way to the API server: {@code kubectl proxy} on a Unix socket in a
 * directory only the user can enter. Whatever kubectl can authenticate with (certificates, tokens,
 * exec plugins, OIDC, the context and kubeconfig flags) the plugin can, and it never holds a
 * credential. kubectl runs under a shell that stops it when the plugin's end of a pipe closes, so
 * it also goes when the plugin is killed.
 */
final class KubectlProxy implements AutoCloseable {
  private static final String WRAPPER = "\"$@\" </dev/null 2>&1 & p=$!; read _; kill $p";

  private final Process shell;
  private final Path dir;
  private final UnixHttp http;
  private boolean serving;

  private KubectlProxy(Process shell, Path dir) {
    this.shell = shell;
    this.dir = dir;
    this.http = new UnixHttp(dir.resolve("api.sock"));
  }

  /**
   * Starts kubectl; {@link #http()} waits until it serves. Started first thing, so that kubectl's
   * own start-up runs while the plugin's classes load.
   */
  static KubectlProxy start(String kubeconfig, String context) {
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              "kubectl-nodecache-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UserError("cannot make a private temporary directory: " + e.getMessage(), 1);
    }
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", WRAPPER, "sh"));
    cmd.add(System.getenv().getOrDefault("NODECACHE_KUBECTL", "kubectl"));
    cmd.add("proxy");
    cmd.add("--unix-socket=" + dir.resolve("api.sock"));
    if (kubeconfig != null) {
      cmd.add("--kubeconfig=" + kubeconfig);
    }
    if (context != null) {
      cmd.add("--context=" + context);
    }
    Process shell;
    try {
      shell = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UserError("cannot run sh: " + e.getMessage(), 1);
    }
    KubectlProxy proxy = new KubectlProxy(shell, dir);
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close)); // Ctrl-C while waiting
    return proxy;
  }

  /** Until kubectl says it serves; what it says instead is the error. */
  private void awaitServing() {
    if (serving) {
      return;
    }
    CompletableFuture<String> failure =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> said = new ArrayList<>();
              try {
                BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.startsWith("Starting to serve on")) {
                    drain(r);
                    return null;
                  }
                  said.add(line);
                  if (line.startsWith("error:") || line.contains("not found")) {
                    return String.join("; ", said);
                  }
                }
              } catch (IOException e) {
                said.add(e.getMessage());
              }
              return said.isEmpty() ? "kubectl proxy ended" : String.join("; ", said);
            });
    String problem;
    try {
      problem = failure.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      problem = "kubectl proxy did not start in 20s";
    }
    if (problem != null) {
      close();
      throw new UserError(
          problem.startsWith("error:") ? problem.substring(7) : "kubectl: " + problem, 1);
    }
    serving = true;
  }

  /**
   * kubectl proxy logs every request it could not pass on; read to the end so that a full pipe
   * never stops it.
   */
  private static void drain(BufferedReader r) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (r.readLine() != null) {
                  // not for the user: the plugin reports each failed request itself
                }
              } catch (IOException e) {
                // kubectl went
              }
            },
            "kubectl-proxy-output");
    t.setDaemon(true);
    t.start();
  }

  synchronized UnixHttp http() {
    awaitServing();
    return http;
  }

  @Override
  public synchronized void close() {
    if (shell.isAlive()) {
      try {
        OutputStream in = shell.getOutputStream();
        in.write('\n');
        in.close();
        shell.waitFor(2, TimeUnit.SECONDS);
      } catch (IOException e) {
        // the shell went already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      shell.destroy();
    }
    try {
      Files.deleteIfExists(dir.resolve("api.sock"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // left for the system's temporary directory cleaning
    }
  }
}
