package dev.nodecache.agent.config;

import dev.nodecache.agent.config.AgentConfig.Admin;
import dev.nodecache.agent.config.AgentConfig.Cache;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.config.AgentConfig.Flush;
import dev.nodecache.agent.config.AgentConfig.Invalidation;
import dev.nodecache.agent.config.AgentConfig.Listen;
import dev.nodecache.agent.config.AgentConfig.Log;
import dev.nodecache.agent.config.AgentConfig.LogFormat;
import dev.nodecache.agent.config.AgentConfig.Migration;
import dev.nodecache.agent.config.AgentConfig.Network;
import dev.nodecache.agent.config.AgentConfig.Policy;
import dev.nodecache.agent.config.AgentConfig.Prefetch;
import dev.nodecache.agent.config.AgentConfig.ServeStale;
import dev.nodecache.agent.config.AgentConfig.Transport;
import dev.nodecache.agent.config.AgentConfig.UpstreamGroup;
import dev.nodecache.agent.config.AgentConfig.ZoneRules;
import dev.nodecache.agent.json.Json;
import dev.nodecache.agent.json.JsonException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Turns the agent config JSON into an {@link AgentConfig}, or says which field is wrong. */
public final class ConfigParser {
  static final Duration MAX_SERVFAIL_TTL = Duration.ofMinutes(5);

  private static final CacheRules DEFAULT_RULES =
      new CacheRules(
          Duration.ZERO,
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(5),
          new ServeStale(
              true, Duration.ofHours(1), Duration.ofMillis(1800), Duration.ofSeconds(30)),
          new Prefetch(true, 5, 10));

  private final ResolvConf resolvConf;

  public ConfigParser(ResolvConf resolvConf) {
    this.resolvConf = resolvConf;
  }

