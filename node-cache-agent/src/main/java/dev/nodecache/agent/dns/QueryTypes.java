package dev.nodecache.agent.dns;

/**
 * Which question types the agent answers itself, with an error, instead of forwarding them: the
 * types no data can exist for, and the meta-queries a caching forwarder cannot serve. Everything
 * else (ANY, RRSIG and NSEC included) is forwarded and cached under its own (name, type) key.
 */
public final class QueryTypes {
  public static final int RESERVED = 0;
  public static final int OPT = 41;
  public static final int TKEY = 249;
  public static final int TSIG = 250;
  public static final int IXFR = 251;
  public static final int AXFR = 252;
  public static final int MAILB = 253;
  public static final int MAILA = 254;

  /** The start and end of the unassigned part of the QTYPE and meta-TYPE range (RFC 6895). */
  private static final int META_RANGE_START = 128;

  private static final int META_RANGE_END = 248;

  /** The agent's own answer to a question type, and the reason counted for it. */
  public record Refusal(int rcode, String reason) {}

  private static final Refusal RESERVED_TYPE = new Refusal(DnsWire.RCODE_FORMERR, "reserved_qtype");
  private static final Refusal META_TYPE = new Refusal(DnsWire.RCODE_FORMERR, "meta_qtype");
  private static final Refusal KEY_EXCHANGE = new Refusal(DnsWire.RCODE_NOTIMP, "tkey_qtype");
  private static final Refusal ZONE_TRANSFER =
      new Refusal(DnsWire.RCODE_REFUSED, "zone_transfer_qtype");
  private static final Refusal OBSOLETE = new Refusal(DnsWire.RCODE_NOTIMP, "obsolete_qtype");

  private QueryTypes() {}

  /** The agent's own answer to a question of {@code type}, or null to forward it. */
  public static Refusal refusal(int type) {
    return switch (type) {
      // RFC 6895 §3.1: type 0 is reserved and never allocated, so nothing can answer it; kept
      // out of the cache it also can never be mistaken for the agent's name-wide entries.
      case RESERVED -> RESERVED_TYPE;
      // RFC 6891 §6.1.1: OPT is a pseudo-RR of one message; RFC 8945: TSIG likewise lives
      // only as the last additional record of a message. Neither can be asked for.
      case OPT, TSIG -> META_TYPE;
      // RFC 2930 §4: a TKEY query sets up a key with the server asked; we set up none, and
      // passing it on would agree a key with someone else.
      case TKEY -> KEY_EXCHANGE;
      // RFC 5936 §4.2 (AXFR over UDP is not defined), RFC 1995 §2; a caching forwarder holds
      // no zone to transfer over either transport. RFC 1035 §4.1.1 names zone transfer as the
      // example of REFUSED.
      case AXFR, IXFR -> ZONE_TRANSFER;
      // RFC 1035 §3.2.3 meta-queries for mail records, obsolete (MX replaced them, RFC 974).
      case MAILA, MAILB -> OBSOLETE;
      default ->
          type >= META_RANGE_START && type <= META_RANGE_END
              ? META_TYPE // RFC 6895 §3.1: reserved for QTYPEs and meta-TYPEs, none assigned
              : null;
    };
  }
}
