package dev.nodecache.agent;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.ConfigException;
import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.agent.config.ConfigWatcher;
import dev.nodecache.agent.config.ResolvConf;
import dev.nodecache.agent.log.LogSetup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** {@code java -jar node-cache-agent.jar --config FILE}. */
public final class Main {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;

  private static final String HELP =
      """
      Usage: java -jar node-cache-agent.jar --config FILE

      NodeCache node cache agent: a caching DNS forwarder for one node (UDP and TCP).

        --config FILE   the agent config (JSON, as the operator renders it; see README)
        --help          this text

      Minimal config:
        {"listen":    {"addresses": ["127.0.0.20"], "port": 5353},
         "upstreams": [{"zones": ["."], "servers": ["127.0.0.2:5300"], "transport": "udp"}]}

      The agent re-reads FILE every second and applies a valid change without dropping the
      cache (listen, admin and network changes need a restart); an invalid file is refused.

      Signals: SIGTERM: not ready at once, answers on for listen.drainPeriod, exits 0.
               SIGUSR1 logs cache statistics.  SIGUSR2 flushes the whole cache.
      Exit codes: 0 stopped by SIGTERM, 1 could not start (e.g. address in use),
                  2 bad arguments or config (the message names the field).
      """;

  private Main() {}

  public static void main(String[] args) {
    productionDefaults();
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Production settings for Netty unless given on the command line: no leak tracking (tests run
   * with paranoid detection), no per-access buffer checks on the hot path, and no allocator events
   * (they would load the flight recorder: 100 classes, 60 ms at start-up).
   */
  static void productionDefaults() {
    defaultProperty("io.netty.leakDetection.level", "disabled");
    defaultProperty("io.netty.buffer.checkAccessible", "false");
    defaultProperty("io.netty.buffer.checkBounds", "false");
    defaultProperty("io.netty.jfr.enabled", "false");
  }

  private static void defaultProperty(String name, String value) {
    System.setProperty(name, System.getProperty(name, value));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(HELP);
          return 0;
        }
        case "--config" -> {
          if (i + 1 >= args.length) {
            err.println("nodecache-agent: --config needs a file name");
            return EXIT_USAGE;
          }
          configFile = Path.of(args[++i]);
        }
        default -> {
          err.println("nodecache-agent: unknown argument \"" + args[i] + "\" (see --help)");
          return EXIT_USAGE;
        }
      }
    }
    if (configFile == null) {
      err.println("nodecache-agent: --config FILE is required (see --help)");
      return EXIT_USAGE;
    }
    ConfigParser parser = new ConfigParser(ResolvConf.system());
    AgentConfig config;
    String text;
    try {
      text = ConfigWatcher.read(configFile);
      config = parser.parse(text);
    } catch (ConfigException e) {
      err.println("nodecache-agent: invalid config " + configFile + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    LogSetup.configure(config.log());
    NodeCacheAgent agent = new NodeCacheAgent(config, Ticker.systemTicker());
    try {
      agent.start();
    } catch (Exception e) {
      err.println("nodecache-agent: cannot start: " + e);
      agent.close();
      return EXIT_FAILED;
    }
    ConfigWatcher watcher = new ConfigWatcher(configFile, parser, text, agent);
    watcher.start(Long.getLong("nodecache.reloadMillis", 1000));
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM is a normal stop (Kubernetes sends it): drain, then exit 0, not the JVM's 143.
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Signal.handle(new Signal("USR1"), s -> agent.logStatistics());
    Signal.handle(new Signal("USR2"), s -> agent.flushAll("SIGUSR2"));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watcher.close();
    agent.drainAndClose();
    return 0;
  }
}
