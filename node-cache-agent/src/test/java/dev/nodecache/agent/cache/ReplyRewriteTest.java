package dev.nodecache.agent.cache;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.cache.CachedAnswer.Kind;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.WireReply;
import dev.nodecache.agent.testing.TestAgent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream replies, as dnsjava writes them, through our reader, scrubber and writer, with dnsjava
 * reading what comes out: generated replies whose answer chain is known by construction, and the
 * same replies with octets changed at random.
 */
class ReplyRewriteTest {
  private static final int[] TYPES = {Type.A, Type.AAAA, Type.MX, Type.TXT, Type.SRV, Type.NS};

  private final CacheRules rules = TestAgent.defaultCacheRules();

  /** A reply and what scrubbing must leave of its answer and authority sections. */
  private record Case(
      CacheKey key, Message reply, List<Record> answer, List<Record> authority, Kind kind) {}

  @Test
  void keepsExactlyTheAnswerChainOfGeneratedReplies() throws Exception {
    for (long seed = 0; seed < 2_000; seed++) {
      Case c = generate(new SplittableRandom(seed));
      byte[] in = c.reply().toWire();
      CachedAnswer a = fromReply(c.key(), in);
      Message out = new Message(a.wire);
      String where = "seed " + seed + "\n" + c.reply();

      assertEquals(c.kind(), a.kind, where);
      assertEquals(c.reply().getQuestion().getName(), out.getQuestion().getName(), where);
      assertEquals(c.key().type(), out.getQuestion().getType(), where);
      assertEquals(c.answer(), out.getSection(Section.ANSWER), where);
      assertEquals(c.authority(), out.getSection(Section.AUTHORITY), where);
      assertTrue(out.getSection(Section.ADDITIONAL).isEmpty(), where);
      for (int i = 0; i < c.answer().size(); i++) { // each TTL where its record is
        long ttl = TtlPolicy.positive(c.answer().get(i).getTTL(), rules, Long.MAX_VALUE);
        assertEquals(ttl, a.servedTtl(i, 0), where);
      }
      // As compact as dnsjava's own writing of the same records.
      Message same = new Message(0);
      same.getHeader().setFlag(Flags.QR);
      same.addRecord(out.getQuestion(), Section.QUESTION);
      c.answer().forEach(r -> same.addRecord(r, Section.ANSWER));
      c.authority().forEach(r -> same.addRecord(r, Section.AUTHORITY));
      assertTrue(a.wire.length <= same.toWire().length, where);
    }
  }

  @Test
  void namesInRfc1035TypesArePointersAndInLaterTypesWrittenInFull() throws Exception {
    Message q = reply("svc.example.", Type.SRV);
    q.addRecord(rr("svc.example. 60 IN SRV 0 5 53 svc.example."), Section.ANSWER);
    CachedAnswer srv = fromReply(key("svc.example.", Type.SRV, false), q.toWire());
    byte[] name = Name.fromString("svc.example.").toWire();
    assertArrayEquals(
        name, Arrays.copyOfRange(srv.wire, srv.wire.length - name.length, srv.wire.length));

    Message m = reply("mx.example.", Type.MX);
    m.addRecord(rr("mx.example. 60 IN MX 10 mx.example."), Section.ANSWER);
    CachedAnswer mx = fromReply(key("mx.example.", Type.MX, false), m.toWire());
    byte[] tail = Arrays.copyOfRange(mx.wire, mx.wire.length - 4, mx.wire.length);
    assertArrayEquals(new byte[] {0, 10, (byte) 0xc0, 12}, tail, "MX 10, a pointer to the qname");
  }

