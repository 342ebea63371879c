package dev.nodecache.agent.server;

import dev.nodecache.agent.cache.CachedAnswer;
import dev.nodecache.agent.dns.BadQuery.ErrorReply;
import dev.nodecache.agent.dns.ClientQuery;
import dev.nodecache.agent.dns.DnsWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a cached answer out for one client: a copy of the stored bytes into a pooled buffer, then
 * the client's id, flags and question (its case included) and the decremented TTLs patched in, and
 * an OPT record when the client used EDNS. Over TCP the 2-byte length comes first.
 */
final class ResponseWriter {
  private static final int OPT_LENGTH = 11;
  private static final int EDE_LENGTH = 6;

  private ResponseWriter() {}

  /**
   * {@code staleTtl} < 0: fresh; otherwise serve stale with that TTL and EDE 3. No TTL goes out
   * above {@code ttlCap} (a migration's cap, or Integer.MAX_VALUE).
   */
  static ByteBuf write(
      ByteBufAllocator alloc,
      CachedAnswer a,
      ClientQuery q,
      long now,
      int staleTtl,
      int ttlCap,
      boolean tcp) {
    byte[] wire = a.wire();
    boolean stale = staleTtl >= 0;
    int optLength = q.edns ? OPT_LENGTH + (stale ? EDE_LENGTH : 0) : 0;
    int length = wire.length + optLength;
    if (!tcp && length > q.udpLimit) {
      return truncated(alloc, a, q);
    }
    ByteBuf out = alloc.ioBuffer(length + (tcp ? 2 : 0));
    if (tcp) {
      out.writeShort(length);
    }
    int base = out.writerIndex();
    out.writeBytes(wire);
    out.setShort(base + DnsWire.ID, q.id);
    out.setShort(base + DnsWire.FLAGS, flags(a.headerFlags(), q));
    out.setBytes(base + DnsWire.HEADER, q.question);
    for (int i = 0, n = a.recordCount(); i < n; i++) {
      out.setInt(base + a.ttlOffset(i), Math.min(ttlCap, stale ? staleTtl : a.servedTtl(i, now)));
    }
    if (q.edns) {
      int arcount = DnsWire.u16(wire, DnsWire.ARCOUNT) + 1;
      out.setShort(base + DnsWire.ARCOUNT, arcount);
      writeOpt(out, 0, q.dnssecOk, stale);
    }
    return out;
  }

  /** The answer does not fit the client's UDP size: header and question with TC set. */
  private static ByteBuf truncated(ByteBufAllocator alloc, CachedAnswer a, ClientQuery q) {
    ByteBuf out = alloc.ioBuffer(DnsWire.HEADER + q.question.length + OPT_LENGTH);
    out.writeShort(q.id);
    out.writeShort(flags(a.headerFlags(), q) | DnsWire.FLAG_TC);
    out.writeShort(1).writeShort(0).writeShort(0).writeShort(q.edns ? 1 : 0);
    out.writeBytes(q.question);
    if (q.edns) {
      writeOpt(out, 0, q.dnssecOk, false);
    }
    return out;
  }

  /**
   * An error response: header and the echoed question, and an OPT when the query had one (RFC 6891
   * §7) with the extended rcode bits and the query's DO bit copied (RFC 3225 §3).
   */
  static ByteBuf error(ByteBufAllocator alloc, ErrorReply e, boolean tcp) {
    int qlen = e.question() == null ? 0 : e.question().length;
    int length = DnsWire.HEADER + qlen + (e.edns() ? OPT_LENGTH : 0);
    ByteBuf out = alloc.ioBuffer(length + (tcp ? 2 : 0));
    if (tcp) {
      out.writeShort(length);
    }
    int flags =
        DnsWire.FLAG_QR
            | (e.flags() & (0x7800 | DnsWire.FLAG_RD | DnsWire.FLAG_CD)) // opcode, RD, CD
            | DnsWire.FLAG_RA
            | (e.rcode() & 0xf);
    out.writeShort(e.id()).writeShort(flags);
    out.writeShort(qlen > 0 ? 1 : 0).writeShort(0).writeShort(0).writeShort(e.edns() ? 1 : 0);
    if (qlen > 0) {
      out.writeBytes(e.question());
    }
    if (e.edns()) {
      writeOpt(out, e.rcode() >> 4, e.dnssecOk(), false);
    }
    return out;
  }

  /**
   * Our flags: the stored QR/RA/rcode, the client's RD and CD, AD only if the upstream set it and
   * the client can take it (AD or DO asked, RFC 6840 §5.8).
   */
  private static int flags(int stored, ClientQuery q) {
    int f = stored & ~(DnsWire.FLAG_RD | DnsWire.FLAG_CD | DnsWire.FLAG_AD | DnsWire.FLAG_AA);
    f |= q.flags & (DnsWire.FLAG_RD | DnsWire.FLAG_CD);
    if ((stored & DnsWire.FLAG_AD) != 0 && (q.dnssecOk || (q.flags & DnsWire.FLAG_AD) != 0)) {
      f |= DnsWire.FLAG_AD;
    }
    return f;
  }

  private static void writeOpt(ByteBuf out, int extendedRcode, boolean dnssecOk, boolean stale) {
    out.writeByte(0); // root owner
    out.writeShort(DnsWire.TYPE_OPT);
    out.writeShort(DnsWire.EDNS_UDP_SIZE);
    out.writeByte(extendedRcode);
    out.writeByte(0); // version
    out.writeShort(dnssecOk ? DnsWire.EDNS_DO : 0);
    if (stale) {
      out.writeShort(EDE_LENGTH);
      out.writeShort(DnsWire.EDE_OPTION).writeShort(2).writeShort(DnsWire.EDE_STALE_ANSWER);
    } else {
      out.writeShort(0);
    }
  }
}
