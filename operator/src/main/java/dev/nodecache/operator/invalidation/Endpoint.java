package dev.nodecache.operator.invalidation;

/** One ready endpoint address as cluster DNS names it: its IP and optional hostname. */
record Endpoint(String ip, String hostname) implements Comparable<Endpoint> {
  @Override
  public int compareTo(Endpoint o) {
    int c = ip.compareTo(o.ip);
    return c != 0 ? c : hostname.compareTo(o.hostname);
  }
}
