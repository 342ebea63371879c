package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The cache holds at most maxEntries entries and at most maxBytes bytes, whichever binds first. */
class CacheBoundsScenariosTest extends ScenarioTest {
  static final long MIB = 1 << 20;

  /** A TXT answer of about {@code bytes} bytes: strings of 250 characters. */
  static Record[] txt(String name, int bytes) {
    Record[] rs = new Record[bytes / 260];
    for (int i = 0; i < rs.length; i++) {
      rs[i] =
          rr(name + " 300 IN TXT \"" + String.valueOf((char) ('a' + i % 26)).repeat(250) + "\"");
    }
    return rs;
  }

  @Test
  void smallAnswersAreBoundByMaxEntries() throws Exception {
    startAgent("{\"cache\": {\"maxEntries\": 50, \"maxBytes\": \"4Mi\"}}");
    for (int i = 0; i < 200; i++) {
      String name = "n" + i + ".example.";
      upstream.answer(name, Type.A, rr(name + " 300 IN A 192.0.2.1"));
      assertEquals(1, answers(client.udp(name, Type.A)).size());
    }
    long entries = agent.agent().cache().size();
    assertTrue(entries <= 50 && entries >= 25, "entries: " + entries);
    assertTrue(agent.agent().cache().weightedBytes() <= 4 * MIB);
  }

  @Test
  void largeAnswersAreBoundByMaxBytes() throws Exception {
    startAgent(
        String.format(
            """
            {"upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "tcp"}],
             "cache": {"maxEntries": 100000, "maxBytes": "1Mi"}}""",
            upstream.address()));
    for (int i = 0; i < 400; i++) {
      String name = "big" + i + ".example.";
      upstream.answer(name, Type.TXT, txt(name, 16_000));
      Message m = client.tcp(TestClient.query(name, Type.TXT));
      assertEquals(61, answers(m).size(), name);
    }
    long bytes = agent.agent().cache().weightedBytes();
    long entries = agent.agent().cache().size();
    // 400 answers of 16 kB are 6.4 MB; at most 1 MiB of them stays, and some do.
    assertTrue(bytes <= MIB, "bytes: " + bytes);
    assertTrue(entries <= MIB / 16_000 && entries >= 10, "entries: " + entries);
  }
}
