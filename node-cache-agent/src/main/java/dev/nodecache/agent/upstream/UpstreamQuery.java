package dev.nodecache.agent.upstream;

import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.DnsWire;

/** The query we send upstream for a cache key: RD, CD and DO as the key says, EDNS 1232. */
final class UpstreamQuery {
  private static final int OPT_LENGTH = 11;

  private UpstreamQuery() {}

  static byte[] build(CacheKey key, int id) {
    byte[] q = new byte[DnsWire.HEADER + key.questionLength() + OPT_LENGTH];
    DnsWire.putU16(q, DnsWire.ID, id);
    int flags = DnsWire.FLAG_RD | (key.checkingDisabled() ? DnsWire.FLAG_CD : 0);
    DnsWire.putU16(q, DnsWire.FLAGS, flags);
    DnsWire.putU16(q, DnsWire.QDCOUNT, 1);
    DnsWire.putU16(q, DnsWire.ARCOUNT, 1);
    int at = key.writeQuestion(q, DnsWire.HEADER);
    q[at] = 0; // OPT owner: root
    DnsWire.putU16(q, at + 1, DnsWire.TYPE_OPT);
    DnsWire.putU16(q, at + 3, DnsWire.EDNS_UDP_SIZE);
    DnsWire.putU16(q, at + 7, key.dnssecOk() ? DnsWire.EDNS_DO : 0);
    return q;
  }

  /** Length of the question section of a query we built. */
  static int questionEnd(byte[] query) {
    return query.length - OPT_LENGTH;
  }
}
