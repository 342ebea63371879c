package dev.nodecache.agent.admin;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.config.ConfigWatcher;
import dev.nodecache.agent.testing.ManualTicker;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Hot reload of the config file, flush ids from the config, and migration TTL caps. */
class ReloadAndMigrationTest {
  static final String IP = "127.0.0.42";
  static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

  @TempDir Path dir;
  final ManualTicker ticker = new ManualTicker();
  ScriptedUpstream upstream;
  ScriptedUpstream second;
  TestAgent agent;
  TestClient client;
  ConfigWatcher watcher;
  Path configFile;
  String baseConfig;

  @BeforeEach
  void start() throws Exception {
    upstream = new ScriptedUpstream("127.0.0.43");
    second = new ScriptedUpstream("127.0.0.44");
    for (ScriptedUpstream u : List.of(upstream, second)) {
      u.answer("api.example.", Type.A, rr("api.example. 3600 IN A 192.0.2.1"));
      u.answer("www.example.", Type.A, rr("www.example. 3600 IN A 192.0.2.2"));
      u.answer("new.example.", Type.A, rr("new.example. 3600 IN A 192.0.2.3"));
    }
  }

  void startAgent(String overrides) throws Exception {
    baseConfig = TestAgent.configJson(IP, upstream, overrides);
    configFile = dir.resolve("config.json");
    Files.writeString(configFile, baseConfig);
    agent = TestAgent.start(IP, ticker, Clock.fixed(NOW, ZoneOffset.UTC), baseConfig);
    client = agent.client();
    watcher = new ConfigWatcher(configFile, TestAgent.parser(), baseConfig, agent.agent());
  }

  /** Writes the file with {@code overrides} merged into the starting config, then checks it. */
  void change(String overrides) throws Exception {
    Files.writeString(configFile, TestAgent.merged(baseConfig, overrides));
    watcher.check();
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    if (agent != null) {
      agent.close();
    }
    upstream.close();
    second.close();
  }

  static long ttl(org.xbill.DNS.Message m) {
    return m.getSection(Section.ANSWER).get(0).getTTL();
  }

  @Test
  void aValidChangeIsAppliedWithoutDroppingTheCache() throws Exception {
    startAgent("");
    client.udp("api.example.", Type.A);
    change(
        """
        {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "udp"}],
         "cache": {"maxTtl": "10m"}}"""
            .formatted(second.address()));

    assertEquals(3600, ttl(client.udp("api.example.", Type.A)), "still cached, as it was");
    assertEquals(1, upstream.count("api.example.", Type.A));
    assertEquals(600, ttl(client.udp("www.example.", Type.A)), "new maxTtl applies");
    assertEquals(1, second.count("www.example.", Type.A), "new upstream used");
    assertEquals(0, upstream.count("www.example.", Type.A));
    assertEquals(1, agent.agent().metrics().reloadsApplied.sum());
  }

  @Test
  void anInvalidChangeIsRefusedAndTheRunningConfigStays() throws Exception {
    startAgent("");
    client.udp("api.example.", Type.A);
    Files.writeString(
        configFile, "{\"listen\": {\"addresses\": [\"" + IP + "\"]}, \"upstreams\": []}");
    watcher.check();
    assertEquals(1, agent.agent().metrics().reloadsRefused.sum());
    assertEquals(3600, ttl(client.udp("api.example.", Type.A)));
    client.udp("www.example.", Type.A);
    assertEquals(1, upstream.count("www.example.", Type.A), "old upstreams still in use");
    assertTrue(
        new String(agent.agent().scrapeMetrics())
            .contains("nodecache_config_reloads_total{result=\"refused\"} 1.0"));
  }

