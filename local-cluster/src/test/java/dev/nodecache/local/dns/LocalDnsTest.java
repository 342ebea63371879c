package dev.nodecache.local.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The local DNS server's fixed answers: api.example.com lives long, as before a migration. */
class LocalDnsTest {
  static Message ask(String name) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    return new Message(LocalDns.answer(q.toWire(), null));
  }

  @Test
  void apiExampleComHasALongTtlSoAMigrationsCapShows() throws Exception {
    Record a = ask("api.example.com.").getSection(Section.ANSWER).get(0);
    assertEquals(3600, a.getTTL());
    assertEquals("192.0.2.20", a.rdataToString());
  }

  @Test
  void whatItDoesNotKnowIsNxdomain() throws Exception {
    assertEquals(Rcode.NXDOMAIN, ask("nope.example.org.").getRcode());
  }
}
