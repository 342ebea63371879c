package dev.nodecache.local.kubelet;

import java.util.Map;

/** A node of the local cluster: a name, a loopback address of its own, and its labels. */
public record SimulatedNode(String name, String ip, Map<String, String> labels) {
  public static SimulatedNode numbered(int n) {
    String name = "local-node-" + n;
    return new SimulatedNode(
        name,
        "127.0.100." + n,
        Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux"));
  }

  public boolean matches(Map<String, String> selector) {
    if (selector == null) {
      return true;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
