package dev.nodecache.agent.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nodecache.agent.testing.ManualTicker;
import dev.nodecache.agent.testing.ScriptedUpstream;
import dev.nodecache.agent.testing.TestAgent;
import dev.nodecache.agent.testing.TestClient;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Replay-style scenarios (after Unbound's testdata/*.rpl): a scripted upstream on loopback, the
 * real agent in front of it, a clock that moves only when the scenario says so.
 */
abstract class ScenarioTest {
  static final String AGENT_IP = "127.0.0.30";
  static final String UPSTREAM_IP = "127.0.0.31";

  final ManualTicker clock = new ManualTicker();
  ScriptedUpstream upstream;
  TestAgent agent;
  TestClient client;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new ScriptedUpstream(UPSTREAM_IP);
  }

  @AfterEach
  void stopAll() {
    if (agent != null) {
      agent.close();
    }
    upstream.close();
  }

  void startAgent(String overrides) throws Exception {
    agent = TestAgent.start(AGENT_IP, clock, upstream, overrides);
    client = agent.client();
  }

  void startAgent() throws Exception {
    startAgent("");
  }

  static List<Record> answers(Message m) {
    return m.getSection(Section.ANSWER);
  }

  static void assertTtls(Message m, long... expected) {
    List<Record> records = answers(m);
    assertEquals(expected.length, records.size(), "answer count in\n" + m);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], records.get(i).getTTL(), "TTL of " + records.get(i));
    }
  }

  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    fail("not within 20s: " + what);
  }
}
