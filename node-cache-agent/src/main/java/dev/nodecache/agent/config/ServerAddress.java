package dev.nodecache.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/**
 * An upstream server written as {@code ip}, {@code ip:port}, {@code [v6]:port} or a bare IPv6
 * literal. Only literals are accepted: resolving a host name here would be a hidden DNS lookup.
 */
public final class ServerAddress {
  private ServerAddress() {}

  public static InetSocketAddress parse(String text, int defaultPort) {
    String host = text;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in \"" + text + "\"");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':port' after ']' in \"" + text + "\"");
        }
        port = parsePort(rest.substring(1), text);
      }
    } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
      host = text.substring(0, text.indexOf(':'));
      port = parsePort(text.substring(text.indexOf(':') + 1), text);
    }
    return new InetSocketAddress(literal(host), port);
  }

  /** An IPv4 or IPv6 literal, never a name. */
  public static InetAddress literal(String text) {
    try {
      return Address.getByAddress(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
    }
  }

  /** The text form {@link #parse} reads back. */
  public static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return host.indexOf(':') >= 0
        ? "[" + host + "]:" + address.getPort()
        : host + ":" + address.getPort();
  }

  private static int parsePort(String text, String whole) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("bad port in \"" + whole + "\"");
  }
}
