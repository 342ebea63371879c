package dev.nodecache.agent.admin;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.agent.testing.ManualTicker;
import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The admin HTTP API over real HTTP, with real DNS traffic filling the cache. */
class AdminPlaneTest {
  static final String IP = "127.0.0.40";
  static final String TOKEN = "s3cret-token-for-tests";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Record SOA = rr("example. 300 IN SOA ns.example. a.example. 1 2 3 4 60");

  @TempDir Path dir;
  final ManualTicker clock = new ManualTicker();
  ScriptedUpstream upstream;
  TestAgent agent;
  TestClient client;
  int adminPort;

  @BeforeEach
  void start() throws Exception {
    upstream = new ScriptedUpstream("127.0.0.41");
    for (String n :
        List.of(
            "a.shop.example.",
            "shop.example.",
            "other.example.",
            "example.",
            "deep.a.shop.example.")) {
      upstream.answer(n, Type.A, rr(n + " 300 IN A 192.0.2.1"));
    }
    upstream.on(
        "gone.shop.example.",
        Type.A,
        (q, via) -> List.of(ScriptedUpstream.send(Replies.nxdomain(q, SOA))));
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    adminPort = TestAgent.freePort(IP);
    agent =
        TestAgent.start(
            IP,
            clock,
            Clock.systemUTC(),
            TestAgent.configJson(
                IP,
                upstream,
                """
        {"admin": {"port": %d, "tokenFile": "%s"}}"""
                    .formatted(adminPort, dir.resolve("token"))));
    client = agent.client();
  }

  @AfterEach
  void stop() {
    agent.close();
    upstream.close();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return new AdminHttp(IP, adminPort).send(path, null, token);
  }

  HttpResponse<String> flush(String body, String token) throws Exception {
    return new AdminHttp(IP, adminPort).send("/flush", body, token);
  }

  void fill() {
    for (String n :
        List.of(
            "a.shop.example.",
            "shop.example.",
            "other.example.",
            "example.",
            "deep.a.shop.example.",
            "gone.shop.example.")) {
      client.udp(n, Type.A);
    }
  }

  int asked(String name) {
    return upstream.count(name, Type.A);
  }

