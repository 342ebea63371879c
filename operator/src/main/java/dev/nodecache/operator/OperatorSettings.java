package dev.nodecache.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the operator puts what it owns, and what it runs on nodes. */
public record OperatorSettings(String namespace, String agentImage) {
  static final Path SA_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** From NODECACHE_NAMESPACE, else the pod's own namespace, else nodecache-system. */
  public static OperatorSettings fromEnvironment() {
    String ns = System.getenv("NODECACHE_NAMESPACE");
    if (ns == null || ns.isBlank()) {
      try {
        ns = Files.readString(SA_NAMESPACE).trim();
      } catch (IOException e) {
        ns = "nodecache-system";
      }
    }
    String image = System.getenv("NODECACHE_AGENT_IMAGE");
    return new OperatorSettings(
        ns,
        image == null || image.isBlank() ? "nodecache/node-cache-agent:" + Version.CURRENT : image);
  }
}
