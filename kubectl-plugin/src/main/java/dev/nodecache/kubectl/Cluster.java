package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.render.AgentConfigRenderer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The cluster as the user's kubectl sees it, and what the plugin reads there: policies, their agent
 * pods, and each agent's admin API through the API server's pod proxy, so that nothing but the
 * user's own credentials and RBAC is needed (README: the nodecache-operator-user role).
 */
final class Cluster implements AutoCloseable {
  static final String DEFAULT_NAMESPACE = "nodecache-system";
  private static final String POLICIES = "/apis/nodecache.dev/v1alpha1/dnscachepolicies";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final KubectlProxy proxy;
  private final String namespace;
  private final ExecutorService agents =
      Executors.newFixedThreadPool(
          16,
          r -> {
            Thread t = new Thread(r, "agent-request");
            t.setDaemon(true);
            return t;
          });

  Cluster(Args args, KubectlProxy proxy) {
    String env = System.getenv("NODECACHE_NAMESPACE");
    this.namespace =
        args.flag("--namespace", env == null || env.isBlank() ? DEFAULT_NAMESPACE : env);
    this.proxy = proxy;
  }

  String namespace() {
    return namespace;
  }

  /** The policies by name. */
  List<DnsCachePolicy> policies() {
    JsonNode list = get(POLICIES, "list DnsCachePolicies");
    List<DnsCachePolicy> all = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      all.add(policyOf(item));
    }
    all.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return all;
  }

  /**
   * The policy named, or when none is named the only one there is (or the one called "default");
   * otherwise an error that lists what there is.
   */
  DnsCachePolicy policy(String name) {
    List<DnsCachePolicy> all = policies();
    List<String> names = all.stream().map(p -> p.getMetadata().getName()).toList();
    if (name != null) {
      return all.stream()
          .filter(p -> p.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new UserError(
                      "policy `"
                          + name
                          + "` not found; "
                          + (names.isEmpty()
                              ? "there are no policies"
                              : "policies: " + String.join(", ", names))));
    }
    if (all.isEmpty()) {
      throw new UserError(
          "there are no DnsCachePolicies; apply one first: kubectl apply -f"
              + " examples/default-policy.yaml");
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    return all.stream()
        .filter(p -> p.getMetadata().getName().equals("default"))
        .findFirst()
        .orElseThrow(
            () ->
                new UserError(
                    "there are "
                        + all.size()
                        + " policies; name one: "
                        + String.join(", ", names)));
  }

  DnsCachePolicy reread(DnsCachePolicy p) {
    String name = p.getMetadata().getName();
    UnixHttp.Response r = send("GET", POLICIES + "/" + name, Map.of(), null, "read policy " + name);
    if (r.code() == 404) {
      throw new UserError("policy `" + name + "` was deleted", 1);
    }
    return policyOf(checked(r, "read policy " + name));
  }

  /** A JSON merge patch of the policy (the flush annotations). */
  void patchPolicy(DnsCachePolicy p, String mergePatch) {
    String doing = "patch policy " + p.getMetadata().getName();
    checked(
        send(
            "PATCH",
            POLICIES + "/" + p.getMetadata().getName(),
            Map.of("Content-Type", "application/merge-patch+json"),
            mergePatch,
            doing),
        doing);
  }

  /** The policy's agent pods, by node. */
  List<AgentPod> agents(DnsCachePolicy policy) {
    String selector =
        PolicyNames.selector(policy).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    JsonNode pods =
        get(
            "/api/v1/namespaces/" + namespace + "/pods?labelSelector=" + query(selector),
            "list the agent pods in namespace " + namespace);
    List<AgentPod> out = new ArrayList<>();
    int port = AgentConfigRenderer.adminPort(policy);
    for (JsonNode p : pods.path("items")) {
      if (p.path("metadata").hasNonNull("deletionTimestamp")) {
        continue;
      }
      boolean ready = false;
      for (JsonNode c : p.path("status").path("conditions")) {
        ready |=
            "Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText());
      }
      String ip = p.path("status").path("podIP").asText("");
      out.add(
          new AgentPod(
              p.path("spec").path("nodeName").asText("(unscheduled)"),
              p.path("metadata").path("name").asText(),
              ip.isEmpty() ? null : ip,
              ready,
              p.path("spec").path("containers").path(0).path("image").asText(""),
              port));
    }
    out.sort(Comparator.comparing(AgentPod::node).thenComparing(AgentPod::pod));
    return out;
  }

  /** The agents' admin token (for what reveals the cache), read now and kept in memory only. */
  String token(DnsCachePolicy policy) {
    String secret = namespace + "/" + PolicyNames.token(policy);
    UnixHttp.Response r =
        send(
            "GET",
            "/api/v1/namespaces/" + namespace + "/secrets/" + PolicyNames.token(policy),
            Map.of(),
            null,
            "read Secret " + secret);
    if (r.code() == 404) {
      throw new UserError(
          "the agents' admin token (Secret " + secret + ") is not there; is the operator running?",
          1);
    }
    JsonNode s = checked(r, "read Secret " + secret);
    String data = s.path("data").path(PolicyNames.TOKEN_KEY).asText("");
    if (data.isEmpty()) {
      throw new UserError("Secret " + secret + " holds no " + PolicyNames.TOKEN_KEY, 1);
    }
    return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8).trim();
  }

  /** What an agent's admin API answers, through the API server's pod proxy. */
  record Answer(int code, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        return JSON.createObjectNode();
      }
    }
  }

  /**
   * GET {@code pathAndQuery} on the agent, with the token in the header the agent reads behind a
   * proxy (the API server consumes Authorization). Completes with the answer, or exceptionally with
   * a message fit to print.
   */
  CompletableFuture<Answer> agentGet(AgentPod agent, String pathAndQuery, String token) {
    String path =
        "/api/v1/namespaces/"
            + namespace
            + "/pods/"
            + agent.pod()
            + ":"
            + agent.adminPort()
            + "/proxy"
            + pathAndQuery;
    Map<String, String> headers = token == null ? Map.of() : Map.of("X-NodeCache-Token", token);
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                UnixHttp.Response r = proxy.http().send("GET", path, headers, null);
                return new Answer(r.code(), r.body());
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            agents)
        .orTimeout(15, TimeUnit.SECONDS);
  }

  static String query(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private JsonNode get(String path, String doing) {
    return checked(send("GET", path, Map.of(), null, doing), doing);
  }

  private UnixHttp.Response send(
      String method, String path, Map<String, String> headers, String body, String doing) {
    try {
      return proxy.http().send(method, path, headers, body);
    } catch (IOException e) {
      throw new UserError("cannot " + doing + ": kubectl proxy: " + e.getMessage(), 1);
    }
  }

  /** The answer's JSON, or what went wrong in words, with what to do about it. */
  private static JsonNode checked(UnixHttp.Response r, String doing) {
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      body = null;
    }
    if (r.code() / 100 == 2 && body != null) {
      return body;
    }
    String message =
        body != null && body.hasNonNull("message")
            ? body.get("message").asText()
            : r.body().strip();
    // kubectl proxy's own answer when it cannot reach the API server: 500/502, "dial tcp …"
    int code = message.startsWith("dial tcp") || message.contains("proxy error") ? 502 : r.code();
    throw switch (code) {
      case 502 ->
          new UserError(
              "cannot reach the API server (" + message + "); check your kubeconfig and context",
              1);
      case 401 -> new UserError("the API server did not accept your credentials: " + message, 1);
      case 403 ->
          new UserError(
              "forbidden to "
                  + doing
                  + " ("
                  + message
                  + "); the chart's nodecache-operator-user role grants what this plugin needs",
              1);
      case 404 ->
          new UserError(
              "cannot "
                  + doing
                  + ": "
                  + message
                  + (doing.contains("DnsCachePolicies")
                      ? " (is NodeCache installed? helm install nodecache charts/nodecache -n"
                          + " nodecache-system --create-namespace)"
                      : ""),
              1);
      default -> new UserError("cannot " + doing + ": HTTP " + r.code() + " " + message, 1);
    };
  }

  private static DnsCachePolicy policyOf(JsonNode item) {
    try {
      return JSON.treeToValue(item, DnsCachePolicy.class);
    } catch (IOException e) {
      throw new UserError(
          "policy " + item.at("/metadata/name").asText() + " is unreadable: " + e.getMessage(), 1);
    }
  }

  @Override
  public void close() {
    agents.shutdownNow();
    proxy.close();
  }
}
