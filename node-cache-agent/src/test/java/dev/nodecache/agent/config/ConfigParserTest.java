package dev.nodecache.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.config.AgentConfig.Policy;
import dev.nodecache.agent.config.AgentConfig.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
  static final String MINIMAL =
      """
      {"listen":   {"addresses": ["127.0.0.20"], "port": 5353},
       "upstreams": [{"zones": ["."], "servers": ["127.0.0.2:5300"], "transport": "udp"}]}""";

  final ConfigParser parser = new ConfigParser(new ResolvConf(Path.of("/nonexistent")));

  @Test
  void theSpecExampleParsesWithDefaultsForTheRest() throws Exception {
    AgentConfig c =
        parser.parse(
            """
            {"listen":   {"addresses": ["127.0.0.20"], "port": 5353},
             "upstreams": [{"zones": ["."], "servers": ["127.0.0.2:5300"], "transport": "udp"}],
             "cache":    {"maxEntries": 100000, "maxTtl": "1h", "negative": {"maxTtl": "5m"}},
             "admin":    {"address": "127.0.0.20", "port": 9253, "tokenFile": "/run/nodecache/token"},
             "flush":    {"id": "", "names": []}}""");
    assertEquals(5353, c.listen().port());
    assertEquals(List.of(new InetSocketAddress("127.0.0.2", 5300)), c.upstreams().get(0).servers());
    assertEquals(Transport.UDP, c.upstreams().get(0).transport());
    assertEquals(Policy.SEQUENTIAL, c.upstreams().get(0).policy());
    assertEquals(Duration.ofHours(1), c.cache().defaults().maxTtl());
    assertEquals(Duration.ofSeconds(5), c.cache().defaults().servfailTtl());
    assertTrue(c.cache().defaults().serveStale().enabled());
    assertEquals(Duration.ofMillis(1800), c.cache().defaults().serveStale().clientTimeout());
    assertEquals(9253, c.admin().port());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"upstreams\": []}                                          | listen: required",
        "{\"listen\": {\"addresses\": [], \"port\": 53}, \"upstreams\": [] } | listen.addresses: at least one",
        "{\"listen\": {\"addresses\": [\"localhost\"]}, \"upstreams\": []} | listen.addresses[0]: \"localhost\" is not an IPv4 or IPv6 address",
        "{\"listen\": {\"addresses\": [\"::1\"], \"port\": 70000}, \"upstreams\": []} | listen.port: expected an integer from 1 to 65535",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4:x\"]}]} | upstreams[0].servers[0]: bad port",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"], \"transport\": \"quic\"}]} | upstreams[0].transport: \"quic\" is not one of udp, tcp, prefer-udp",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"], \"policy\": \"fastest\"}]} | upstreams[0].policy: \"fastest\" is not one of sequential, round-robin, random",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"maxTtl\": \"1 hour\"}} | cache.maxTtl: expected a duration",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"minTtl\": \"2h\"}} | cache.minTtl: must not be more than maxTtl",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"servfailTtl\": \"10m\"}} | cache.servfailTtl: must be at most 5m",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"maxTTL\": \"1h\"}} | cache.maxTTL: unknown field",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"zones\": [{\"zones\": [\"a\"], \"negative\": {\"maxTtl\": 5}}]}} | cache.zones[0].negative.maxTtl: expected a duration",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}, {\"zones\": [\".\"], \"servers\": [\"1.2.3.5\"]}]} | upstreams[1].zones: zone \".\" is listed twice",
        "{\"listen\": {\"addresses\": [\"127.0.0.1\"], \"port\": 53}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"127.0.0.1\"]}]} | upstreams[0].servers: 127.0.0.1:53 is the agent itself",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"migrations\": [{\"name\": \"m\", \"names\": [\"a.example\"], \"cutoverAt\": \"tomorrow\"}]} | migrations[0].cutoverAt: expected an RFC 3339 time",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"flush\": {\"names\": [\"a*.example\"]}} | flush.names[0]: \"a*.example\": a wildcard is allowed only as a leading",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"maxBytes\": \"64MB\"}} | cache.maxBytes: expected a size from 1Mi to 65536Mi (bytes, or such as 48Mi), got \"64MB\"",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"maxBytes\": 1000}} | cache.maxBytes: expected a size from 1Mi",
        "{\"listen\": {\"addresses\": [\"::1\"]}, \"upstreams\": [{\"zones\": [\".\"], \"servers\": [\"1.2.3.4\"]}], \"cache\": {\"maxBytes\": \"99999999999Gi\"}} | cache.maxBytes: expected a size from 1Mi",
        "[1, 2] | config: expected an object",
        "{\"listen\": | config: not valid JSON",
      })
  void aBadFieldIsNamed(String json, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(json));
    assertTrue(e.getMessage().startsWith(message.trim()), "got: " + e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "1048576, 1048576",
    "'\"48Mi\"', 50331648",
    "'\"2048Ki\"', 2097152",
    "'\"1Gi\"', 1073741824"
  })
  void maxBytesIsBytesOrAQuantity(String json, long bytes) throws Exception {
    String cache = ", \"cache\": {\"maxBytes\": " + json + "}}";
    AgentConfig c = parser.parse(MINIMAL.substring(0, MINIMAL.lastIndexOf('}')) + cache);
    assertEquals(bytes, c.cache().maxBytes());
  }

  @Test
  void withoutMaxBytesTheCacheTakesTwoThirdsOfTheHeapBeyondTheBase() throws Exception {
    AgentConfig c = parser.parse(MINIMAL);
    assertEquals(0, c.cache().maxBytes());
    long heap = Runtime.getRuntime().maxMemory();
    assertEquals((heap - MemoryRule.BASE_HEAP) * 2 / 3, c.cache().maxBytesIn(Runtime.getRuntime()));
  }

  @Test
  void invalidationIsOffUnlessZonesAreNamedAndItsTimesAreBounded() throws Exception {
    assertFalse(parser.parse(MINIMAL).invalidation().enabled());
    AgentConfig c =
        parser.parse(
            MINIMAL.replace(
                "}]}",
                "}], \"invalidation\": {\"zones\": [\"Cluster.Local.\"], \"hold\": \"10m\"}}"));
    assertEquals(List.of("cluster.local"), c.invalidation().zones());
    assertEquals(Duration.ofMinutes(10), c.invalidation().hold());
    assertEquals(Duration.ofSeconds(15), c.invalidation().lease());
    assertEquals(Duration.ofSeconds(2), c.invalidation().settle());
    for (String[] bad :
        new String[][] {
          {"{\"zones\": [\".\"]}", "invalidation.zones: the root cannot be followed"},
          {"{\"zones\": [\"a\"], \"lease\": \"0s\"}", "invalidation.lease: must be more than 0s"},
          {"{\"zones\": [\"a\"], \"hold\": \"48h\"}", "invalidation.hold: at most 24h"},
          {"{\"zones\": [\"a\"], \"holdFor\": \"1m\"}", "invalidation.holdFor"},
        }) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> parser.parse(MINIMAL.replace("}]}", "}], \"invalidation\": " + bad[0] + "}")));
      assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
    }
  }

  @Test
  void serversTakeEveryWrittenForm() throws Exception {
    AgentConfig c =
        parser.parse(
            """
            {"listen": {"addresses": ["::1", "127.0.0.20"]},
             "upstreams": [{"zones": ["."],
                            "servers": ["10.0.0.1", "10.0.0.2:5300", "[fd00::1]:5353", "fd00::2"]}]}""");
    assertEquals(
        List.of(
            new InetSocketAddress("10.0.0.1", 53),
            new InetSocketAddress("10.0.0.2", 5300),
            new InetSocketAddress("fd00::1", 5353),
            new InetSocketAddress("fd00::2", 53)),
        c.upstreams().get(0).servers());
    assertEquals(2, c.listen().addresses().size());
  }

  @Test
  void emptyServersMeanTheNameserversOfResolvConf(@TempDir Path dir) throws Exception {
    Path resolv = dir.resolve("resolv.conf");
    Files.writeString(
        resolv,
        """
        # generated
        search svc.cluster.local
        nameserver 127.0.0.53
        nameserver fe80::1%eth0
        nameserver not-an-address
        options ndots:5
        """);
    AgentConfig c =
        new ConfigParser(new ResolvConf(resolv))
            .parse(MINIMAL.replace("[\"127.0.0.2:5300\"]", "[]"));
    assertEquals(
        List.of(new InetSocketAddress("127.0.0.53", 53), new InetSocketAddress("fe80::1", 53)),
        c.upstreams().get(0).servers());
  }

  @Test
  void emptyServersWithoutResolvConfNameserversIsAnError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> parser.parse(MINIMAL.replace("[\"127.0.0.2:5300\"]", "[]")));
    assertTrue(e.getMessage().startsWith("upstreams[0].servers: empty, and /nonexistent"));
  }

  @Test
  void zoneOverridesInheritTheDefaults() throws Exception {
    AgentConfig c =
        parser.parse(
            MINIMAL.replace(
                "}]}",
                "}], \"cache\": {\"minTtl\": \"5s\", \"zones\": [{\"zones\": [\"Cluster.Local.\"], "
                    + "\"maxTtl\": \"30s\", \"negative\": {\"maxTtl\": \"5s\"}}]}}"));
    var zone = c.cache().zones().get(0);
    assertEquals(List.of("cluster.local"), zone.zones());
    assertEquals(Duration.ofSeconds(5), zone.rules().minTtl());
    assertEquals(Duration.ofSeconds(30), zone.rules().maxTtl());
    assertEquals(Duration.ofSeconds(5), zone.rules().negativeMaxTtl());
  }

  @ParameterizedTest
  @CsvSource({"500ms,500", "30s,30000", "5m,300000", "1h,3600000", "1m30s,90000", "0,0", "0s,0"})
  void durations(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationText.parse(text));
    assertEquals(
        Duration.ofMillis(millis),
        DurationText.parse(DurationText.format(Duration.ofMillis(millis))));
  }

  @ParameterizedTest
  @CsvSource({"''", "5", "1.5s", "s", "-1s", "1d"})
  void notDurations(String text) {
    assertEquals(null, DurationText.parse(text));
  }
}
