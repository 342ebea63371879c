package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static dev.nodecache.agent.testing.ScriptedUpstream.delayed;
import static dev.nodecache.agent.testing.ScriptedUpstream.fromOtherPort;
import static dev.nodecache.agent.testing.ScriptedUpstream.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 5452: only the reply to our query, from where we sent it, counts. */
class AntiSpoofingScenariosTest extends ScenarioTest {
  static final Record REAL = rr("bank.example. 300 IN A 192.0.2.1");
  static final Record FORGED = rr("bank.example. 300 IN A 203.0.113.66");

  /** The transport these tests are meant to run over. */
  String transport() {
    return "epoll";
  }

  @Test
  void theAgentRunsOverItsTransport() throws Exception {
    startAgent();
    assertEquals(transport(), agent.agent().transportName());
  }

  @Test
  void aReplyWithTheWrongIdIsDroppedAndTheRealOneAccepted() throws Exception {
    upstream.on(
        "bank.example.",
        Type.A,
        (q, via) -> {
          Message forged = Replies.answer(q, FORGED);
          forged.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
          return List.of(send(forged), delayed(50, Replies.answer(q, REAL)));
        });
    startAgent();

    assertEquals("192.0.2.1", answers(client.udp("bank.example.", Type.A)).get(0).rdataToString());
    assertEquals(1, agent.agent().metrics().droppedCount("reply_mismatch"));
  }

  @Test
  void aReplyFromAnotherPortIsDropped() throws Exception {
    upstream.on(
        "bank.example.",
        Type.A,
        (q, via) ->
            List.of(
                fromOtherPort(Replies.answer(q, FORGED)), delayed(50, Replies.answer(q, REAL))));
    startAgent();

    assertEquals("192.0.2.1", answers(client.udp("bank.example.", Type.A)).get(0).rdataToString());
    assertEquals(1, agent.agent().metrics().droppedCount("reply_wrong_source"));
  }

  @Test
  void aReplyToAnotherQuestionIsDropped() throws Exception {
    upstream.on(
        "bank.example.",
        Type.A,
        (q, via) -> {
          Message other = Replies.answer(q, FORGED);
          other.removeAllRecords(Section.QUESTION);
          other.addRecord(
              Record.newRecord(rr("evil.example. 1 IN A 1.1.1.1").getName(), Type.A, 1),
              Section.QUESTION);
          return List.of(send(other), delayed(50, Replies.answer(q, REAL)));
        });
    startAgent();

    assertEquals("192.0.2.1", answers(client.udp("bank.example.", Type.A)).get(0).rdataToString());
    assertEquals(1, agent.agent().metrics().droppedCount("reply_mismatch"));
  }

  @Test
  void aReplyInOtherCaseIsAccepted() throws Exception {
    upstream.on(
        "bank.example.",
        Type.A,
        (q, via) -> {
          Message m = Replies.answer(q, REAL);
          m.removeAllRecords(Section.QUESTION);
          m.addRecord(
              Record.newRecord(rr("BANK.Example. 1 IN A 1.1.1.1").getName(), Type.A, 1),
              Section.QUESTION);
          return List.of(send(m));
        });
    startAgent();
    assertEquals("192.0.2.1", answers(client.udp("bank.example.", Type.A)).get(0).rdataToString());
  }

  @Test
  void everyUpstreamQueryHasARandomIdAndItsOwnSourcePort() throws Exception {
    for (int i = 0; i < 40; i++) {
      upstream.answer("n" + i + ".example.", Type.A, rr("n" + i + ".example. 300 IN A 192.0.2.1"));
    }
    startAgent();
    for (int i = 0; i < 40; i++) {
      client.udp("n" + i + ".example.", Type.A);
    }
    Set<Integer> ids = new HashSet<>();
    int increasing = 0;
    List<Message> received = upstream.received();
    for (int i = 0; i < received.size(); i++) {
      ids.add(received.get(i).getHeader().getID());
      if (i > 0
          && received.get(i).getHeader().getID() == received.get(i - 1).getHeader().getID() + 1) {
        increasing++;
      }
    }
    assertEquals(40, received.size());
    assertTrue(ids.size() >= 38, "ids repeat: " + ids.size() + " distinct of 40");
    assertTrue(increasing < 3, "ids look sequential");
    Set<Integer> ports = new HashSet<>(upstream.udpSourcePorts());
    assertTrue(ports.size() >= 38, "source ports reused: " + ports.size() + " distinct of 40");
  }
}
