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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * POST /invalidate over real HTTP, with real DNS traffic: answers under the followed zone are held
 * past their TTL while the stream is live, removed by name when a batch says so, and flushed once
 * when the agent cannot know what it missed (a new stream, a gap, a lapsed lease).
 */
class InvalidationApiTest {
  static final String IP = "127.0.0.42";
  static final String TOKEN = "invalidation-token-for-tests";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Record SOA =
      rr("cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 2 3 4 30");
  static final String DB = "db.default.svc.cluster.local.";
  static final String NEW = "new.default.svc.cluster.local.";
  static final String OUTSIDE = "www.example.";

  @TempDir Path dir;
  final ManualTicker clock = new ManualTicker();
  final AtomicReference<String> dbAddress = new AtomicReference<>("10.96.0.5");
  ScriptedUpstream upstream;
  TestAgent agent;
  TestClient client;
  int adminPort;

  @BeforeEach
  void start() throws Exception {
    upstream = new ScriptedUpstream("127.0.0.43");
    upstream.on(
        DB,
        Type.A,
        (q, via) ->
            List.of(
                ScriptedUpstream.send(Replies.answer(q, rr(DB + " 30 IN A " + dbAddress.get())))));
    upstream.on(NEW, Type.A, (q, via) -> List.of(ScriptedUpstream.send(Replies.nxdomain(q, SOA))));
    upstream.answer(OUTSIDE, Type.A, rr(OUTSIDE + " 30 IN A 192.0.2.1"));
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
                {"admin": {"port": %d, "tokenFile": "%s"},
                 "invalidation": {"zones": ["cluster.local"], "hold": "5m", "lease": "15s",
                                  "settle": "1s"}}"""
                    .formatted(adminPort, dir.resolve("token"))));
    client = agent.client();
  }

  @AfterEach
  void stop() {
    agent.close();
    upstream.close();
  }

  HttpResponse<String> post(String body, String token) throws Exception {
    return new AdminHttp(IP, adminPort).send("/invalidate", body, token);
  }

  JsonNode invalidate(String stream, long after, long to, String... names) throws Exception {
    String body =
        JSON.writeValueAsString(
            java.util.Map.of(
                "stream",
                stream,
                "after",
                after,
                "to",
                to,
                "names",
                List.of(names),
                "changedAt",
                System.currentTimeMillis()));
    HttpResponse<String> r = post(body, TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  JsonNode state() throws Exception {
    return JSON.readTree(new AdminHttp(IP, adminPort).send("/invalidation", null, null).body());
  }

  int asked(String name) {
    return upstream.count(name, Type.A);
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void theFirstMessageResyncsAndLaterOnesRemoveExactlyTheirNames() throws Exception {
    client.udp(DB, Type.A);
    client.udp(NEW, Type.A);
    client.udp(OUTSIDE, Type.A);
    JsonNode first = invalidate("s1", 0, 3);
    assertTrue(first.get("resynced").asBoolean());
    assertEquals("start", first.get("reason").asText());
    assertEquals(3, first.get("applied").asLong());
    assertEquals(2, first.get("removed").asInt(), "both cluster names, not www.example");

    client.udp(DB, Type.A);
    client.udp(NEW, Type.A);
    client.udp(OUTSIDE, Type.A);
    assertEquals(1, asked(OUTSIDE), "the name outside the zone stayed cached");
    JsonNode batch = invalidate("s1", 3, 4, "*.new.default.svc.cluster.local");
    assertFalse(batch.get("resynced").asBoolean());
    assertEquals(4, batch.get("applied").asLong());
    assertEquals(1, batch.get("removed").asInt(), "the NXDOMAIN of new, nothing else");
    assertEquals(2, asked(DB));
    client.udp(DB, Type.A);
    assertEquals(2, asked(DB), "db was not in the batch");
    client.udp(NEW, Type.A);
    assertEquals(3, asked(NEW), "new is asked again at once");
  }

  @Test
  void whileTheStreamIsLiveAnswersAreHeldPastTheirTtlAndServedWithTheirOwnTtl() throws Exception {
    invalidate("s1", 0, 0);
    client.udp(DB, Type.A);
    clock.advance(Duration.ofSeconds(100));
    invalidate("s1", 0, 0); // a heartbeat keeps the lease
    Message held = client.udp(DB, Type.A);
    assertEquals(1, asked(DB), "held: not asked again after its 30 s TTL");
    long ttl = held.getSection(Section.ANSWER).get(0).getTTL();
    assertTrue(ttl > 0 && ttl <= 30, "never served with more than its own TTL: " + ttl);

    dbAddress.set("10.96.0.9");
    invalidate("s1", 0, 1, "*.db.default.svc.cluster.local");
    Message fresh = client.udp(DB, Type.A);
    assertEquals("10.96.0.9", fresh.getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(2, asked(DB));
  }

  @Test
  void aHeldAnswerIsServedPastItsTtlOnlyWithinThatTtlOfTheLastMessage() throws Exception {
    String shortLived = "short.default.svc.cluster.local.";
    upstream.answer(shortLived, Type.A, rr(shortLived + " 5 IN A 10.96.0.77"));
    invalidate("s1", 0, 0);
    client.udp(shortLived, Type.A);
    clock.advance(Duration.ofSeconds(4));
    invalidate("s1", 0, 0);
    clock.advance(Duration.ofSeconds(4)); // 8 s old, 4 s since the last message: still vouched
    client.udp(shortLived, Type.A);
    assertEquals(1, asked(shortLived));
    clock.advance(Duration.ofSeconds(2)); // 6 s without a message: more than its 5 s TTL
    client.udp(shortLived, Type.A);
    assertEquals(2, asked(shortLived), "a partitioned node keeps it no longer than its TTL");
  }

  @Test
  void withoutALiveStreamAnswersLiveByTheirTtl() throws Exception {
    client.udp(DB, Type.A);
    clock.advance(Duration.ofSeconds(31));
    client.udp(DB, Type.A);
    assertEquals(2, asked(DB));
    assertFalse(state().get("live").asBoolean());
  }

  @Test
  void aLapsedLeaseFlushesTheZoneOnceAndEndsHolding() throws Exception {
    invalidate("s1", 0, 0);
    client.udp(DB, Type.A);
    client.udp(OUTSIDE, Type.A);
    assertTrue(state().get("live").asBoolean());
    clock.advance(Duration.ofSeconds(16));
    eventually(() -> agent.agent().cache().size() == 1, "the cluster answer flushed");
    assertFalse(state().get("live").asBoolean());
    client.udp(OUTSIDE, Type.A);
    assertEquals(1, asked(OUTSIDE), "outside the zone nothing was flushed");
    client.udp(DB, Type.A);
    clock.advance(Duration.ofSeconds(31));
    client.udp(DB, Type.A);
    assertEquals(3, asked(DB), "not held any more: its TTL counts");

    // The stream continues where it was: nothing was missed, so no resync.
    JsonNode next = invalidate("s1", 0, 1, "*.other.default.svc.cluster.local");
    assertFalse(next.get("resynced").asBoolean());
    String metrics = new AdminHttp(IP, adminPort).send("/metrics", null, null).body();
    assertTrue(
        metrics.contains("nodecache_invalidation_resyncs_total{reason=\"lease-lapsed\"} 1.0"),
        metrics);
    assertTrue(metrics.contains("nodecache_invalidation_stream_live 1.0"), metrics);
    assertTrue(metrics.contains("nodecache_invalidation_lag_seconds_count 1"), metrics);
  }

  @Test
  void aGapOrANewStreamFlushesTheZoneOnce() throws Exception {
    invalidate("s1", 0, 5);
    client.udp(DB, Type.A);
    JsonNode gap = invalidate("s1", 7, 8, "*.x.default.svc.cluster.local");
    assertTrue(gap.get("resynced").asBoolean());
    assertEquals("gap", gap.get("reason").asText());
    assertEquals(8, gap.get("applied").asLong());
    client.udp(DB, Type.A);
    assertEquals(2, asked(DB));

    JsonNode restarted = invalidate("s2", 0, 1);
    assertEquals("new-stream", restarted.get("reason").asText());
    assertEquals("s2", restarted.get("stream").asText());
    client.udp(DB, Type.A);
    assertEquals(3, asked(DB));

    JsonNode old = invalidate("s2", 0, 1, "*.db.default.svc.cluster.local");
    assertFalse(old.get("resynced").asBoolean(), "a repeated range is applied again, harmlessly");
    assertEquals(1, old.get("applied").asLong());
  }

  @Test
  void anInvalidationIsAppliedAgainAfterTheSettleTime() throws Exception {
    invalidate("s1", 0, 0);
    client.udp(DB, Type.A);
    invalidate("s1", 0, 1, "*.db.default.svc.cluster.local");
    // Cluster DNS has not seen the change yet: the old answer comes back and is cached again.
    client.udp(DB, Type.A);
    assertEquals(2, asked(DB));
    eventually(() -> agent.agent().cache().size() == 0, "removed again after the settle time");
    dbAddress.set("10.96.0.9");
    Message fresh = client.udp(DB, Type.A);
    assertEquals("10.96.0.9", fresh.getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void aMalformedOrUnauthorizedMessageChangesNothing() throws Exception {
    invalidate("s1", 0, 2);
    client.udp(DB, Type.A);
    assertEquals(
        401, post("{\"stream\":\"s1\",\"after\":2,\"to\":3,\"names\":[]}", null).statusCode());
    assertEquals(
        401, post("{\"stream\":\"s9\",\"after\":0,\"to\":3,\"names\":[]}", "wrong").statusCode());
    for (String bad :
        List.of(
            "not json",
            "[]",
            "{\"after\":2,\"to\":3,\"names\":[]}",
            "{\"stream\":\"s1\",\"after\":4,\"to\":3,\"names\":[]}",
            "{\"stream\":\"s1\",\"after\":-1,\"to\":3,\"names\":[]}",
            "{\"stream\":\"s1\",\"after\":2,\"to\":3,\"names\":\"db\"}",
            "{\"stream\":\"s1\",\"after\":2,\"to\":3,\"names\":[\"a*b.cluster.local\"]}",
            "{\"stream\":\"s1\",\"after\":2,\"to\":3,\"names\":[7]}")) {
      HttpResponse<String> r = post(bad, TOKEN);
      assertEquals(400, r.statusCode(), bad + " -> " + r.body());
      assertTrue(JSON.readTree(r.body()).has("error"), r.body());
    }
    assertEquals(2, state().get("applied").asLong(), "nothing applied");
    assertEquals(1, agent.agent().cache().size(), "nothing flushed");
    assertEquals(Rcode.NOERROR, client.udp(DB, Type.A).getRcode(), "still answering");
  }

  /** A WebSocket to GET /invalidate whose replies are queued. */
  static final class Socket implements java.net.http.WebSocket.Listener {
    final java.util.concurrent.BlockingQueue<String> replies =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    final java.util.concurrent.CompletableFuture<String> closed =
        new java.util.concurrent.CompletableFuture<>();
    java.net.http.WebSocket ws;

    static Socket open(int port, String token) throws Exception {
      Socket s = new Socket();
      java.net.http.WebSocket.Builder b =
          java.net.http.HttpClient.newHttpClient().newWebSocketBuilder();
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      s.ws =
          b.buildAsync(java.net.URI.create("ws://" + IP + ":" + port + "/invalidate"), s)
              .get(5, java.util.concurrent.TimeUnit.SECONDS);
      return s;
    }

    JsonNode ask(String body) throws Exception {
      ws.sendText(body, true).get(5, java.util.concurrent.TimeUnit.SECONDS);
      String r = replies.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(r != null, "no reply to " + body);
      return JSON.readTree(r);
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onText(
        java.net.http.WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        replies.add(partial.toString());
        partial.setLength(0);
      }
      w.request(1);
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(
        java.net.http.WebSocket w, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }
  }

  static String message(String stream, long after, long to, List<String> names) throws Exception {
    return JSON.writeValueAsString(
        java.util.Map.of("stream", stream, "after", after, "to", to, "names", names));
  }

  @Test
  void overAWebSocketEveryMessageGetsItsReplyInOrderAndABadOneAnErrorOnly() throws Exception {
    Socket s = Socket.open(adminPort, TOKEN);
    client.udp(DB, Type.A);
    client.udp(NEW, Type.A);
    JsonNode first = s.ask(message("s1", 0, 3, List.of()));
    assertEquals("start", first.get("reason").asText());
    assertEquals(2, first.get("removed").asInt());

    client.udp(DB, Type.A);
    client.udp(NEW, Type.A);
    // 10,000 Services at once (a subtree and a PTR each), far more than a POST body may be
    // (64 KiB): one message.
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      many.add("*.service-with-a-long-name-" + i + ".default.svc.cluster.local");
    }
    many.add("*.new.default.svc.cluster.local");
    String big = message("s1", 3, 4, many);
    assertTrue(big.length() > 1024 * 1024, "larger than a POST body: " + big.length());
    JsonNode batch = s.ask(big);
    assertFalse(batch.get("resynced").asBoolean());
    assertEquals(4, batch.get("applied").asLong());
    assertEquals(1, batch.get("removed").asInt(), "the NXDOMAIN of new, nothing else");

    JsonNode bad = s.ask("{\"stream\":\"s1\",\"after\":5,\"to\":4,\"names\":[]}");
    assertTrue(bad.has("error"), bad.toString());
    assertTrue(s.ask("not json").has("error"));
    assertEquals(4, state().get("applied").asLong(), "nothing applied");
    JsonNode next = s.ask(message("s1", 4, 5, List.of("*.db.default.svc.cluster.local")));
    assertEquals(5, next.get("applied").asLong(), "the connection stayed");
    assertEquals(1, next.get("removed").asInt());
    client.udp(NEW, Type.A);
    assertEquals(3, asked(NEW), "new asked again after its batch");

    // The same stream continues over POST: one stream, two ways in.
    assertFalse(invalidate("s1", 5, 6).get("resynced").asBoolean());

    s.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2}), true);
    assertTrue(
        s.closed.get(5, java.util.concurrent.TimeUnit.SECONDS).startsWith("1003"),
        "a binary message closes the stream");
    assertEquals(Rcode.NOERROR, client.udp(DB, Type.A).getRcode(), "still answering");
  }

  @Test
  void theWebSocketNeedsTheToken() throws Exception {
    for (String token : new String[] {null, "wrong"}) {
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.util.concurrent.ExecutionException.class, () -> Socket.open(adminPort, token));
      assertTrue(
          e.getCause() instanceof java.net.http.WebSocketHandshakeException h
              && h.getResponse().statusCode() == 401,
          String.valueOf(e.getCause()));
    }
  }
}
