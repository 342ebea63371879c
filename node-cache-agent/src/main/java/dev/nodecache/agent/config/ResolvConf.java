package dev.nodecache.agent.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's nameservers, as {@code servers: []} asks for them. */
public final class ResolvConf {
  private final Path path;
  private final List<InetSocketAddress> fixed;

  public ResolvConf(Path path) {
    this.path = path;
    this.fixed = null;
  }

  private ResolvConf(List<InetSocketAddress> fixed) {
    this.path = Path.of("(fixed)");
    this.fixed = List.copyOf(fixed);
  }

  /**
   * Stands for a node's resolv.conf that is not here, e.g. when the operator checks a config that
   * an agent will complete on its node.
   */
  public static ResolvConf fixed(List<InetSocketAddress> nameservers) {
    return new ResolvConf(nameservers);
  }

  /** /etc/resolv.conf unless the system property {@code nodecache.resolvConf} names another. */
  public static ResolvConf system() {
    return new ResolvConf(Path.of(System.getProperty("nodecache.resolvConf", "/etc/resolv.conf")));
  }

  public Path path() {
    return path;
  }

  public List<InetSocketAddress> nameservers() {
    if (fixed != null) {
      return fixed;
    }
    List<InetSocketAddress> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(path);
    } catch (IOException e) {
      return out;
    }
    for (String line : lines) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        String host = words[1];
        int zoneIndex = host.indexOf('%'); // fe80::1%eth0: the scope is not a literal
        if (zoneIndex > 0) {
          host = host.substring(0, zoneIndex);
        }
        try {
          out.add(new InetSocketAddress(ServerAddress.literal(host), 53));
        } catch (IllegalArgumentException e) {
          // resolv.conf with a bad line: skip it as the libc resolver does
        }
      }
    }
    return out;
  }
}
