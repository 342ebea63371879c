package dev.nodecache.operator.flush;

/** One node's agent as the operator reaches it: the node, and the admin API's address. */
public record AgentEndpoint(String node, String host, int port) {
  public String url(String path) {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "http://" + h + ":" + port + path;
  }
}