  @Test
  void anAtomicSymlinkSwapAsKubeletDoesIsNoticed() throws Exception {
    startAgent("");
    // The layout of a ConfigMap volume: config.json -> ..data/config.json, ..data -> ..2026_1
    Path v1 = Files.createDirectory(dir.resolve("..2026_1"));
    Files.writeString(v1.resolve("config.json"), baseConfig);
    Path data = dir.resolve("..data");
    Files.createSymbolicLink(data, v1.getFileName());
    Path mounted = dir.resolve("mounted.json");
    Files.createSymbolicLink(mounted, Path.of("..data", "config.json"));
    watcher.close();
    watcher = new ConfigWatcher(mounted, TestAgent.parser(), baseConfig, agent.agent());
    watcher.start(50);

    Path v2 = Files.createDirectory(dir.resolve("..2026_2"));
    Files.writeString(
        v2.resolve("config.json"),
        TestAgent.merged(baseConfig, "{\"cache\": {\"maxTtl\": \"42s\"}}"));
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, v2.getFileName());
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (agent.agent().metrics().reloadsApplied.sum() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(42, ttl(client.udp("www.example.", Type.A)));
  }

  @Test
  void aNewFlushIdInTheConfigFlushesOnceAndTheStartingIdNever() throws Exception {
    startAgent(
        """
        {"flush": {"id": "old", "names": []}}""");
    client.udp("api.example.", Type.A);
    client.udp("www.example.", Type.A);
    change(
        """
        {"flush": {"id": "f-1", "names": ["api.example"]}}""");
    client.udp("api.example.", Type.A);
    client.udp("www.example.", Type.A);
    assertEquals(2, upstream.count("api.example.", Type.A), "api flushed");
    assertEquals(1, upstream.count("www.example.", Type.A), "www kept");

    change(
        """
        {"flush": {"id": "f-1", "names": ["api.example"]}, "cache": {"maxTtl": "2h"}}""");
    client.udp("api.example.", Type.A);
    assertEquals(2, upstream.count("api.example.", Type.A), "the same id does not flush again");
    assertEquals(1, agent.agent().metrics().flushes.sum());
  }

  @Test
  void duringItsDrainingWindowAMigrationCapsTtlsOfItsNamesOnly() throws Exception {
    startAgent("");
    client.udp("api.example.", Type.A); // cached before the migration: 3600
    change(
        """
        {"migrations": [{"name": "api-cutover", "names": ["api.example", "*.shop.example"],
                         "cutoverAt": "2026-12-01T09:30:00Z", "ttlDuringMigration": "30s"}]}""");
    // drainLead auto = maxTtl 1h + 20% = 72m: the window opened at 08:18, now is 09:00
    assertEquals(30, ttl(client.udp("api.example.", Type.A)), "served capped");
    assertEquals(1, upstream.count("api.example.", Type.A), "from the cache");
    assertEquals(3600, ttl(client.udp("www.example.", Type.A)), "other names untouched");
  }

  @Test
  void beforeItsWindowAMigrationChangesNothing() throws Exception {
    startAgent("");
    change(
        """
        {"migrations": [{"name": "later", "names": ["api.example"],
                         "cutoverAt": "2026-12-02T09:00:00Z", "ttlDuringMigration": "30s",
                         "drainLead": "2h"}]}""");
    assertEquals(3600, ttl(client.udp("api.example.", Type.A)));
  }

  @Test
  void answersStoredDuringTheWindowKeepTheCapAfterwards() throws Exception {
    startAgent(
        """
        {"migrations": [{"name": "m", "names": ["new.example"],
                         "cutoverAt": "2026-12-01T09:00:10Z", "ttlDuringMigration": "30s",
                         "drainLead": "1m"}]}""");
    assertEquals(30, ttl(client.udp("new.example.", Type.A)));
    ticker.advanceSeconds(30);
    client.udp("new.example.", Type.A);
    assertEquals(2, upstream.count("new.example.", Type.A), "stored for 30s only");
    Record r = client.udp("new.example.", Type.A).getSection(Section.ANSWER).get(0);
    assertEquals("192.0.2.3", r.rdataToString());
  }
}
