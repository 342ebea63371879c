package dev.nodecache.agent.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.differential.EdgeCaseZone.Question;
import dev.nodecache.agent.testing.ManualTicker;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The agent against Unbound, both forwarding to one NSD serving a zone of edge cases: the same
 * questions, with several flag and EDNS combinations, must get the same rcode, TC bit and answer
 * RRsets (TTLs, order and the AD bit aside). Every difference left is in {@link #ALLOWED} with the
 * RFC that allows it. Skipped when `nsd` or `unbound` is not installed (apt-get install nsd
 * unbound). Everything runs on loopback, bounded in count and time.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DifferentialTest {
  static final String NSD_IP = "127.0.0.51";
  static final String UNBOUND_IP = "127.0.0.52";
  static final String AGENT_IP = "127.0.0.53";
  static final Duration BUDGET = Duration.ofSeconds(150);
  static final int REPLY_TIMEOUT_MILLIS = 4000;
  static final String NO_REPLY = "no reply"; // never equal to anything, not even itself

  /** The query's flavour: with or without EDNS, its UDP size, DO and CD. */
  enum Flavour {
    NO_EDNS(0, false, false),
    EDNS_1232(1232, false, false),
    EDNS_4096_DO(4096, true, false),
    EDNS_512_CD(512, false, true);

    final int udpSize;
    final boolean dnssecOk;
    final boolean checkingDisabled;

    Flavour(int udpSize, boolean dnssecOk, boolean checkingDisabled) {
      this.udpSize = udpSize;
      this.dnssecOk = dnssecOk;
      this.checkingDisabled = checkingDisabled;
    }

    Message query(Question q) {
      Message m =
          udpSize == 0
              ? TestClient.query(q.absolute(), q.type())
              : TestClient.ednsQuery(q.absolute(), q.type(), udpSize, dnssecOk);
      if (checkingDisabled) {
        m.getHeader().setFlag(Flags.CD);
      }
      return m;
    }
  }

  /** What is compared of a reply. */
  record Outcome(String rcode, boolean truncated, Set<String> answer) {
    static Outcome of(byte[] wire) {
      if (wire == null) {
        return new Outcome(NO_REPLY, false, Set.of());
      }
      Message m = TestClient.parse(wire);
      Set<String> answer = new TreeSet<>();
      for (Record r : m.getSection(Section.ANSWER)) {
        String owner = r.getName().toString().toLowerCase(Locale.ROOT);
        answer.add(owner + " " + Type.string(r.getType()) + " " + r.rdataToString());
      }
      return new Outcome(Rcode.string(m.getRcode()), m.getHeader().getFlag(Flags.TC), answer);
    }

    boolean is(String rcode) {
      return this.rcode.equals(rcode);
    }

    @Override
    public String toString() {
      String records =
          answer.size() <= 4
              ? answer.toString()
              : answer.size() + " records, " + answer.iterator().next() + " ...";
      return rcode + (truncated ? " TC" : "") + " " + records;
    }
  }

  /** One question in one flavour, answered differently. */
  record Difference(Question question, Flavour flavour, Outcome agent, Outcome unbound) {
    int type() {
      return question.type();
    }

    @Override
    public String toString() {
      return question.absolute()
          + " "
          + Type.string(question.type())
          + " "
          + flavour
          + "\n    agent:   "
          + agent
          + "\n    unbound: "
          + unbound;
    }
  }

  /** A difference the RFCs allow, and why. */
  record Allowed(String why, Predicate<Difference> covers) {}

  static final List<Allowed> ALLOWED =
      List.of(
          // RFC 6895 §3.1: type 0 is reserved and never allocated: the agent answers FORMERR
          // itself (and so can never cache anything for it); Unbound forwards it.
          new Allowed("TYPE0 is FORMERR", d -> d.type() == 0 && d.agent().is("FORMERR")),
          // RFC 1035 §4.1.1: NOTIMP is "the kind of query is not supported"; MAILA and MAILB
          // are obsolete meta-queries (RFC 1035 §3.2.3, MX since RFC 974). Unbound says FORMERR.
          new Allowed(
              "MAILA/MAILB are NOTIMP",
              d ->
                  (d.type() == Type.MAILA || d.type() == Type.MAILB)
                      && d.agent().is("NOTIMP")
                      && d.unbound().is("FORMERR")),
          // RFC 2930 §4: a TKEY query agrees a key with the server asked; the agent implements
          // none and must not pass it on: NOTIMP. Unbound says FORMERR.
          new Allowed(
              "TKEY is NOTIMP",
              d -> d.type() == Type.TKEY && d.agent().is("NOTIMP") && d.unbound().is("FORMERR")),
          // RFC 1034 §3.6.2: CNAME chains are to be followed and loops signalled as errors;
          // no RFC sets a length. The agent follows 16 CNAMEs in one reply (BIND's limit),
          // Unbound 11: it answers SERVFAIL where the agent passes the whole chain on.
          new Allowed(
              "the agent follows CNAME chains of 12 to 16",
              d ->
                  chainLength(d.question()) > 11
                      && chainLength(d.question()) <= 16
                      && d.agent().is("NOERROR")
                      && d.agent().answer().size() >= chainLength(d.question())
                      && d.unbound().is("SERVFAIL")),
          // RFC 8482 §4: an ANY answer may hold any non-empty subset of the name's RRsets. The
          // agent passes NSD's (one RRset); Unbound adds RRsets it has cached for the name.
          new Allowed(
              "ANY answers hold different subsets",
              d ->
                  d.type() == Type.ANY
                      && d.agent().is("NOERROR")
                      && d.unbound().is("NOERROR")
                      && !d.agent().answer().isEmpty()
                      && d.unbound().answer().containsAll(d.agent().answer())));

  static Path dir;
  static DnsProcess nsd;
  static DnsProcess unbound;
  static TestAgent agent;
  static InetSocketAddress unboundAddress;

  @BeforeAll
  static void start() throws Exception {
    String nsdBinary = binary("nsd");
    String unboundBinary = binary("unbound");
    Assumptions.assumeTrue(
        nsdBinary != null && unboundBinary != null,
        "nsd or unbound is not installed (apt-get install -y nsd unbound): differential skipped");
    dir = Files.createTempDirectory("nodecache-differential");
    int nsdPort = TestAgent.freePort(NSD_IP);
    InetSocketAddress nsdAddress = new InetSocketAddress(InetAddress.getByName(NSD_IP), nsdPort);
    Files.writeString(dir.resolve("example.test.zone"), EdgeCaseZone.zone(NSD_IP));
    Files.writeString(dir.resolve("other.test.zone"), EdgeCaseZone.otherZone(NSD_IP));
    Files.writeString(dir.resolve("nsd.conf"), nsdConfig(nsdPort));
    Message probe = TestClient.query(EdgeCaseZone.ORIGIN, Type.SOA);
    nsd =
        DnsProcess.start(
            "nsd",
            dir,
            List.of(nsdBinary, "-d", "-c", dir.resolve("nsd.conf").toString()),
            nsdAddress,
            probe,
            Duration.ofSeconds(20));

    int unboundPort = TestAgent.freePort(UNBOUND_IP);
    unboundAddress = new InetSocketAddress(InetAddress.getByName(UNBOUND_IP), unboundPort);
    Files.writeString(dir.resolve("unbound.conf"), unboundConfig(unboundPort, nsdPort));
    unbound =
        DnsProcess.start(
            "unbound",
            dir,
            List.of(unboundBinary, "-d", "-c", dir.resolve("unbound.conf").toString()),
            unboundAddress,
            probe,
            Duration.ofSeconds(20));

    String config =
        """
        {"listen": {"addresses": ["%s"], "port": %d, "threads": 1},
         "upstreams": [{"zones": ["."], "servers": ["%s:%d"], "transport": "prefer-udp",
                        "timeout": "2s"}],
         "admin": {"port": 0}}
        """
            .formatted(AGENT_IP, TestAgent.freePort(AGENT_IP), NSD_IP, nsdPort);
    agent = TestAgent.start(AGENT_IP, new ManualTicker(), Clock.systemUTC(), config);
  }

  @AfterAll
  static void stop() throws IOException {
    if (agent != null) {
      agent.close();
    }
    if (unbound != null) {
      unbound.close();
    }
    if (nsd != null) {
      nsd.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(DifferentialTest::delete);
      }
    }
  }

  @Test
  void theAgentAnswersAsUnboundDoesOrAsAnRfcAllows() throws Exception {
    TestClient toAgent = agent.client();
    TestClient toUnbound = new TestClient(unboundAddress);
    long deadline = System.nanoTime() + BUDGET.toNanos();
    List<Difference> unexplained = new ArrayList<>();
    Map<String, Integer> explained = new LinkedHashMap<>();
    Map<String, Integer> rcodes = new java.util.TreeMap<>();
    int asked = 0;
    for (Question q : EdgeCaseZone.questions()) {
      for (Flavour f : Flavour.values()) {
        assertTrue(System.nanoTime() < deadline, "over the time budget after " + asked);
        byte[] query = f.query(q).toWire();
        Outcome fromAgent = Outcome.of(toAgent.udpRaw(query, REPLY_TIMEOUT_MILLIS));
        Outcome fromUnbound = Outcome.of(toUnbound.udpRaw(query, REPLY_TIMEOUT_MILLIS));
        asked++;
        rcodes.merge(fromAgent.rcode() + (fromAgent.truncated() ? " TC" : ""), 1, Integer::sum);
        if (fromAgent.equals(fromUnbound) && !fromAgent.is(NO_REPLY)) {
          continue;
        }
        Difference d = new Difference(q, f, fromAgent, fromUnbound);
        Allowed why = ALLOWED.stream().filter(a -> a.covers().test(d)).findFirst().orElse(null);
        if (why == null) {
          unexplained.add(d);
        } else {
          explained.merge(why.why(), 1, Integer::sum);
        }
      }
    }
    System.out.println(
        "differential: "
            + asked
            + " queries each; the agent's answers "
            + rcodes
            + "; allowed differences "
            + explained);
    assertTrue(asked >= 500, "asked " + asked);
    assertEquals(
        "",
        String.join("\n", unexplained.stream().map(Difference::toString).toList()),
        unexplained.size()
            + " unexplained differences of "
            + asked
            + " (nsd log:\n"
            + nsd.log()
            + ")");
  }

  /** The number of CNAMEs in the chain a question starts ("chN-0" has N), or -1. */
  static int chainLength(Question q) {
    String n = q.name();
    return n.startsWith("ch") && n.endsWith("-0")
        ? Integer.parseInt(n.substring(2, n.length() - 2))
        : -1;
  }

  static String nsdConfig(int port) {
    return """
    server:
      ip-address: %1$s@%2$d
      port: %2$d
      do-ip6: no
      username: ""
      chroot: ""
      zonesdir: "%3$s"
      database: ""
      pidfile: "%3$s/nsd.pid"
      xfrdfile: "%3$s/xfrd.state"
      zonelistfile: "%3$s/zone.list"
      server-count: 1
      verbosity: 1
      hide-version: yes
    remote-control:
      control-enable: no
    zone:
      name: example.test
      zonefile: example.test.zone
    zone:
      name: other.test
      zonefile: other.test.zone
    """
        .formatted(NSD_IP, port, dir);
  }

  /**
   * Unbound as a pure forwarder to NSD: no root hints, no validator (nothing to fetch), the RFC
   * 6761 "test." default local zone off, answers up to the client's UDP size as the agent.
   */
  static String unboundConfig(int port, int nsdPort) {
    return """
    server:
      interface: %1$s
      port: %2$d
      outgoing-interface: %1$s
      do-ip6: no
      username: ""
      chroot: ""
      directory: "%3$s"
      pidfile: "%3$s/unbound.pid"
      use-syslog: no
      logfile: ""
      do-daemonize: no
      verbosity: 1
      num-threads: 1
      so-reuseport: no
      access-control: 127.0.0.0/8 allow
      do-not-query-localhost: no
      module-config: "iterator"
      prefetch: no
      max-udp-size: 4096
      local-zone: "test." nodefault
    remote-control:
      control-enable: no
    forward-zone:
      name: "."
      forward-addr: %4$s@%5$d
    """
        .formatted(UNBOUND_IP, port, dir, NSD_IP, nsdPort);
  }

  private static String binary(String name) {
    for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
      File f = new File(d, name);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
