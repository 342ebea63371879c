package dev.nodecache.kubectl;

/** One agent of a policy: its node, its pod, and where its admin API listens. */
record AgentPod(String node, String pod, String ip, boolean ready, String image, int adminPort) {
  /** The image's tag, which is the agent's version as the chart deploys it. */
  String version() {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    int at = image.indexOf('@');
    if (at > 0) {
      return image.substring(at + 1, Math.min(image.length(), at + 20));
    }
    return colon > slash ? image.substring(colon + 1) : image.isEmpty() ? "-" : "latest";
  }
}
