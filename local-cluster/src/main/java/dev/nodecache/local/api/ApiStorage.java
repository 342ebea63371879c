package dev.nodecache.local.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded API's storage, as etcd is a real API server's: the fabric8 mock server in CRUD mode
 * on a free loopback port. Only {@link KubeApiFront} and the watch cache talk to it: it validates
 * nothing and applies patches loosely, so every write a user, the operator or the simulated kubelet
 * makes goes through the front.
 */
public final class ApiStorage implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesCrudDispatcher dispatcher;
  private final KubernetesClient client;
  private final URI uri;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ScheduledExecutorService janitor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "api-storage-janitor");
            t.setDaemon(true);
            return t;
          });

  /** A stored answer: status code, body and content type as the mock gave them. */
  public record Reply(int code, byte[] body) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  private ApiStorage() throws IOException {
    dispatcher = new KubernetesCrudDispatcher(Collections.emptyList());
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    uri = URI.create("http://127.0.0.1:" + server.getPort());
    client = server.createClient();
    // The mock keeps every request it served for its own tests to inspect: drop them, or a
    // long-running local cluster grows without bound.
    janitor.scheduleWithFixedDelay(this::forgetRequests, 5, 5, TimeUnit.SECONDS);
  }

  public static ApiStorage start() throws IOException {
    return new ApiStorage();
  }

  /** A client straight to the storage, for the watch cache only (it bypasses admission). */
  public KubernetesClient directClient() {
    return client;
  }

  /** The next resourceVersion, from the same counter the storage stamps objects with. */
  public long nextResourceVersion() {
    return dispatcher.requestResourceVersion();
  }

  public Reply get(String pathAndQuery) throws IOException {
    return send("GET", pathAndQuery, null);
  }

  public Reply send(String method, String pathAndQuery, byte[] json) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(json));
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Removes what the storage adds and an API server never returns: the null metadata.namespace it
   * writes into cluster-scoped objects on update. Returns {@code object}.
   */
  public static <T extends com.fasterxml.jackson.databind.JsonNode> T tidy(T object) {
    if (object != null
        && object.path("metadata") instanceof com.fasterxml.jackson.databind.node.ObjectNode m
        && m.has("namespace")
        && m.get("namespace").isNull()) {
      m.remove("namespace");
    }
    return object;
  }

  /** As {@link #tidy}, on a copy when there is anything to remove (the original may be shared). */
  public static com.fasterxml.jackson.databind.JsonNode tidied(
      com.fasterxml.jackson.databind.JsonNode object) {
    return object.path("metadata").path("namespace").isNull() ? tidy(object.deepCopy()) : object;
  }

  private void forgetRequests() {
    try {
      for (int i = 0; i < 100_000 && server.takeRequest(1, TimeUnit.MILLISECONDS) != null; i++) {
        // dropped
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    janitor.shutdownNow();
    client.close();
    server.destroy();
  }
}
