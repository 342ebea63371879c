package dev.nodecache.kubectl;

import java.util.Arrays;
import java.util.List;
import java.util.logging.LogManager;

/**
 * {@code kubectl nodecache flush|status|cache|migrate …}. kubectl runs {@code kubectl-nodecache}
 * (bin/) with the words after {@code nodecache}; this class reads them, runs the command and exits
 * with its code: 0 done, 1 failed (a flush some node did not do, an API that refused), 2 a usage
 * error, 3 timed out.
 */
public final class Main {
  static final String USAGE =
      """
      kubectl nodecache: NodeCache's node DNS caches, cluster-wide

      Usage:
        kubectl nodecache flush [POLICY] [--names a.example.com,*.svc.example.com] [--wait] [--timeout 60s]
        kubectl nodecache status [POLICY]
        kubectl nodecache cache NAME [POLICY]
        kubectl nodecache migrate plan [POLICY] --names NAMES --cutover TIME [--ttl 30s] [--drain-lead auto]
        kubectl nodecache migrate status [POLICY] [--watch] [--timeout DURATION]
        kubectl nodecache completion bash|zsh
        kubectl nodecache version

      POLICY may be left out when there is one policy (or one named "default").
      TIME is RFC 3339 (2026-12-01T10:00:00Z) or +DURATION from now (+2h).

      Flags:
        -o, --output text|json   json for scripts
        -n, --namespace NS       where the agents run (default nodecache-system, or $NODECACHE_NAMESPACE)
            --kubeconfig FILE    as kubectl (default $KUBECONFIG, then ~/.kube/config)
            --context NAME       as kubectl

      Exit codes: 0 done, 1 failed, 2 usage error, 3 timed out.
      """;

  private Main() {}

  public static void main(String[] argv) {
    LogManager.getLogManager().reset(); // the client's own logging is not for the user
    System.exit(run(Arrays.asList(argv), Console.system()));
  }

  static int run(List<String> argv, Console console) {
    if (!argv.isEmpty() && argv.get(0).equals("__complete")) {
      return complete(argv.subList(1, argv.size()), console);
    }
    try {
      Args args = new Args(argv);
      String command = args.word(0);
      if (command == null || command.equals("help") || args.on("--help")) {
        console.out.print(USAGE);
        return command == null && !args.on("--help") ? UserError.USAGE : 0;
      }
      switch (command) {
        case "version" -> {
          console.out.println("kubectl-nodecache " + version());
          return 0;
        }
        case "completion" -> {
          console.out.print(Completion.script(args.word(1) == null ? "bash" : args.word(1)));
          return 0;
        }
        case "flush", "status", "cache", "migrate" -> {
          KubectlProxy proxy =
              KubectlProxy.start(args.flag("--kubeconfig"), args.flag("--context"));
          try (Cluster cluster = new Cluster(args, proxy)) {
            return switch (command) {
              case "flush" -> new FlushCommand(cluster, console).run(args);
              case "status" -> new StatusCommand(cluster, console).run(args);
              case "cache" -> new CacheCommand(cluster, console).run(args);
              default -> new MigrateCommand(cluster, console).run(args);
            };
          }
        }
        default ->
            throw new UserError(
                "unknown command "
                    + command
                    + "; commands: flush, status, cache, migrate, completion, version (kubectl"
                    + " nodecache --help)");
      }
    } catch (UserError e) {
      console.endProgress();
      console.err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      console.endProgress();
      console.err.println("error: " + e);
      return 1;
    }
  }

  private static int complete(List<String> words, Console console) {
    Completion.print(
        Completion.candidates(
            words,
            () -> {
              try (Cluster c = new Cluster(new Args(List.of()), KubectlProxy.start(null, null))) {
                return c.policies().stream().map(p -> p.getMetadata().getName()).toList();
              } catch (RuntimeException e) {
                return List.of(); // no completion rather than an error in the shell
              }
            }),
        console);
    return 0;
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
