package dev.nodecache.agent.network;

import dev.nodecache.agent.config.AgentConfig;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of a link-local DNS address (SPEC §7): an interface holding the listen addresses
 * (and an intercepted cluster DNS address), and the rules that skip connection tracking and accept
 * DNS for them. Idempotent: {@link #ensure} adds only what is missing, so it is also the periodic
 * re-check. Where the kernel has no dummy interfaces, the addresses are held on the loopback
 * interface instead, and the log says so.
 */
public final class NodeNetwork {
  private static final Logger log = LoggerFactory.getLogger(NodeNetwork.class);
  static final String COMMENT = "nodecache";

  private final AgentConfig.Network network;
  private final List<InetAddress> addresses;
  private final int port;
  private final Commands commands;
  private String device;
  private boolean warnedFallback;

  public NodeNetwork(AgentConfig config) {
    this(config, new Commands());
  }

  NodeNetwork(AgentConfig config, Commands commands) {
    this.network = config.network();
    this.addresses = listenAddresses(config);
    this.port = config.listen().port();
    this.commands = commands;
  }

  public boolean enabled() {
    return network.setupInterface() || network.setupRules();
  }

  /** The addresses an agent with this config must also listen on (intercepted cluster DNS). */
  public static List<InetAddress> listenAddresses(AgentConfig config) {
    Set<InetAddress> all = new LinkedHashSet<>(config.listen().addresses());
    all.addAll(config.network().interceptClusterDns());
    return List.copyOf(all);
  }

  /** Creates what is missing; returns problems (empty when all is in place). */
  public synchronized List<String> ensure() {
    List<String> problems = new ArrayList<>();
    if (network.setupInterface()) {
      ensureInterface(problems);
    }
    if (network.setupRules()) {
      for (List<String> rule : rules()) {
        ensureRule(rule, problems);
      }
    }
    return problems;
  }

  private void ensureInterface(List<String> problems) {
    String name = network.interfaceName();
    if (device == null) {
      if (commands.run(List.of("ip", "link", "show", name)).ok()
          || commands.run(List.of("ip", "link", "add", name, "type", "dummy")).ok()) {
        device = name;
        commands.run(List.of("ip", "link", "set", name, "up"));
      } else {
        device = "lo";
        if (!warnedFallback) {
          warnedFallback = true;
          log.warn(
              "cannot create the dummy interface {} (this kernel has no dummy link type?);"
                  + " holding {} on lo instead",
              name,
              addresses);
        }
      }
    }
    for (InetAddress a : addresses) {
      String cidr = a.getHostAddress() + (a instanceof Inet6Address ? "/128" : "/32");
      String shown = commands.run(List.of("ip", "addr", "show", "dev", device)).output();
      if (!shown.contains(" " + a.getHostAddress() + "/")) {
        var r = commands.run(List.of("ip", "addr", "add", cidr, "dev", device));
        if (r.ok()) {
          log.info("added {} to {}", cidr, device);
        } else {
          problems.add("ip addr add " + cidr + " dev " + device + ": " + r.output());
        }
      }
    }
  }

  /**
   * NOTRACK for DNS to and from the addresses (no conntrack entries for millions of short UDP
   * flows, no DNAT of an intercepted ClusterIP) and ACCEPT in the filter table.
   */
  List<List<String>> rules() {
    List<List<String>> rules = new ArrayList<>();
    for (InetAddress a : addresses) {
      String tool = a instanceof Inet6Address ? "ip6tables" : "iptables";
      String ip = a.getHostAddress();
      for (String proto : List.of("udp", "tcp")) {
        rules.add(rule(tool, "raw", "PREROUTING", "-d", ip, proto, "--dport", "NOTRACK"));
        rules.add(rule(tool, "raw", "OUTPUT", "-s", ip, proto, "--sport", "NOTRACK"));
        rules.add(rule(tool, "filter", "INPUT", "-d", ip, proto, "--dport", "ACCEPT"));
        rules.add(rule(tool, "filter", "OUTPUT", "-s", ip, proto, "--sport", "ACCEPT"));
      }
    }
    return rules;
  }

  private List<String> rule(
      String tool,
      String table,
      String chain,
      String dir,
      String ip,
      String proto,
      String portDir,
      String target) {
    return List.of(
        tool,
        "-w",
        "5",
        "-t",
        table,
        "%OP%",
        chain,
        dir,
        ip,
        "-p",
        proto,
        portDir,
        String.valueOf(port),
        "-m",
        "comment",
        "--comment",
        COMMENT,
        "-j",
        target);
  }

  private void ensureRule(List<String> rule, List<String> problems) {
    if (commands.run(with(rule, "-C")).ok()) {
      return;
    }
    // Inserted first: the rules must win over a node's own REJECT/DROP rules further down.
    var r = commands.run(with(rule, "-I"));
    if (!r.ok()) {
      problems.add(String.join(" ", with(rule, "-I")) + ": " + r.output());
    }
  }

  /** Removes the rules and addresses (a clean stop with no other instance serving). */
  public synchronized void remove() {
    if (network.setupRules()) {
      for (List<String> rule : rules()) {
        while (commands.run(with(rule, "-C")).ok()) {
          if (!commands.run(with(rule, "-D")).ok()) {
            break;
          }
        }
      }
    }
    if (network.setupInterface() && device != null) {
      for (InetAddress a : addresses) {
        String cidr = a.getHostAddress() + (a instanceof Inet6Address ? "/128" : "/32");
        commands.run(List.of("ip", "addr", "del", cidr, "dev", device));
      }
      if (!device.equals("lo")) {
        commands.run(List.of("ip", "link", "del", device));
      }
    }
    log.info("removed the node setup for {}", addresses);
  }

  private static List<String> with(List<String> rule, String op) {
    List<String> out = new ArrayList<>(rule);
    out.set(out.indexOf("%OP%"), op);
    return out;
  }
}
