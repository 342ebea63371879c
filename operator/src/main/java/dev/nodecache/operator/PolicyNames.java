package dev.nodecache.operator;

import dev.nodecache.api.DnsCachePolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of the objects a policy owns, in one place. */
public final class PolicyNames {
  public static final String POLICY_LABEL = "nodecache.dev/policy";
  public static final String CONFIG_CHECKSUM = "nodecache.dev/config-checksum";
  public static final String CONFIG_KEY = "config.json";
  public static final String TOKEN_KEY = "token";
  public static final String CONFIG_DIR = "/etc/nodecache";
  public static final String TOKEN_DIR = "/run/nodecache";

  private PolicyNames() {}

  /** DaemonSet, ConfigMap, ServiceAccount and Service share this name. */
  public static String agent(DnsCachePolicy p) {
    return "nodecache-" + p.getMetadata().getName();
  }

  public static String token(DnsCachePolicy p) {
    return agent(p) + "-admin-token";
  }

  /** Labels on every owned object and on the agent pods (the DaemonSet selector). */
  public static Map<String, String> labels(DnsCachePolicy p) {
    Map<String, String> labels = selector(p);
    labels.put("app.kubernetes.io/managed-by", "nodecache-operator");
    return labels;
  }

  /** The agent pods' selector: a subset of {@link #labels}. */
  public static Map<String, String> selector(DnsCachePolicy p) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("app.kubernetes.io/name", "nodecache-agent");
    selector.put(POLICY_LABEL, p.getMetadata().getName());
    return selector;
  }
}
