package dev.nodecache.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.Main;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link-local address on a "node" made of network namespaces (as root): a client namespace
 * queries 169.254.20.10 over a veth through the node's firewall (INPUT policy DROP: only the
 * agent's ACCEPT rules let DNS in), while agents are replaced with and without overlap.
 */
class NodeNetworkTest {
  static final String NODE = "ncn-node";
  static final String CLIENT = "ncn-client";
  static final String ADDR = "169.254.20.10";

  @TempDir static Path dir;
  static Process upstream;

  @BeforeAll
  static void namespaces() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "network namespaces need root: node networking tests skipped");
    Assumptions.assumeTrue(sh("ip", "netns", "list").exit == 0, "no ip netns here");
    Assumptions.assumeTrue(
        onPath("iptables") && onPath("dig"),
        "iptables and dig are needed (apt-get install iptables dnsutils)");
    cleanup();
    for (String[] c :
        new String[][] {
          {"ip", "netns", "add", NODE},
          {"ip", "netns", "add", CLIENT},
          {"ip", "link", "add", "ncn-n", "type", "veth", "peer", "name", "ncn-c"},
          {"ip", "link", "set", "ncn-n", "netns", NODE},
          {"ip", "link", "set", "ncn-c", "netns", CLIENT},
          {"ip", "-n", NODE, "addr", "add", "10.251.0.1/30", "dev", "ncn-n"},
          {"ip", "-n", CLIENT, "addr", "add", "10.251.0.2/30", "dev", "ncn-c"},
          {"ip", "-n", NODE, "link", "set", "ncn-n", "up"},
          {"ip", "-n", NODE, "link", "set", "lo", "up"},
          {"ip", "-n", CLIENT, "link", "set", "ncn-c", "up"},
          {"ip", "-n", CLIENT, "link", "set", "lo", "up"},
          {"ip", "-n", CLIENT, "route", "add", ADDR + "/32", "via", "10.251.0.1"},
          // The node's firewall: nothing comes in but loopback and what the agent opens.
          {"ip", "netns", "exec", NODE, "iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT"},
          {"ip", "netns", "exec", NODE, "iptables", "-P", "INPUT", "DROP"}
        }) {
      Result r = sh(c);
      assertEquals(0, r.exit, String.join(" ", c) + ": " + r.out);
    }
    upstream =
        inNode(
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.nodecache.agent.testing.StaticDnsMain",
                "127.0.0.1",
                "5300"),
            dir.resolve("up.log"));
  }

  @AfterAll
  static void teardown() throws Exception {
    if (upstream != null) {
      upstream.destroyForcibly();
    }
    cleanup();
  }

  static void cleanup() throws Exception {
    sh("ip", "netns", "pids", NODE).out.lines().forEach(pid -> sh("kill", "-9", pid));
    sh("ip", "netns", "del", NODE);
    sh("ip", "netns", "del", CLIENT);
  }

  @Test
  void replacingAgentsLosesNoQueryAndACleanStopRemovesTheSetup() throws Exception {
    Path config = dir.resolve("agent.json");
    Files.writeString(
        config,
        """
        {"listen": {"addresses": ["%s"], "port": 53, "threads": 1, "drainPeriod": "1s"},
         "upstreams": [{"zones": ["."], "servers": ["127.0.0.1:5300"], "transport": "udp"}],
         "admin": {"port": 9253},
         "network": {"setupInterface": true, "interfaceName": "nodecache", "setupRules": true}}
        """
            .formatted(ADDR));
    Agent a = Agent.start(config, dir.resolve("a.log"));
    waitFor("the client is answered", () -> dig().equals("192.0.2.53"));
    String held = sh("ip", "netns", "exec", NODE, "ip", "addr", "show").out;
    assertTrue(held.contains(ADDR + "/32"), held);
    String raw = sh("ip", "netns", "exec", NODE, "iptables", "-t", "raw", "-S").out;
    assertTrue(
        raw.contains("-d " + ADDR + "/32 -p udp -m udp --dport 53") && raw.contains("NOTRACK"),
        raw);
    assertTrue(
        Files.readString(a.log).contains("cannot create the dummy interface")
            || held.contains("nodecache"),
        "says clearly where the address is held");

    // A steady client while the agent is replaced twice, new instance first (maxSurge).
    Path names = dir.resolve("names.txt");
    Files.writeString(names, "www.example.test A\napi.example.test A\n");
    boolean perf = onPath("dnsperf");
    Process load =
        perf
            ? new ProcessBuilder(
                    "ip",
                    "netns",
                    "exec",
                    CLIENT,
                    "dnsperf",
                    "-s",
                    ADDR,
                    "-d",
                    names.toString(),
                    "-l",
                    "14",
                    "-Q",
                    "200",
                    "-t",
                    "2")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("perf.log").toFile())
                .start()
            : null;
    Thread.sleep(2000);
    Agent b = replace(a, config, "b");
    Thread.sleep(2000);
    Agent c = replace(b, config, "c");
    if (load != null) {
      assertTrue(load.waitFor(60, TimeUnit.SECONDS));
      String out = Files.readString(dir.resolve("perf.log"));
      long sent = number(out, "Queries sent:\\s+(\\d+)");
      long lost = number(out, "Queries lost:\\s+(\\d+)");
      System.out.printf(
          "node networking: upgrade x2 under load: %d queries sent, %d answered," + " %d lost%n",
          sent, sent - lost, lost);
      assertTrue(sent > 2000, out);
      assertEquals(0, lost, out);
    }
    assertTrue(
        Files.readString(a.log).contains("another instance answers"),
        "the old instance left the setup to the new one");

    // A flush during an overlap reaches both instances through the config they both read.
    Agent e = Agent.start(config, dir.resolve("e.log"));
    waitFor(
        "e ready",
        () -> {
          try {
            return Files.readString(e.log).contains("node cache agent ready");
          } catch (Exception x) {
            return false;
          }
        });
    Files.writeString(
        config,
        Files.readString(config)
            .replace("\"admin\"", "\"flush\": {\"id\": \"ovl-1\", \"names\": []}, \"admin\""));
    Path cLog = c.log;
    waitFor(
        "both instances flushed",
        () -> {
          try {
            return Files.readString(cLog).contains("flush ovl-1 from config")
                && Files.readString(e.log).contains("flush ovl-1 from config");
          } catch (Exception x) {
            return false;
          }
        });
    c.process.destroy();
    assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));

    // A crash leaves nothing that blackholes: queries are refused at once, not dropped.
    e.process.destroyForcibly();
    e.process.waitFor(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    Result refused =
        sh(
            "ip",
            "netns",
            "exec",
            CLIENT,
            "dig",
            "@" + ADDR,
            "+tries=1",
            "+time=3",
            "www.example.test");
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "node networking: query after SIGKILL answered by the kernel in %d ms: %s%n",
        millis,
        refused
            .out
            .lines()
            .filter(l -> l.contains("refused") || l.contains("timed out"))
            .findFirst()
            .orElse("?"));
    assertTrue(refused.out.contains("refused"), refused.out);
    assertTrue(millis < 2000, millis + " ms");
    Agent d = Agent.start(config, dir.resolve("d.log"));
    waitFor("a new instance answers after the crash", () -> dig().equals("192.0.2.53"));

    // The last instance stopping cleanly removes address and rules.
    d.process.destroy();
    assertTrue(d.process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, d.process.exitValue());
    assertFalse(sh("ip", "netns", "exec", NODE, "ip", "addr", "show").out.contains(ADDR + "/32"));
    assertFalse(sh("ip", "netns", "exec", NODE, "iptables", "-t", "raw", "-S").out.contains(ADDR));
    assertFalse(sh("ip", "netns", "exec", NODE, "iptables", "-S").out.contains(ADDR));
  }

  @Test
  void interceptingTheClusterDnsAddressAnswersQueriesSentToIt() throws Exception {
    String clusterDns = "10.96.0.10";
    sh("ip", "-n", CLIENT, "route", "add", clusterDns + "/32", "via", "10.251.0.1");
    Path config = dir.resolve("intercept.json");
    Files.writeString(
        config,
        """
        {"listen": {"addresses": ["%s"], "port": 53, "threads": 1, "drainPeriod": "200ms"},
         "upstreams": [{"zones": ["."], "servers": ["127.0.0.1:5300"], "transport": "udp"}],
         "admin": {"port": 9253},
         "network": {"setupInterface": true, "setupRules": true,
                     "interceptClusterDns": ["%s"]}}
        """
            .formatted(ADDR, clusterDns));
    Agent a = Agent.start(config, dir.resolve("intercept.log"));
    try {
      waitFor(
          "answered on the kube-dns ClusterIP",
          () ->
              sh(
                      "ip",
                      "netns",
                      "exec",
                      CLIENT,
                      "dig",
                      "@" + clusterDns,
                      "+short",
                      "+tries=1",
                      "+time=1",
                      "svc.example.test")
                  .out
                  .trim()
                  .equals("192.0.2.53"));
      String raw = sh("ip", "netns", "exec", NODE, "iptables", "-t", "raw", "-S").out;
      assertTrue(raw.contains("-d " + clusterDns + "/32"), raw);
    } finally {
      a.process.destroy();
      a.process.waitFor(20, TimeUnit.SECONDS);
    }
    assertFalse(
        sh("ip", "netns", "exec", NODE, "ip", "addr", "show").out.contains(clusterDns + "/32"),
        "removed on a clean stop");
  }

  /** Starts the new instance, waits until it is ready, then stops the old one (SIGTERM). */
  static Agent replace(Agent old, Path config, String name) throws Exception {
    Agent next = Agent.start(config, dir.resolve(name + ".log"));
    waitFor(
        name + " ready",
        () -> {
          try {
            return Files.readString(next.log).contains("node cache agent ready");
          } catch (Exception e) {
            return false;
          }
        });
    Thread.sleep(300);
    old.process.destroy();
    assertTrue(old.process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, old.process.exitValue());
    return next;
  }

  record Agent(Process process, Path log) {
    static Agent start(Path config, Path log) throws Exception {
      return new Agent(
          inNode(
              List.of(
                  java(),
                  "-Dnodecache.reloadMillis=200",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "--config",
                  config.toString()),
              log),
          log);
    }
  }

  static Process inNode(List<String> command, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NODE));
    cmd.addAll(command);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String dig() {
    return sh(
            "ip",
            "netns",
            "exec",
            CLIENT,
            "dig",
            "@" + ADDR,
            "+short",
            "+tries=1",
            "+time=1",
            "www.example.test")
        .out
        .trim();
  }

  record Result(int exit, String out) {}

  static Result sh(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return new Result(-1, e.toString());
    }
  }

  static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static void waitFor(String what, java.util.function.BooleanSupplier ok) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(100);
    }
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
