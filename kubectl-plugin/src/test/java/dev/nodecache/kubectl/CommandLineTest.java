package dev.nodecache.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the plugin makes of its command line, before it talks to any cluster. */
class CommandLineTest {
  @Test
  void flagsComeInEveryFormKubectlUsersType() {
    Args a = new Args(List.of("flush", "-o", "json", "default", "--names=a.example", "--wait"));
    assertEquals(List.of("flush", "default"), a.words());
    assertTrue(a.json());
    assertEquals("a.example", a.flag("--names"));
    assertTrue(a.on("--wait"));
    assertEquals(
        Duration.ofSeconds(90),
        new Args(List.of("--timeout", "1m30s")).duration("--timeout", null));
    assertEquals(
        Duration.ofSeconds(45), new Args(List.of("--timeout=45")).duration("--timeout", null));
  }

  @Test
  void aMistakeIsSaidWithWhatIsAllowed() {
    UserError unknown = assertThrows(UserError.class, () -> new Args(List.of("--nmaes", "x")));
    assertTrue(unknown.getMessage().contains("unknown flag --nmaes"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("--names"));
    assertThrows(UserError.class, () -> new Args(List.of("--names")));
    assertThrows(
        UserError.class, () -> new Args(List.of("--timeout", "soon")).duration("--timeout", null));
    assertThrows(UserError.class, () -> new Args(List.of("-o", "yaml")).json());
    assertThrows(UserError.class, () -> FlushCommand.names("a..b"));
    assertThrows(UserError.class, () -> MigrateCommand.cutover("tomorrow", Instant.EPOCH));
  }

  @Test
  void withoutACommandTheUsageIsPrintedAndTheExitCodeSaysSo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console c =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    assertEquals(2, Main.run(List.of(), c));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("kubectl nodecache flush"));
    assertEquals(0, Main.run(List.of("--help"), c));
    assertEquals(2, Main.run(List.of("frob"), c));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("error: unknown command frob"));
  }

  @Test
  void theFlushAnnotationsReplaceTheNamesOfAnEarlierFlush() {
    assertEquals(
        "{\"metadata\":{\"annotations\":{\"nodecache.dev/flush\":\"x\","
            + "\"nodecache.dev/flush-names\":null}}}",
        FlushCommand.annotations("x", List.of()));
    assertTrue(
        FlushCommand.annotations("x", List.of("a.example", "*.b.example"))
            .contains("\"nodecache.dev/flush-names\":\"a.example,*.b.example\""));
  }

  @Test
  void cutoverTimesAndDurations() {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), MigrateCommand.cutover("+2h", now));
    assertEquals(
        Instant.parse("2026-12-01T09:00:00Z"),
        MigrateCommand.cutover("2026-12-01T10:00:00+01:00", now));
    assertEquals("1h12m", MigrateCommand.human(Duration.ofMinutes(72)));
    assertEquals("2m30s", MigrateCommand.human(Duration.ofSeconds(150)));
  }

  @Test
  void metricsAreSummedOverTheirSeries() {
    PromText m =
        new PromText(
            """
            # TYPE nodecache_cache_hits counter
            nodecache_cache_hits_total 7.0
            nodecache_upstream_up{upstream="127.0.0.2:53"} 1.0
            nodecache_upstream_up{upstream="127.0.0.3:53"} 0.0
            nodecache_requests_total{proto="udp",type="A"} 3
            nodecache_requests_total{proto="tcp",type="A"} 2
            """);
    assertEquals(7, m.sum("nodecache_cache_hits_total"));
    assertEquals(5, m.sum("nodecache_requests_total"));
    assertEquals(2, m.series("nodecache_upstream_up").size());
    assertFalse(m.has("nodecache_cache_misses_total"));
  }

  @Test
  void completionOffersCommandsSubcommandsFlagsAndPolicies() {
    Completion.PolicyNames policies = () -> List.of("default", "edge");
    assertEquals(List.of("status"), Completion.candidates(List.of("st"), policies));
    assertEquals(List.of("default", "edge"), Completion.candidates(List.of("flush", ""), policies));
    assertEquals(
        List.of("edge"), Completion.candidates(List.of("flush", "--names", "a", "e"), policies));
    assertEquals(
        List.of("default"), Completion.candidates(List.of("cache", "a.example", "d"), policies));
    assertEquals(List.of("plan"), Completion.candidates(List.of("migrate", "p"), policies));
    assertEquals(List.of("json"), Completion.candidates(List.of("status", "-o", "j"), policies));
    assertEquals(
        List.of("--wait", "--watch"), Completion.candidates(List.of("flush", "--w"), policies));
    assertEquals(List.of(), Completion.candidates(List.of("status", "default", ""), policies));
  }

  @Test
  void theImageTagIsTheVersion() {
    assertEquals("0.1.0", new AgentPod("n", "p", null, true, "nodecache/agent:0.1.0", 1).version());
    assertEquals(
        "latest", new AgentPod("n", "p", null, true, "registry:5000/nodecache/agent", 1).version());
  }
}