  @Test
  void changedOctetsGiveNoReplyOrAWellFormedAnswerFromTheRecordsThereWere() throws Exception {
    int accepted = 0;
    for (long seed = 0; seed < 30_000; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      Case c = generate(random);
      byte[] in = mutate(c.reply().toWire(), random);
      String where = "seed " + seed + ": " + Arrays.toString(in);
      WireReply reply = assertDoesNotThrow(() -> WireReply.read(in), where);
      if (reply == null) {
        continue;
      }
      accepted++;
      CachedAnswer a =
          assertDoesNotThrow(
              () -> AnswerFactory.fromReply(c.key(), reply, rules, Long.MAX_VALUE, 0), where);
      assertNotNull(WireReply.read(a.wire), where);
      Message dnsjavaIn = parseOrNull(in);
      if (dnsjavaIn != null) {
        Message out = assertDoesNotThrow(() -> new Message(a.wire), where);
        List<Record> there = new ArrayList<>();
        for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
          there.addAll(dnsjavaIn.getSection(s));
        }
        for (int s : new int[] {Section.ANSWER, Section.AUTHORITY}) {
          for (Record r : out.getSection(s)) {
            assertTrue(there.contains(r), where + "\n" + r);
          }
        }
      }
    }
    assertTrue(accepted > 5_000, "enough changed replies still read: " + accepted);
  }

  /**
   * A reply to a random question in example.: a chain of up to three CNAMEs to up to three records
   * of the asked type (none: NODATA with an SOA), records of other types at the chain's names,
   * records of other names, RRSIGs, NS and glue, all of it in random order and letter case.
   */
  private static Case generate(SplittableRandom random) throws IOException {
    int qtype = TYPES[random.nextInt(TYPES.length)];
    boolean dnssec = random.nextBoolean();
    List<String> chain = new ArrayList<>();
    for (int i = random.nextInt(4); i >= 0; i--) {
      chain.add("c" + chain.size() + "-" + random.nextInt(1000) + ".example.");
    }
    Message m = reply(chain.get(0), qtype);
    List<Record> answer = new ArrayList<>();
    List<Record> keep = new ArrayList<>();
    for (int i = 0; i + 1 < chain.size(); i++) {
      Record cname = rr(mixed(chain.get(i), random) + " 300 IN CNAME " + chain.get(i + 1));
      answer.add(cname);
      keep.add(cname);
    }
    String last = chain.get(chain.size() - 1);
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      Record r = rr(mixed(last, random) + " " + (60 + i) + " IN " + data(qtype, i, random));
      answer.add(r);
      keep.add(r);
    }
    String sig = " 300 IN RRSIG %s 8 2 300 20300101000000 20200101000000 1 example. AAAA";
    Record chainSig = rr(chain.get(0) + sig.formatted(Type.string(qtype)));
    answer.add(chainSig);
    if (dnssec) {
      keep.add(chainSig);
    }
    int other = qtype == Type.TXT ? Type.A : Type.TXT;
    for (int i = random.nextInt(3); i > 0; i--) {
      String owner = random.nextBoolean() ? chain.get(random.nextInt(chain.size())) : "o.example.";
      answer.add(rr(owner + " 300 IN " + data(other, i, random)));
      answer.add(rr("n" + i + ".example. 300 IN " + data(qtype, i, random)));
    }
    Collections.shuffle(answer, new Random(random.nextLong()));
    List<Record> authority = new ArrayList<>();
    Kind kind = count > 0 ? Kind.POSITIVE : Kind.NODATA;
    if (count == 0) {
      Record soa = rr("example. 900 IN SOA ns.example. host.example. 1 2 3 4 120");
      m.addRecord(soa, Section.AUTHORITY);
      authority.add(soa);
    } else {
      m.addRecord(rr("example. 900 IN NS ns.example."), Section.AUTHORITY);
    }
    m.addRecord(rr("ns.example. 900 IN A 192.0.2.53"), Section.ADDITIONAL);
    answer.forEach(r -> m.addRecord(r, Section.ANSWER));
    List<Record> kept = answer.stream().filter(keep::contains).toList();
    return new Case(key(chain.get(0), qtype, dnssec), m, kept, authority, kind);
  }

  private static String data(int type, int i, SplittableRandom random) {
    return switch (type) {
      case Type.A -> "A 192.0.2." + random.nextInt(256);
      case Type.AAAA -> "AAAA 2001:db8::" + Integer.toHexString(random.nextInt(65536));
      case Type.MX -> "MX " + i + " mx" + i + ".example.";
      case Type.SRV -> "SRV 0 " + i + " 53 srv" + random.nextInt(9) + ".Example.";
      case Type.NS -> "NS ns" + i + ".example.";
      default -> "TXT \"t" + random.nextInt() + "\"";
    };
  }

  private static String mixed(String name, SplittableRandom random) {
    StringBuilder b = new StringBuilder(name);
    for (int i = 0; i < b.length(); i++) {
      if (random.nextBoolean()) {
        b.setCharAt(i, Character.toUpperCase(b.charAt(i)));
      }
    }
    return b.toString();
  }

  /** One to three octets set at random, and in a quarter of the cases the end cut off. */
  private static byte[] mutate(byte[] wire, SplittableRandom random) {
    byte[] b = wire.clone();
    for (int i = random.nextInt(1, 4); i > 0; i--) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return random.nextInt(4) == 0 ? Arrays.copyOf(b, random.nextInt(b.length)) : b;
  }

  /** An empty reply to a question. */
  private static Message reply(String name, int type) throws IOException {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    return m;
  }

  private static CacheKey key(String name, int type, boolean dnssec) throws IOException {
    byte[] wire = Name.fromString(name).toWireCanonical();
    return CacheKey.of(wire, wire.length, type, DClass.IN, dnssec ? CacheKey.DO_BIT : 0);
  }

  private CachedAnswer fromReply(CacheKey key, byte[] wire) {
    return AnswerFactory.fromReply(key, WireReply.read(wire), rules, Long.MAX_VALUE, 0);
  }

  private static Message parseOrNull(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
