package dev.nodecache.api;

/**
 * Upper bounds on the lists and strings of the API. The API server prices every CEL rule by the
 * most data it could walk and refuses a CRD whose rules have no bound, so whatever a rule reaches
 * is bounded here, generously.
 */
public final class Bounds {
  /** The longest textual IP address: an IPv6 address with an embedded IPv4 one. */
  public static final int ADDRESS = 45;

  /** A server: {@code [ADDRESS]:65535}. */
  public static final int SERVER = ADDRESS + 8;

  /** A DNS name. */
  public static final int DNS_NAME = 253;

  /** A DNS label: a Service, a namespace, a migration name. */
  public static final int LABEL = 63;

  /** A duration such as 1h30m. */
  public static final int DURATION = 32;

  /** An RFC 3339 time with fractional seconds and an offset. */
  public static final int TIMESTAMP = 64;

  public static final int LISTEN_ADDRESSES = 8;
  public static final int INTERCEPTED_ADDRESSES = 8;
  public static final int UPSTREAMS = 32;
  public static final int SERVERS = 16;
  public static final int ZONES = 64;
  public static final int ZONE_RULES = 64;
  public static final int MIGRATIONS = 64;
  public static final int MIGRATED_NAMES = 256;

  private Bounds() {}
}
