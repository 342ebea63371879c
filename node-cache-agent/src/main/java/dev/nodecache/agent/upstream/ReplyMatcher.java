package dev.nodecache.agent.upstream;

import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.metrics.AgentMetrics;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Anti-spoofing (RFC 5452 §9.1): a reply counts only if it comes from the address and port we
 * asked, carries our id, is a response, and repeats our single question (case-insensitively).
 */
final class ReplyMatcher {
  private ReplyMatcher() {}

  /**
   * Whether a datagram from {@code sender} is the reply to {@code query} sent to {@code server}; a
   * datagram that is not is counted by why, and the exchange keeps waiting for the real reply.
   */
  static boolean accepts(
      InetSocketAddress sender,
      InetSocketAddress server,
      byte[] reply,
      byte[] query,
      AgentMetrics metrics) {
    if (!sameEndpoint(sender, server)) {
      metrics.dropped("reply_wrong_source");
      return false;
    }
    return answers(reply, query, metrics);
  }

  /** Whether {@code reply} answers {@code query}; one that does not is counted. */
  static boolean answers(byte[] reply, byte[] query, AgentMetrics metrics) {
    if (!matches(reply, query)) {
      metrics.dropped("reply_mismatch");
      return false;
    }
    return true;
  }

  private static boolean sameEndpoint(InetSocketAddress a, InetSocketAddress b) {
    return a.getPort() == b.getPort() && plain(a.getAddress()).equals(plain(b.getAddress()));
  }

  private static boolean matches(byte[] reply, byte[] query) {
    if (reply.length < DnsWire.HEADER
        || DnsWire.u16(reply, DnsWire.ID) != DnsWire.u16(query, DnsWire.ID)
        || (DnsWire.u16(reply, DnsWire.FLAGS) & DnsWire.FLAG_QR) == 0
        || DnsWire.u16(reply, DnsWire.QDCOUNT) != 1) {
      return false;
    }
    int end = UpstreamQuery.questionEnd(query);
    if (reply.length < end) {
      return false;
    }
    for (int i = DnsWire.HEADER; i < end; i++) {
      if (DnsWire.lower(reply[i]) != DnsWire.lower(query[i])) {
        return false;
      }
    }
    return true;
  }

  /** IPv4-mapped IPv6 addresses compare equal to their IPv4 form. */
  private static InetAddress plain(InetAddress a) {
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
          return a;
        }
      }
    }
    return a;
  }
}
