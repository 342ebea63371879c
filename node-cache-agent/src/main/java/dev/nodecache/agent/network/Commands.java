package dev.nodecache.agent.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs `ip` and `iptables`: the node setup is what an administrator would type. */
class Commands {
  /** The outcome of one command. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(
          p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
