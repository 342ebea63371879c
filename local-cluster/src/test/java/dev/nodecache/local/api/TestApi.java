package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.local.LocalCluster;
import dev.nodecache.local.watch.WatchCache;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The embedded API alone, in-process (storage, watch cache, front, the CRD registered), with the
 * two kinds of client tests use: fabric8 through the front, and raw HTTP. Tests of other packages
 * (operator, agents, plugin against it) take it through {@link #withNamespaces}.
 */
public final class TestApi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DCP = "/apis/nodecache.dev/v1alpha1/dnscachepolicies";

  final ApiStorage storage;
  final WatchCache watches;
  final KubeApiFront front;
  public final KubernetesClient client;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Response(int code, JsonNode body, HttpResponse<String> raw) {}

  TestApi(int eventsPerType, PodLogFiles logs) throws IOException {
    this(eventsPerType, Duration.ZERO, logs);
  }

  private TestApi(int eventsPerType, Duration watchLag, PodLogFiles logs) throws IOException {
    storage = ApiStorage.start();
    watches =
        new WatchCache(
            storage.directClient(), storage::nextResourceVersion, eventsPerType, watchLag);
    front = new KubeApiFront(new InetSocketAddress("127.0.0.1", 0), storage, watches, logs);
    client = LocalCluster.clientOf(front.uri());
    try (FileInputStream crd = new FileInputStream(Fixtures.crd().toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
  }

  TestApi() throws IOException {
    this(10_000, null);
  }

  /** Every watch event delivered {@code watchLag} late (ZERO: at once), these namespaces made. */
  public static TestApi withNamespaces(Duration watchLag, String... namespaces) throws IOException {
    TestApi api = new TestApi(2_000, watchLag, (ns, pod) -> null);
    for (String ns : namespaces) {
      api.client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    return api;
  }

  public URI uri() {
    return front.uri();
  }

  URI uri(String pathAndQuery) {
    return front.uri().resolve(pathAndQuery);
  }

  Response send(String method, String pathAndQuery, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? null : parse(r.body());
    return new Response(r.statusCode(), json, r);
  }

  Response get(String pathAndQuery) throws Exception {
    return send("GET", pathAndQuery, null, null);
  }

  Response getTable(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), parse(r.body()), r);
  }

  /** The first {@code lines} lines of a watch, or fewer if it ends within {@code seconds}. */
  java.util.List<JsonNode> watch(String pathAndQuery, int lines, int seconds) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(seconds)).build(),
            HttpResponse.BodyHandlers.ofLines());
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    try (var stream = r.body()) {
      var it = stream.iterator();
      while (out.size() < lines && it.hasNext()) {
        out.add(parse(it.next()));
      }
    } catch (java.io.UncheckedIOException e) {
      // timed out
    }
    return out;
  }

  static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(s);
    }
  }

  @Override
  public void close() {
    client.close();
    front.close();
    watches.close();
    storage.close();
  }
}
