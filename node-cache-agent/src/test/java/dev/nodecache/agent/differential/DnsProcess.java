package dev.nodecache.agent.differential;

import dev.nodecache.agent.testing.TestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * A DNS server binary (NSD, Unbound) run in the foreground for a test, its output in a log file;
 * stopped, with every process it started, on close.
 */
final class DnsProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private DnsProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code dir}; returns once it answers {@code probe} over UDP. */
  static DnsProcess start(
      String name,
      Path dir,
      List<String> command,
      InetSocketAddress address,
      Message probe,
      Duration within)
      throws IOException {
    Path log = dir.resolve(name + ".out");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    DnsProcess d = new DnsProcess(name, p, log);
    try {
      d.awaitAnswering(address, probe, within);
    } catch (RuntimeException | IOException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private void awaitAnswering(InetSocketAddress address, Message probe, Duration within)
      throws IOException {
    TestClient client = new TestClient(address);
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + log());
      }
      if (client.udpRaw(probe.toWire(), 200) != null) {
        return;
      }
    }
    throw new IllegalStateException(name + " not answering within " + within + ":\n" + log());
  }

  String log() throws IOException {
    String text = Files.readString(log);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList(); // NSD forks its servers
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    for (ProcessHandle c : children) {
      if (c.isAlive()) {
        c.destroyForcibly();
      }
    }
  }
}
