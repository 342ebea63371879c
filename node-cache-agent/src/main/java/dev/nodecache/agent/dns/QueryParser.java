package dev.nodecache.agent.dns;

import dev.nodecache.agent.dns.BadQuery.ErrorReply;
import io.netty.buffer.ByteBuf;

/**
 * Reads a client query straight from the received buffer (no copy of the packet), checking it as
 * far as answering needs: one question, a well-formed name, at most one OPT record, a type that may
 * be forwarded. The whole message is walked before any error but a malformed one is decided, so
 * that every error response to a query with EDNS carries an OPT (RFC 6891 §7).
 */
public final class QueryParser {
  private static final int OPCODE_QUERY = 0;

  private QueryParser() {}

  public static ClientQuery parse(ByteBuf buf) throws BadQuery {
    int base = buf.readerIndex();
    int end = base + buf.readableBytes();
    if (end - base < DnsWire.HEADER) {
      throw BadQuery.drop("short");
    }
    int id = buf.getUnsignedShort(base);
    int flags = buf.getUnsignedShort(base + DnsWire.FLAGS);
    if ((flags & DnsWire.FLAG_QR) != 0) {
      throw BadQuery.drop("not_a_query"); // answering replies could make a loop
    }
    int qd = buf.getUnsignedShort(base + DnsWire.QDCOUNT);
    int an = buf.getUnsignedShort(base + DnsWire.ANCOUNT);
    int ns = buf.getUnsignedShort(base + DnsWire.NSCOUNT);
    int ar = buf.getUnsignedShort(base + DnsWire.ARCOUNT);
    int at = base + DnsWire.HEADER;
    int nameLength = 0;
    byte[] question = null;
    if (qd > 0) {
      while (true) {
        if (at >= end) {
          throw formErr("truncated_name", id, flags);
        }
        int len = buf.getUnsignedByte(at);
        if (len > 63) {
          throw formErr("bad_label", id, flags); // pointers have nothing to point to here
        }
        nameLength += 1 + len;
        if (nameLength > DnsWire.MAX_NAME) {
          throw formErr("long_name", id, flags);
        }
        at += 1 + len;
        if (len == 0) {
          break;
        }
      }
      if (at + 4 > end) {
        throw formErr("truncated_question", id, flags);
      }
      question = new byte[nameLength + 4];
      buf.getBytes(base + DnsWire.HEADER, question);
      at += 4;
    }
    byte[] echoed = qd == 1 ? question : null; // an error echoes a question only if one was sent
    for (int q = 1; q < qd; q++) {
      at = skipName(buf, at, end);
      if (at < 0 || at + 4 > end) {
        throw error("truncated_question", id, flags, null, false, false, DnsWire.RCODE_FORMERR);
      }
      at += 4;
    }
    for (int r = an + ns; r > 0; r--) {
      at = skipRecord(buf, at, end);
      if (at < 0) {
        throw error("truncated_record", id, flags, echoed, false, false, DnsWire.RCODE_FORMERR);
      }
    }
    boolean edns = false;
    boolean dnssecOk = false;
    int udpLimit = 512;
    for (int r = ar; r > 0; r--) {
      int nameStart = at;
      at = skipName(buf, at, end);
      if (at < 0 || at + 10 > end) {
        throw error("truncated_record", id, flags, echoed, edns, dnssecOk, DnsWire.RCODE_FORMERR);
      }
      if (buf.getUnsignedShort(at) == DnsWire.TYPE_OPT) {
        if (edns || at != nameStart + 1 || buf.getByte(nameStart) != 0) {
          // RFC 6891 §6.1.1: one OPT, root owner. The reply still has one OPT (as BIND and
          // Unbound do), without DO: the broken OPT is not one to copy from.
          throw error("bad_opt", id, flags, echoed, true, false, DnsWire.RCODE_FORMERR);
        }
        edns = true;
        udpLimit = Math.max(512, Math.min(65535, buf.getUnsignedShort(at + 2)));
        int version = buf.getUnsignedByte(at + 5);
        dnssecOk = (buf.getUnsignedShort(at + 6) & DnsWire.EDNS_DO) != 0;
        if (version != 0) {
          throw error("bad_edns_version", id, flags, echoed, true, dnssecOk, DnsWire.RCODE_BADVERS);
        }
      }
      at += 10 + buf.getUnsignedShort(at + 8);
      if (at > end) {
        throw error("truncated_record", id, flags, echoed, edns, dnssecOk, DnsWire.RCODE_FORMERR);
      }
    }
    if ((flags >> 11 & 0xf) != OPCODE_QUERY) {
      throw error("opcode", id, flags, echoed, edns, dnssecOk, DnsWire.RCODE_NOTIMP);
    }
    if (qd != 1) {
      throw error("question_count", id, flags, null, edns, dnssecOk, DnsWire.RCODE_FORMERR);
    }
    int type = ((question[nameLength] & 0xff) << 8) | (question[nameLength + 1] & 0xff);
    QueryTypes.Refusal refusal = QueryTypes.refusal(type);
    if (refusal != null) {
      throw error(refusal.reason(), id, flags, question, edns, dnssecOk, refusal.rcode());
    }
    int bits =
        (dnssecOk ? CacheKey.DO_BIT : 0) | ((flags & DnsWire.FLAG_CD) != 0 ? CacheKey.CD_BIT : 0);
    int dnsClass = ((question[nameLength + 2] & 0xff) << 8) | (question[nameLength + 3] & 0xff);
    CacheKey key = CacheKey.of(question, nameLength, type, dnsClass, bits);
    return new ClientQuery(id, flags, question, key, edns, dnssecOk, udpLimit);
  }

  /** A FORMERR found in the first question, before anything else is known. */
  private static BadQuery formErr(String reason, int id, int flags) {
    return error(reason, id, flags, null, false, false, DnsWire.RCODE_FORMERR);
  }

  private static BadQuery error(
      String reason,
      int id,
      int flags,
      byte[] question,
      boolean edns,
      boolean dnssecOk,
      int rcode) {
    return BadQuery.answer(reason, new ErrorReply(id, flags, question, edns, dnssecOk, rcode));
  }

  private static int skipRecord(ByteBuf buf, int at, int end) {
    at = skipName(buf, at, end);
    if (at < 0 || at + 10 > end) {
      return -1;
    }
    at += 10 + buf.getUnsignedShort(at + 8);
    return at > end ? -1 : at;
  }

  private static int skipName(ByteBuf buf, int at, int end) {
    while (at < end) {
      int len = buf.getUnsignedByte(at);
      if (len == 0) {
        return at + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        return at + 2 <= end ? at + 2 : -1;
      }
      if ((len & 0xc0) != 0) {
        return -1;
      }
      at += 1 + len;
    }
    return -1;
  }
}
