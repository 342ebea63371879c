package dev.nodecache.operator.invalidation;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/** The PTR name of an address (RFC 1035 §3.5, RFC 3596 §2.5), from its literal form only. */
final class ReverseNames {
  private ReverseNames() {}

  /** Null when {@code ip} is not an IP address literal (nothing is ever resolved here). */
  static String of(String ip) {
    if (ip == null
        || ip.isEmpty()
        || !(ip.indexOf(':') >= 0 || ip.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}"))) {
      return null;
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(ip); // a literal: parsed, never looked up
    } catch (java.net.UnknownHostException e) {
      return null;
    }
    byte[] b = a.getAddress();
    StringBuilder s = new StringBuilder();
    if (a instanceof Inet4Address) {
      for (int i = 3; i >= 0; i--) {
        s.append(b[i] & 0xff).append('.');
      }
      return s.append("in-addr.arpa").toString();
    }
    if (a instanceof Inet6Address) {
      for (int i = 15; i >= 0; i--) {
        s.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
        s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
      }
      return s.append("ip6.arpa").toString().toLowerCase(Locale.ROOT);
    }
    return null;
  }
}
