package dev.nodecache.agent.dns;

import dev.nodecache.agent.dns.BadQuery.ErrorReply;
import io.netty.buffer.ByteBuf;

/**
 * Reads a client query straight from the received buffer (no copy of the packet), checking it
 * as far as answering needs: one question, a well-formed name, at most one OPT record.
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
    if (qd != 1) {
      throw formErr("question_count", id, flags, null);
    }
    int at = base + DnsWire.HEADER;
    int nameLength = 0;
    while (true) {
      if (at >= end) {
        throw formErr("truncated_name", id, flags, null);
      }
      int len = buf.getUnsignedByte(at);
      if (len > 63) {
        throw formErr("bad_label", id, flags, null); // pointers have nothing to point to here
      }
      nameLength += 1 + len;
      if (nameLength > DnsWire.MAX_NAME) {
        throw formErr("long_name", id, flags, null);
      }
      at += 1 + len;
      if (len == 0) {
        break;
      }
    }
    if (at + 4 > end) {
      throw formErr("truncated_question", id, flags, null);
    }
    int questionStart = base + DnsWire.HEADER;
    byte[] question = new byte[nameLength + 4];
    buf.getBytes(questionStart, question);
    at += 4;
    if ((flags >> 11 & 0xf) != OPCODE_QUERY) {
      throw BadQuery.answer(
          "opcode", new ErrorReply(id, flags, question, false, DnsWire.RCODE_NOTIMP));
    }
    for (int r = an + ns; r > 0; r--) {
      at = skipRecord(buf, at, end);
      if (at < 0) {
        throw formErr("truncated_record", id, flags, question);
      }
    }
    boolean edns = false;
    boolean dnssecOk = false;
    int udpLimit = 512;
    for (int r = ar; r > 0; r--) {
      int nameStart = at;
      at = skipName(buf, at, end);
      if (at < 0 || at + 10 > end) {
        throw formErr("truncated_record", id, flags, question);
      }
      if (buf.getUnsignedShort(at) == DnsWire.TYPE_OPT) {
        if (edns || at != nameStart + 1 || buf.getByte(nameStart) != 0) {
          throw formErr("bad_opt", id, flags, question); // RFC 6891 §6.1.1: one OPT, root owner
        }
        edns = true;
        udpLimit = Math.max(512, Math.min(65535, buf.getUnsignedShort(at + 2)));
        int version = buf.getUnsignedByte(at + 5);
        dnssecOk = (buf.getUnsignedShort(at + 6) & DnsWire.EDNS_DO) != 0;
        if (version != 0) {
          throw BadQuery.answer(
              "bad_edns_version", new ErrorReply(id, flags, question, true, DnsWire.RCODE_BADVERS));
        }
      }
      at += 10 + buf.getUnsignedShort(at + 8);
      if (at > end) {
        throw formErr("truncated_record", id, flags, question);
      }
    }
    int bits =
        (dnssecOk ? CacheKey.DO_BIT : 0) | ((flags & DnsWire.FLAG_CD) != 0 ? CacheKey.CD_BIT : 0);
    int type = ((question[nameLength] & 0xff) << 8) | (question[nameLength + 1] & 0xff);
    int dnsClass = ((question[nameLength + 2] & 0xff) << 8) | (question[nameLength + 3] & 0xff);
    CacheKey key = CacheKey.of(question, nameLength, type, dnsClass, bits);
    return new ClientQuery(id, flags, question, key, edns, dnssecOk, udpLimit);
  }

  private static BadQuery formErr(String reason, int id, int flags, byte[] question) {
    return BadQuery.answer(reason, new ErrorReply(id, flags, question, false, DnsWire.RCODE_FORMERR));
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
