package dev.nodecache.agent.dns;

/** The mnemonics of response codes (RFC 1035, 2136, 6891, 7873), as metric labels. */
public final class Rcodes {
  private static final String[] NAMES = {
    "NOERROR",
    "FORMERR",
    "SERVFAIL",
    "NXDOMAIN",
    "NOTIMP",
    "REFUSED",
    "YXDOMAIN",
    "YXRRSET",
    "NXRRSET",
    "NOTAUTH",
    "NOTZONE",
    null,
    null,
    null,
    null,
    null,
    "BADVERS",
    "BADKEY",
    "BADTIME",
    "BADMODE",
    "BADNAME",
    "BADALG",
    "BADTRUNC",
    "BADCOOKIE"
  };

  private Rcodes() {}

  /** The mnemonic, or "RESERVED" and the number for a code without one. */
  public static String name(int rcode) {
    String name = rcode >= 0 && rcode < NAMES.length ? NAMES[rcode] : null;
    return name != null ? name : "RESERVED" + rcode;
  }
}
