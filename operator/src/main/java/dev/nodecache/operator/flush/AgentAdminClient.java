package dev.nodecache.operator.flush;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** Calls an agent's admin API (POST /flush, GET /cache) with the policy's bearer token. */
public final class AgentAdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public AgentAdminClient(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .executor(
                Executors.newFixedThreadPool(
                    4,
                    r -> {
                      Thread t = new Thread(r, "agent-admin-client");
                      t.setDaemon(true);
                      return t;
                    }))
            .build();
  }

  /** Completes with the agent's answer; exceptionally on a transport error or a non-200. */
  public CompletableFuture<JsonNode> flush(
      AgentEndpoint agent, String token, String id, List<String> names) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", id);
    names.forEach(body.putArray("names")::add);
    if (names.isEmpty()) {
      body.putArray("names");
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(agent.url("/flush")))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return send(request);
  }

  /** POST /invalidate with a ready body (see InvalidationRequest). */
  public CompletableFuture<JsonNode> invalidate(AgentEndpoint agent, String token, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(agent.url("/invalidate")))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(request);
  }

  public CompletableFuture<JsonNode> cache(AgentEndpoint agent, String token, String name) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    agent.url(
                        "/cache?name="
                            + java.net.URLEncoder.encode(
                                name, java.nio.charset.StandardCharsets.UTF_8))))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return send(request);
  }

  private CompletableFuture<JsonNode> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body().trim());
              }
              try {
                return JSON.readTree(r.body());
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("not JSON: " + e.getOriginalMessage());
              }
            });
  }
}