  @Test
  void metricsAreInPrometheusTextFormatWithTheSpecNames() throws Exception {
    fill();
    client.udp("a.shop.example.", Type.A);
    client.tcp(TestClient.query("a.shop.example.", Type.A));
    client.udpRaw(new byte[] {1, 2, 3}, 200); // dropped: too short for a header
    HttpResponse<String> r = get("/metrics", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String body = r.body();
    for (String name :
        List.of(
            "nodecache_requests_total",
            "nodecache_cache_hits_total",
            "nodecache_cache_misses_total",
            "nodecache_cache_entries",
            "nodecache_cache_evictions_total",
            "nodecache_served_stale_total",
            "nodecache_prefetch_total",
            "nodecache_upstream_requests_total",
            "nodecache_upstream_duration_seconds_bucket",
            "nodecache_request_duration_seconds_bucket",
            "nodecache_flushes_total",
            "nodecache_dropped_total",
            "nodecache_upstream_up")) {
      assertTrue(body.contains(name), name + " missing in\n" + body);
    }
    assertTrue(body.contains("nodecache_requests_total{proto=\"udp\",type=\"A\"} 7.0"), body);
    assertTrue(body.contains("nodecache_requests_total{proto=\"tcp\",type=\"A\"} 1.0"), body);
    assertTrue(body.contains("nodecache_cache_hits_total 2.0"), body);
    assertTrue(body.contains("nodecache_cache_entries 6.0"), body);
    assertTrue(body.contains("nodecache_request_duration_seconds_count{result=\"hit\"} 2"), body);
    assertTrue(body.contains("nodecache_dropped_total{reason=\"short\"} 1.0"), body);
    assertTrue(
        body.contains("nodecache_upstream_up{upstream=\"" + upstream.address() + "\"} 1.0"), body);
  }

  @Test
  void requestsToTheAdminPlaneAreCountedByPathAndMethod() throws Exception {
    get("/flush?id=f1", null);
    get("/flush?id=f1", null);
    get("/readyz", null);
    get("/wp-login.php", null);
    String body = get("/metrics", null).body();
    assertTrue(
        body.contains("nodecache_admin_requests_total{method=\"GET\",path=\"/flush\"} 2.0"), body);
    assertTrue(
        body.contains("nodecache_admin_requests_total{method=\"GET\",path=\"/readyz\"} 1.0"), body);
    assertTrue(
        body.contains("nodecache_admin_requests_total{method=\"GET\",path=\"other\"} 1.0"),
        "paths not served share one series:\n" + body);
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertEquals(200, get("/healthz", null).statusCode());
    assertEquals(200, get("/readyz", null).statusCode());
    agent.agent().state().draining();
    HttpResponse<String> r = get("/readyz", null);
    assertEquals(503, r.statusCode());
    assertEquals("draining\n", r.body());
    assertEquals(200, get("/healthz", null).statusCode(), "alive while draining");
  }

  @Test
  void anEventLoopThatRunsNothingForASecondFailsTheLivenessProbe() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    agent.agent().upstreamLoops().next().execute(() -> awaitQuietly(release, 3));
    try {
      long started = System.nanoTime();
      HttpResponse<String> r = get("/healthz", null);
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, r.statusCode());
      assertEquals("event loops not responding\n", r.body());
      assertTrue(tookMillis >= 900 && tookMillis < 2_500, "answered after " + tookMillis + " ms");
    } finally {
      release.countDown();
    }
    assertEquals(200, get("/healthz", null).statusCode(), "alive again");
  }

  private static void awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void flushAndCacheNeedTheToken() throws Exception {
    fill();
    assertEquals(401, flush("{\"id\": \"f1\"}", null).statusCode());
    assertEquals(401, flush("{\"id\": \"f1\"}", "wrong").statusCode());
    assertEquals(401, flush("{\"id\": \"f1\"}", TOKEN + "x").statusCode());
    assertEquals(401, get("/cache?name=example", null).statusCode());
    assertEquals(6, agent.agent().cache().size(), "nothing flushed");
    assertEquals(200, get("/metrics", null).statusCode(), "metrics stay open");
  }

  @Test
  void theTokenMayComeInItsOwnHeaderAsThroughTheApiServersPodProxy() throws Exception {
    fill();
    AdminHttp admin = new AdminHttp(IP, adminPort);
    String header = "X-NodeCache-Token";
    assertEquals(401, admin.send("/cache?name=example", null, header, TOKEN + "x").statusCode());
    assertEquals(401, admin.send("/flush", "{\"id\": \"p1\"}", header, "").statusCode());
    assertEquals(6, agent.agent().cache().size(), "nothing flushed");
    assertEquals(200, admin.send("/cache?name=example", null, header, TOKEN).statusCode());
    assertEquals(200, admin.send("/flush", "{\"id\": \"p1\"}", header, TOKEN).statusCode());
    assertEquals(0, agent.agent().cache().size());
  }

  @Test
  void whetherAFlushWasDoneIsOpenToAsk() throws Exception {
    fill();
    JsonNode before = JSON.readTree(get("/flush?id=f9", null).body());
    assertFalse(before.get("done").asBoolean());
    flush("{\"id\": \"f9\"}", TOKEN);
    JsonNode after = JSON.readTree(get("/flush?id=f9", null).body());
    assertTrue(after.get("done").asBoolean());
    assertEquals(6, after.get("removed").asInt());
    assertEquals(400, get("/flush", null).statusCode(), "an id is required");
  }

  @Test
  void aWholeFlushRemovesEverythingAndAnIdFlushesOnce() throws Exception {
    fill();
    HttpResponse<String> r = flush("{\"id\": \"f1\", \"names\": []}", TOKEN);
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(6, body.get("removed").asInt());
    assertFalse(body.get("duplicate").asBoolean());
    assertEquals(0, agent.agent().cache().size());

    fill(); // cached again
    JsonNode again = JSON.readTree(flush("{\"id\": \"f1\"}", TOKEN).body());
    assertTrue(again.get("duplicate").asBoolean());
    assertEquals(0, again.get("removed").asInt());
    assertEquals(6, agent.agent().cache().size(), "the same id does not flush twice");
  }

  @Test
  void aSubtreeFlushRemovesTheNameAndBelowPositiveAndNegative() throws Exception {
    fill();
    JsonNode r =
        JSON.readTree(flush("{\"id\": \"f2\", \"names\": [\"*.shop.example\"]}", TOKEN).body());
    assertEquals(4, r.get("removed").asInt()); // shop, a.shop, deep.a.shop, gone.shop (NXDOMAIN)
    client.udp("other.example.", Type.A);
    client.udp("example.", Type.A);
    assertEquals(1, asked("other.example."));
    assertEquals(1, asked("example."));
    client.udp("a.shop.example.", Type.A);
    client.udp("gone.shop.example.", Type.A);
    assertEquals(2, asked("a.shop.example."));
    assertEquals(2, asked("gone.shop.example."));
  }

  @Test
  void aNameFlushRemovesThatNameOnly() throws Exception {
    fill();
    JsonNode r =
        JSON.readTree(flush("{\"id\": \"f3\", \"names\": [\"A.Shop.Example.\"]}", TOKEN).body());
    assertEquals(1, r.get("removed").asInt());
    client.udp("deep.a.shop.example.", Type.A);
    assertEquals(1, asked("deep.a.shop.example."));
  }

  @Test
  void aBadFlushBodyIsRefusedAndFlushesNothing() throws Exception {
    fill();
    assertEquals(400, flush("not json", TOKEN).statusCode());
    assertEquals(400, flush("{\"names\": \"x\"}", TOKEN).statusCode());
    assertEquals(400, flush("{\"names\": [\"a*b.example\"]}", TOKEN).statusCode());
    assertEquals(6, agent.agent().cache().size());
  }

  @Test
  void cacheShowsWhatIsHeldForAName() throws Exception {
    fill();
    clock.advanceSeconds(100);
    JsonNode r = JSON.readTree(get("/cache?name=a.shop.example", TOKEN).body());
    assertEquals("a.shop.example", r.get("name").asText());
    JsonNode e = r.get("entries").get(0);
    assertEquals("A", e.get("type").asText());
    assertEquals("POSITIVE", e.get("kind").asText());
    assertEquals(200, e.get("ttl").asInt());
    assertFalse(e.get("stale").asBoolean());
    assertEquals("a.shop.example.\t\t200\tIN\tA\t192.0.2.1", e.get("records").get(0).asText());

    JsonNode nx =
        JSON.readTree(get("/cache?name=gone.shop.example", TOKEN).body()).get("entries").get(0);
    assertEquals("*", nx.get("type").asText());
    assertEquals("NXDOMAIN", nx.get("rcode").asText());

    clock.advanceSeconds(250);
    JsonNode stale =
        JSON.readTree(get("/cache?name=a.shop.example", TOKEN).body()).get("entries").get(0);
    assertTrue(stale.get("stale").asBoolean());
    assertEquals(400, get("/cache", TOKEN).statusCode());
  }

  @Test
  void unknownPathsAndMethods() throws Exception {
    assertEquals(404, get("/nope", null).statusCode());
    assertEquals(405, new AdminHttp(IP, adminPort).send("/metrics", "", null).statusCode());
  }

  static List<Record> answers(Message m) {
    return m.getSection(Section.ANSWER);
  }
}