  public AgentConfig parse(Path file) throws ConfigException {
    try {
      return parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  public AgentConfig parse(String json) throws ConfigException {
    if (json.isBlank()) {
      throw new ConfigException("config: the file is empty");
    }
    Object root;
    try {
      root = Json.parse(json);
    } catch (JsonException e) {
      throw new ConfigException(
          "config: not valid JSON (line "
              + e.line()
              + ", column "
              + e.column()
              + "): "
              + e.getMessage());
    }
    JsonFields top = JsonFields.of(root, "");
    if (!top.has("listen")) {
      throw new ConfigException("listen: required");
    }
    if (!top.has("upstreams")) {
      throw new ConfigException("upstreams: required");
    }
    Listen listen = listen(top.object("listen"));
    List<UpstreamGroup> upstreams = upstreams(top, listen);
    Cache cache = cache(top.object("cache"));
    Admin admin = admin(top.object("admin"), listen);
    Flush flush = flush(top.object("flush"));
    List<Migration> migrations = migrations(top);
    Network network = network(top.object("network"));
    Log log = log(top.object("log"));
    Invalidation invalidation = invalidation(top.object("invalidation"));
    top.noOthers();
    return new AgentConfig(
        listen, upstreams, cache, admin, flush, migrations, network, log, invalidation);
  }

  private static Listen listen(JsonFields f) throws ConfigException {
    List<InetAddress> addresses = f.list("addresses", ServerAddress::literal);
    if (addresses.isEmpty()) {
      throw new ConfigException(f.path("addresses") + ": at least one address is required");
    }
    int port = f.integer("port", 53, 1, 65535);
    int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
    Duration idle = f.duration("tcpIdleTimeout", Duration.ofSeconds(10));
    int maxTcp = f.integer("maxTcpConnections", 1000, 1, 1_000_000);
    Duration drain = f.duration("drainPeriod", Duration.ofSeconds(5));
    f.noOthers();
    return new Listen(List.copyOf(addresses), port, threads, idle, maxTcp, drain);
  }

  private List<UpstreamGroup> upstreams(JsonFields top, Listen listen) throws ConfigException {
    List<JsonFields> groups = top.objects("upstreams");
    if (groups.isEmpty()) {
      throw new ConfigException("upstreams: at least one upstream group is required");
    }
    List<UpstreamGroup> out = new ArrayList<>();
    Set<String> seenZones = new HashSet<>();
    for (JsonFields g : groups) {
      List<String> zones = g.list("zones", ConfigParser::zone);
      if (zones.isEmpty()) {
        throw new ConfigException(g.path("zones") + ": at least one zone is required");
      }
      for (String z : zones) {
        if (!seenZones.add(z)) {
          throw new ConfigException(g.path("zones") + ": zone \"" + z + "\" is listed twice");
        }
      }
      List<InetSocketAddress> servers = g.list("servers", s -> ServerAddress.parse(s, 53));
      if (servers.isEmpty()) {
        servers = resolvConf.nameservers();
        if (servers.isEmpty()) {
          throw new ConfigException(
              g.path("servers") + ": empty, and " + resolvConf.path() + " lists no nameserver");
        }
      }
      for (InetSocketAddress s : servers) {
        if (s.getPort() == listen.port() && listen.addresses().contains(s.getAddress())) {
          throw new ConfigException(
              g.path("servers") + ": " + ServerAddress.format(s) + " is the agent itself (a loop)");
        }
      }
      Transport transport = enumValue(g, "transport", Transport.class, Transport.PREFER_UDP);
      Policy policy = enumValue(g, "policy", Policy.class, Policy.SEQUENTIAL);
      Duration timeout = g.duration("timeout", Duration.ofSeconds(2));
      if (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new ConfigException(g.path("timeout") + ": must be more than 0s and at most 30s");
      }
      int maxConcurrent =
          g.integer(
              "maxConcurrent",
              UpstreamGroup.DEFAULT_MAX_CONCURRENT,
              1,
              UpstreamGroup.MAX_CONCURRENT_CEILING);
      g.noOthers();
      out.add(
          new UpstreamGroup(
              zones, List.copyOf(servers), transport, policy, timeout, maxConcurrent));
    }
    return List.copyOf(out);
  }

  private static Cache cache(JsonFields f) throws ConfigException {
    int maxEntries = f.integer("maxEntries", 100_000, 1, 100_000_000);
    long maxBytes = f.bytes("maxBytes", 0, MemoryRule.MIB, 64L << 30);
    CacheRules defaults = rules(f, DEFAULT_RULES);
    List<ZoneRules> zones = new ArrayList<>();
    for (JsonFields z : f.objects("zones")) {
      List<String> names = z.list("zones", ConfigParser::zone);
      if (names.isEmpty()) {
        throw new ConfigException(z.path("zones") + ": at least one zone is required");
      }
      zones.add(new ZoneRules(names, rules(z, defaults)));
      z.noOthers();
    }
    f.noOthers();
    return new Cache(maxEntries, maxBytes, defaults, List.copyOf(zones));
  }

  /** The TTL rules in {@code f}, each field falling back to {@code base}. */
  private static CacheRules rules(JsonFields f, CacheRules base) throws ConfigException {
    Duration minTtl = f.duration("minTtl", base.minTtl());
    Duration maxTtl = f.duration("maxTtl", base.maxTtl());
    if (minTtl.compareTo(maxTtl) > 0) {
      throw new ConfigException(f.path("minTtl") + ": must not be more than maxTtl");
    }
    JsonFields neg = f.object("negative");
    Duration negMax = neg.duration("maxTtl", base.negativeMaxTtl());
    neg.noOthers();
    Duration servfail = f.duration("servfailTtl", base.servfailTtl());
    if (servfail.compareTo(MAX_SERVFAIL_TTL) > 0) {
      throw new ConfigException(f.path("servfailTtl") + ": must be at most 5m");
    }
    JsonFields s = f.object("serveStale");
    ServeStale b = base.serveStale();
    ServeStale stale =
        new ServeStale(
            s.bool("enabled", b.enabled()),
            s.duration("maxStale", b.maxStale()),
            s.duration("clientTimeout", b.clientTimeout()),
            s.duration("answerTtl", b.answerTtl()));
    if (stale.answerTtl().isZero()) {
      throw new ConfigException(s.path("answerTtl") + ": must be more than 0s");
    }
    s.noOthers();
    JsonFields p = f.object("prefetch");
    Prefetch pb = base.prefetch();
    Prefetch prefetch =
        new Prefetch(
            p.bool("enabled", pb.enabled()),
            p.integer("minHits", pb.minHits(), 1, 1_000_000),
            p.integer("remainingPercent", pb.remainingPercent(), 1, 99));
    p.noOthers();
    return new CacheRules(minTtl, maxTtl, negMax, servfail, stale, prefetch);
  }

  private static Admin admin(JsonFields f, Listen listen) throws ConfigException {
    InetAddress address = listen.addresses().get(0);
    if (f.has("address")) {
      try {
        address = ServerAddress.literal(f.string("address", ""));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(f.path("address") + ": " + e.getMessage());
      }
    }
    Admin admin = new Admin(address, f.integer("port", 9253, 0, 65535), f.string("tokenFile", ""));
    f.noOthers();
    return admin;
  }

  private static Flush flush(JsonFields f) throws ConfigException {
    Flush flush = new Flush(f.string("id", ""), f.list("names", ConfigParser::flushName));
    f.noOthers();
    return flush;
  }

  private static List<Migration> migrations(JsonFields top) throws ConfigException {
    List<Migration> out = new ArrayList<>();
    for (JsonFields m : top.objects("migrations")) {
      String name = m.string("name", "");
      if (name.isEmpty()) {
        throw new ConfigException(m.path("name") + ": required");
      }
      List<String> names = m.list("names", ConfigParser::flushName);
      if (names.isEmpty()) {
        throw new ConfigException(m.path("names") + ": at least one name is required");
      }
      Instant cutover;
      try {
        cutover = Instant.parse(m.string("cutoverAt", ""));
      } catch (DateTimeParseException e) {
        throw new ConfigException(
            m.path("cutoverAt") + ": expected an RFC 3339 time such as 2026-12-01T10:00:00Z");
      }
      Duration ttl = m.duration("ttlDuringMigration", Duration.ofSeconds(30));
      String lead = m.string("drainLead", "auto");
      Duration drainLead = lead.equals("auto") ? null : m.duration("drainLead", null);
      m.noOthers();
      out.add(new Migration(name, names, cutover, ttl, drainLead));
    }
    return List.copyOf(out);
  }

  private static Invalidation invalidation(JsonFields f) throws ConfigException {
    List<String> zones = f.list("zones", ConfigParser::zone);
    if (zones.contains(".")) {
      throw new ConfigException(f.path("zones") + ": the root cannot be followed, name the domain");
    }
    Invalidation off = Invalidation.OFF;
    Invalidation i =
        new Invalidation(
            zones,
            f.duration("hold", Duration.ofMinutes(5)),
            f.duration("lease", off.lease()),
            f.duration("settle", off.settle()));
    if (i.lease().isZero() || i.lease().compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException(f.path("lease") + ": must be more than 0s and at most 10m");
    }
    if (i.hold().compareTo(Duration.ofDays(1)) > 0) {
      throw new ConfigException(f.path("hold") + ": at most 24h");
    }
    if (i.settle().compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException(f.path("settle") + ": at most 1m");
    }
    f.noOthers();
    return i;
  }

  private static Network network(JsonFields f) throws ConfigException {
    Network n =
        new Network(
            f.bool("setupInterface", false),
            f.string("interfaceName", "nodecache"),
            f.bool("setupRules", false),
            f.list("interceptClusterDns", ServerAddress::literal));
    if (n.interfaceName().isEmpty() || n.interfaceName().length() > 15) {
      throw new ConfigException(f.path("interfaceName") + ": must be 1 to 15 characters");
    }
    f.noOthers();
    return n;
  }

  private static Log log(JsonFields f) throws ConfigException {
    String level = f.string("level", "info").toLowerCase(Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
      throw new ConfigException(
          f.path("level") + ": \"" + level + "\" is not one of error, warn, info, debug, trace");
    }
    Log log = new Log(level, enumValue(f, "format", LogFormat.class, LogFormat.TEXT));
    f.noOthers();
    return log;
  }

  private static <E extends Enum<E>> E enumValue(
      JsonFields f, String field, Class<E> type, E fallback) throws ConfigException {
    String text = f.string(field, null);
    if (text == null) {
      return fallback;
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String wire = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
      if (wire.equals(text)) {
        return e;
      }
      allowed.add(wire);
    }
    throw new ConfigException(
        f.path(field) + ": \"" + text + "\" is not one of " + String.join(", ", allowed));
  }

  /** A zone as a lower-case name without trailing dot; "." is the root. */
  static String zone(String text) {
    if (text.equals(".")) {
      return ".";
    }
    try {
      String canonical = Name.fromString(text, Name.root).canonicalize().toString(true);
      return canonical.isEmpty() ? "." : canonical;
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a domain name: " + e.getMessage());
    }
  }

  /** A name to flush or migrate: a domain name, or "*." and a domain name for a subtree. */
  public static String flushName(String text) {
    if (text.startsWith("*.")) {
      return "*." + zone(text.substring(2));
    }
    if (text.contains("*")) {
      throw new IllegalArgumentException(
          "\"" + text + "\": a wildcard is allowed only as a leading \"*.\"");
    }
    return zone(text);
  }
}
