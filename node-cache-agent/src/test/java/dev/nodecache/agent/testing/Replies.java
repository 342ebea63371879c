package dev.nodecache.agent.testing;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Replies a scripted upstream sends, built from the query they answer. */
public final class Replies {
  private Replies() {}

  /** An empty NOERROR reply to {@code q}: same id and question, QR, RD copied, RA. */
  public static Message reply(Message q) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    if (q.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.addRecord(q.getQuestion(), Section.QUESTION);
    return m;
  }

  public static Message answer(Message q, Record... answers) {
    Message m = reply(q);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  public static Message rcode(Message q, int rcode, Record... authority) {
    Message m = reply(q);
    m.getHeader().setRcode(rcode);
    for (Record r : authority) {
      m.addRecord(r, Section.AUTHORITY);
    }
    return m;
  }

  public static Message nxdomain(Message q, Record soa) {
    return rcode(q, Rcode.NXDOMAIN, soa);
  }

  /** NOERROR with no answer: NODATA, with the SOA in authority. */
  public static Message nodata(Message q, Record soa) {
    return rcode(q, Rcode.NOERROR, soa);
  }

  public static Message truncated(Message q) {
    Message m = reply(q);
    m.getHeader().setFlag(Flags.TC);
    return m;
  }
}
