package dev.nodecache.operator.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.agent.config.ConfigException;
import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.agent.config.ResolvConf;
import dev.nodecache.api.DnsCachePolicy;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the CRD schema cannot check: the rendered config goes through the agent's own parser, so the
 * operator refuses exactly what an agent would refuse, with the same field-naming message.
 */
public final class PolicyValidator {
  /** Stands in for the node's resolv.conf, which the agent reads on its node. */
  private static final ConfigParser PARSER =
      new ConfigParser(ResolvConf.fixed(List.of(new InetSocketAddress("192.0.2.53", 53))));

  /** The config, or the reason it is refused (reason "" when valid). */
  public record Result(
      ObjectNode config,
      dev.nodecache.agent.config.AgentConfig parsed,
      String reason,
      String message) {
    public boolean valid() {
      return reason.isEmpty();
    }

    /** A spec refused before it reached the agent's parser. */
    public static Result refused(String reason, String message) {
      return new Result(null, null, reason, message);
    }
  }

  private PolicyValidator() {}

  public static Result validate(DnsCachePolicy policy, ServiceRefs.Resolved services) {
    if (!services.problem().isEmpty()) {
      return new Result(null, null, "UpstreamServiceNotFound", services.problem());
    }
    if (policy.getSpec() == null
        || policy.getSpec().listen == null
        || policy.getSpec().listen.addresses == null
        || policy.getSpec().listen.addresses.isEmpty()) {
      return new Result(
          null, null, "InvalidSpec", "spec.listen.addresses: at least one is required");
    }
    try {
      AgentMemory.of(policy.getSpec());
    } catch (IllegalArgumentException e) {
      return new Result(null, null, "InvalidSpec", "spec." + e.getMessage());
    }
    ObjectNode config = AgentConfigRenderer.render(policy, services.ips());
    try {
      return new Result(config, PARSER.parse(AgentConfigRenderer.toText(config)), "", "");
    } catch (ConfigException e) {
      return new Result(null, null, "InvalidSpec", "spec." + e.getMessage());
    } catch (RuntimeException e) {
      return new Result(null, null, "InvalidSpec", "spec: " + e.getMessage());
    }
  }
}
